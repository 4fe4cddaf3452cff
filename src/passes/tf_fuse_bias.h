// Folds an ADD (or SUB) of a per-channel constant after a CONV_2D /
// DEPTHWISE_CONV_2D / FULLY_CONNECTED op into that op's bias: TensorFlow's
// BiasAdd and the offset half of a batch norm.
#ifndef DETLITE_PASSES_TF_FUSE_BIAS_H_
#define DETLITE_PASSES_TF_FUSE_BIAS_H_

#include "passes/pass.h"

namespace detlite::passes {

class TfFuseBias : public Pass {
 public:
  std::string_view name() const override { return "tf-fuse-bias"; }
  Status Run(ir::Model& model, PassContext& ctx, bool* changed) override;
};

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_TF_FUSE_BIAS_H_
