// Folds a per-channel MUL by a constant (what an inference batch norm becomes)
// into the weights and bias of the CONV_2D / DEPTHWISE_CONV_2D /
// FULLY_CONNECTED op before it: w'[c] = w[c] * s[c], b'[c] = b[c] * s[c].
// The ADD half of the batch norm is left for TfFuseBias.
#ifndef DETLITE_PASSES_TF_FOLD_BATCH_NORM_H_
#define DETLITE_PASSES_TF_FOLD_BATCH_NORM_H_

#include "passes/pass.h"

namespace detlite::passes {

class TfFoldBatchNorm : public Pass {
 public:
  std::string_view name() const override { return "tf-fold-batch-norm"; }
  Status Run(ir::Model& model, PassContext& ctx, bool* changed) override;
};

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_TF_FOLD_BATCH_NORM_H_
