// Least-squares refit of one convolution's weights on fewer input channels
// (He, Zhang & Sun 2017; Luo et al. 2017, ThiNet), on plain buffers.
//
// The target is the unpruned layer's output before its activation,
// y = W x + b (x the original input patch); the fit sees the patch x~ the
// pruned model feeds the layer (its kept channels, augmented with a
// constant 1 so the bias is refitted too) and solves
//   W~ = (E[y x~^T] + lambda P) (E[x~ x~^T] + lambda D)^-1
// where P is the layer's current (sliced, mean-compensated) weights and D
// the identity without the bias entry: a ridge that pulls toward the
// plain pruned weights rather than toward zero, so a layer seen at few
// positions degrades to what pruning alone gives instead of overfitting.
#ifndef DETLITE_PRUNE_CHANNEL_RECONSTRUCT_FIT_H_
#define DETLITE_PRUNE_CHANNEL_RECONSTRUCT_FIT_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "quant/layer_gram_accumulate.h"

namespace detlite::prune {

// Copies the patches of output positions [first, first + rows) (row-major
// over batch, y, x) of an NHWC input into `out` (rows x taps*channels, OHWI
// order within a row), zeros where a patch reads padding.
void FillPatchRows(const float* input, const quant::PatchGeometry& g, int64_t first, int64_t rows,
                   float* out);

// Sums of [x; 1][x; 1]^T over positions of a layer's whole input patch
// (k values): enough to fit any subset of its columns later.
class PatchGram {
 public:
  explicit PatchGram(int64_t k);
  void Add(const float* x, int64_t rows);  // rows x k, row-major
  void Merge(const PatchGram& o);
  int64_t k() const { return k_; }
  int64_t count() const { return count_; }
  double at(int64_t i, int64_t j) const {  // symmetric; index k is the constant
    return i >= j ? sum_[static_cast<size_t>(i * (k_ + 1) + j)] : sum_[static_cast<size_t>(j * (k_ + 1) + i)];
  }

 private:
  int64_t k_;
  int64_t count_ = 0;
  std::vector<double> sum_;  // lower triangle of (k + 1) x (k + 1)
};

class LeastSquaresFit {
 public:
  // The fit of y = w [x; 1] (w: outputs x k row-major, b: outputs) on
  // columns `cols` of the patch (indices < gram.k()) from the whole
  // patch's Gram: no second pass over the data.
  static LeastSquaresFit FromGram(const PatchGram& gram, const std::vector<float>& w,
                                  const std::vector<float>& b, int64_t outputs,
                                  const std::vector<int64_t>& cols);

  // `outputs` rows of the target, `k` columns of the fitted patch (without
  // the constant 1).
  LeastSquaresFit(int64_t outputs, int64_t k);

  // Adds `rows` positions: y (rows x outputs) and x (rows x k), row-major.
  void Add(const float* y, const float* x, int64_t rows);
  void Merge(const LeastSquaresFit& o);
  int64_t count() const { return count_; }

  // The refit: `prior` (outputs x k) and `prior_bias` (outputs); `ridge`
  // scales lambda = ridge * trace(E[x x^T]) / k (a tiny floor keeps an
  // all-zero input solvable). Writes weights and bias; false (outputs
  // untouched) if the system is not solvable or the result not finite.
  bool Solve(const std::vector<float>& prior, const std::vector<float>& prior_bias, double ridge,
             std::vector<float>* weights, std::vector<float>* bias) const;

  // Mean squared error per output value of y ~ w x + b over what was added.
  double Mse(const std::vector<float>& weights, const std::vector<float>& bias) const;
  // Mean of y^2 per output value (the signal the MSE is measured against).
  double Signal() const;

 private:
  int64_t outputs_, k_;
  int64_t count_ = 0;
  std::vector<double> yx_;  // outputs x (k + 1): sum y [x; 1]^T
  std::vector<double> xx_;  // (k + 1) x (k + 1): sum [x; 1][x; 1]^T, lower triangle
  double yy_ = 0;           // sum |y|^2
};

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_CHANNEL_RECONSTRUCT_FIT_H_
