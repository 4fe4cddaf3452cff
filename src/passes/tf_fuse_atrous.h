// TensorFlow writes an atrous (dilated) convolution as SPACE_TO_BATCH_ND ->
// CONV_2D / DEPTHWISE_CONV_2D (stride 1, VALID) -> BATCH_TO_SPACE_ND, the
// dilation being the block size. This pass turns the three ops back into
// one convolution with dilation, as TFLite's converter does, when the
// paddings minus the crops are exactly SAME's or VALID's for the dilated
// kernel (else the ops stay, and stay exact). It runs before the bias and
// activation fusions, so a BiasAdd after BATCH_TO_SPACE_ND folds as usual.
#ifndef DETLITE_PASSES_TF_FUSE_ATROUS_H_
#define DETLITE_PASSES_TF_FUSE_ATROUS_H_

#include "passes/pass.h"

namespace detlite::passes {

class TfFuseAtrous : public Pass {
 public:
  std::string_view name() const override { return "tf-fuse-atrous"; }
  Status Run(ir::Model& model, PassContext& ctx, bool* changed) override;
};

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_TF_FUSE_ATROUS_H_
