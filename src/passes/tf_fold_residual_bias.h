// Folds a per-channel constant added after a residual ADD into the bias of
// the convolution that feeds that ADD: ADD(ADD(conv(x), r), c), or SUB(...,
// c), becomes ADD(conv'(x), r) with conv' = conv with bias + c (- c).
// TensorFlow's grappler writes MobileNetV2's projection + batch-norm offset
// + shortcut this way (AddOpsRewrite), which leaves one ADD per residual
// block that tf-fuse-bias cannot reach. Same sum in another order, so
// float results move by rounding only. The conv must have a bias, no
// activation and the inner ADD as its only reader; the inner ADD must have
// no activation and the outer one as its only reader (the outer's
// activation moves to the inner).
#ifndef DETLITE_PASSES_TF_FOLD_RESIDUAL_BIAS_H_
#define DETLITE_PASSES_TF_FOLD_RESIDUAL_BIAS_H_

#include "passes/pass.h"

namespace detlite::passes {

class TfFoldResidualBias : public Pass {
 public:
  std::string_view name() const override { return "tf-fold-residual-bias"; }
  Status Run(ir::Model& model, PassContext& ctx, bool* changed) override;
};

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_TF_FOLD_RESIDUAL_BIAS_H_
