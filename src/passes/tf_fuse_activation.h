// Fuses a RELU / RELU6 / RELU_N1_TO_1 that is the only reader of a
// CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, SUB, MUL or DIV output
// into that op's fused_activation_function, as the TFLite converter does.
#ifndef DETLITE_PASSES_TF_FUSE_ACTIVATION_H_
#define DETLITE_PASSES_TF_FUSE_ACTIVATION_H_

#include "passes/pass.h"

namespace detlite::passes {

class TfFuseActivation : public Pass {
 public:
  std::string_view name() const override { return "tf-fuse-activation"; }
  Status Run(ir::Model& model, PassContext& ctx, bool* changed) override;
};

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_TF_FUSE_ACTIVATION_H_
