// AdaRound (Nagel et al. 2020, "Up or Down? Adaptive Rounding for Post-
// Training Quantization"): each weight is rounded down or up, whichever
// makes the layer's output closest to the float layer's, instead of to the
// nearest integer. Per weight row r (one output channel, scale s_r) the
// soft rounding is w~ = s_r * clamp(floor(w / s_r) + h(V), qmin, qmax),
// h(V) = clip(sigmoid(V) (zeta - gamma) + gamma, 0, 1); Adam minimizes
//   E|(w~ - w) x|^2 + lambda * sum(1 - |2 h(V) - 1|^beta)
// with beta annealed from beta_start to beta_end after a warm-up without
// the regularizer, which drives every h(V) to 0 or 1. The output error is
// taken from the layer's input Gram H = E[x x^T] (layer_gram.h), exactly,
// so no sampling noise enters the optimization.
#ifndef DETLITE_QUANT_ADAROUND_H_
#define DETLITE_QUANT_ADAROUND_H_

#include <cstdint>
#include <vector>

namespace detlite::quant {

struct AdaRoundOptions {
  int iterations = 1000;
  float learning_rate = 1e-2f;
  // lambda, relative to the output error of nearest rounding (which the
  // reconstruction term is divided by): 3 measured best on small problems
  // (tests/quant/adaround_test.cc), 0.01 leaves nearest rounding in place.
  float regularization = 3.0f;
  float beta_start = 20.0f, beta_end = 2.0f;
  float warm_up = 0.2f;  // fraction of iterations without the regularizer
  int qmin = -127, qmax = 127;
};

struct AdaRoundResult {
  std::vector<int32_t> q;  // rows x k integers
  double nearest_error = 0;  // E|(w_q - w) x|^2 per row, rounding to nearest
  double adaround_error = 0;  // the same for the learned rounding
  int flipped = 0;  // weights rounded the other way than to nearest
};

// Learned rounding of `rows` x `k` weights w (row-major) with per-row
// scales (> 0), given the rows' shared input Gram h (k x k, row-major).
// Weights listed in `fixed` (row-major indices) keep their nearest rounding.
AdaRoundResult AdaRoundRows(const float* w, int64_t rows, int64_t k, const float* scales,
                            const double* h, const std::vector<int64_t>& fixed,
                            const AdaRoundOptions& options);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_ADAROUND_H_
