#include "prune/channel_reconstruct_fit.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstring>

namespace detlite::prune {
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// [w b] as one outputs x (k + 1) matrix.
RowMatrixD Augmented(const std::vector<float>& w, const std::vector<float>& b, int64_t outputs, int64_t k) {
  RowMatrixD a(outputs, k + 1);
  for (int64_t o = 0; o < outputs; ++o) {
    for (int64_t j = 0; j < k; ++j) a(o, j) = w[static_cast<size_t>(o * k + j)];
    a(o, k) = b[static_cast<size_t>(o)];
  }
  return a;
}

}  // namespace

void FillPatchRows(const float* input, const quant::PatchGeometry& g, int64_t first, int64_t rows,
                   float* out) {
  const int64_t row_len = g.taps() * g.channels;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t p = first + r;
    const int64_t ox = p % g.out_w, oy = (p / g.out_w) % g.out_h, n = p / (g.out_w * g.out_h);
    quant::FillPatch(input, g, n, oy, ox, out + r * row_len);
  }
}

PatchGram::PatchGram(int64_t k) : k_(k), sum_(static_cast<size_t>((k + 1) * (k + 1)), 0.0) {}

void PatchGram::Add(const float* x, int64_t rows) {
  if (rows <= 0) return;
  RowMatrixF xa(rows, k_ + 1);
  xa.leftCols(k_) = Eigen::Map<const RowMatrixF>(x, rows, k_);
  xa.col(k_).setOnes();
  Eigen::MatrixXf xx = Eigen::MatrixXf::Zero(k_ + 1, k_ + 1);
  xx.selfadjointView<Eigen::Lower>().rankUpdate(xa.transpose());
  for (int64_t i = 0; i <= k_; ++i) {
    for (int64_t j = 0; j <= i; ++j) sum_[static_cast<size_t>(i * (k_ + 1) + j)] += xx(i, j);
  }
  count_ += rows;
}

void PatchGram::Merge(const PatchGram& o) {
  for (size_t i = 0; i < sum_.size(); ++i) sum_[i] += o.sum_[i];
  count_ += o.count_;
}

LeastSquaresFit LeastSquaresFit::FromGram(const PatchGram& gram, const std::vector<float>& w,
                                          const std::vector<float>& b, int64_t outputs,
                                          const std::vector<int64_t>& cols) {
  const int64_t big = gram.k() + 1, k = static_cast<int64_t>(cols.size());
  LeastSquaresFit fit(outputs, k);
  Eigen::MatrixXd g(big, big);
  for (int64_t i = 0; i < big; ++i) {
    for (int64_t j = 0; j <= i; ++j) g(i, j) = g(j, i) = gram.at(i, j);
  }
  const RowMatrixD wa = Augmented(w, b, outputs, gram.k());
  const RowMatrixD wg = wa * g;  // outputs x big
  std::vector<int64_t> sel = cols;
  sel.push_back(gram.k());
  for (int64_t o = 0; o < outputs; ++o) {
    for (int64_t j = 0; j <= k; ++j) fit.yx_[static_cast<size_t>(o * (k + 1) + j)] = wg(o, sel[static_cast<size_t>(j)]);
  }
  for (int64_t i = 0; i <= k; ++i) {
    for (int64_t j = 0; j <= i; ++j) {
      fit.xx_[static_cast<size_t>(i * (k + 1) + j)] = g(sel[static_cast<size_t>(i)], sel[static_cast<size_t>(j)]);
    }
  }
  fit.yy_ = wg.cwiseProduct(wa).sum();
  fit.count_ = gram.count();
  return fit;
}

LeastSquaresFit::LeastSquaresFit(int64_t outputs, int64_t k)
    : outputs_(outputs), k_(k),
      yx_(static_cast<size_t>(outputs * (k + 1)), 0.0),
      xx_(static_cast<size_t>((k + 1) * (k + 1)), 0.0) {}

void LeastSquaresFit::Add(const float* y, const float* x, int64_t rows) {
  if (rows <= 0) return;
  Eigen::Map<const RowMatrixF> ym(y, rows, outputs_);
  RowMatrixF xa(rows, k_ + 1);
  xa.leftCols(k_) = Eigen::Map<const RowMatrixF>(x, rows, k_);
  xa.col(k_).setOnes();
  // Float products per call (callers pass chunks of a few hundred rows),
  // summed in double across calls.
  const RowMatrixF yx = ym.transpose() * xa;
  Eigen::MatrixXf xx = Eigen::MatrixXf::Zero(k_ + 1, k_ + 1);
  xx.selfadjointView<Eigen::Lower>().rankUpdate(xa.transpose());
  for (int64_t i = 0; i < outputs_ * (k_ + 1); ++i) yx_[static_cast<size_t>(i)] += yx.data()[i];
  for (int64_t i = 0; i <= k_; ++i) {
    for (int64_t j = 0; j <= i; ++j) xx_[static_cast<size_t>(i * (k_ + 1) + j)] += xx(i, j);
  }
  yy_ += static_cast<double>(ym.squaredNorm());
  count_ += rows;
}

void LeastSquaresFit::Merge(const LeastSquaresFit& o) {
  for (size_t i = 0; i < yx_.size(); ++i) yx_[i] += o.yx_[i];
  for (size_t i = 0; i < xx_.size(); ++i) xx_[i] += o.xx_[i];
  yy_ += o.yy_;
  count_ += o.count_;
}

bool LeastSquaresFit::Solve(const std::vector<float>& prior, const std::vector<float>& prior_bias, double ridge,
                            std::vector<float>* weights, std::vector<float>* bias) const {
  if (count_ <= 0) return false;
  const int64_t n = k_ + 1;
  const double inv = 1.0 / static_cast<double>(count_);
  Eigen::MatrixXd h(n, n);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j <= i; ++j) h(i, j) = h(j, i) = xx_[static_cast<size_t>(i * n + j)] * inv;
  }
  double trace = 0;
  for (int64_t i = 0; i < k_; ++i) trace += h(i, i);
  // The floor keeps a layer whose input is all zeros (or a zero channel)
  // solvable: its weights then stay at the prior.
  const double lambda = std::max(ridge * trace / static_cast<double>(std::max<int64_t>(k_, 1)), 1e-12);
  for (int64_t i = 0; i < k_; ++i) h(i, i) += lambda;
  const RowMatrixD p = Augmented(prior, prior_bias, outputs_, k_);
  RowMatrixD rhs = Eigen::Map<const RowMatrixD>(yx_.data(), outputs_, n) * inv;
  rhs.leftCols(k_) += lambda * p.leftCols(k_);
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(h);
  if (ldlt.info() != Eigen::Success) return false;
  const Eigen::MatrixXd wt = ldlt.solve(rhs.transpose());  // n x outputs
  if (!wt.allFinite()) return false;
  weights->assign(static_cast<size_t>(outputs_ * k_), 0.0f);
  bias->assign(static_cast<size_t>(outputs_), 0.0f);
  for (int64_t o = 0; o < outputs_; ++o) {
    for (int64_t j = 0; j < k_; ++j) (*weights)[static_cast<size_t>(o * k_ + j)] = static_cast<float>(wt(j, o));
    (*bias)[static_cast<size_t>(o)] = static_cast<float>(wt(k_, o));
  }
  return true;
}

double LeastSquaresFit::Mse(const std::vector<float>& weights, const std::vector<float>& bias) const {
  if (count_ <= 0) return 0;
  const int64_t n = k_ + 1;
  Eigen::MatrixXd h(n, n);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j <= i; ++j) h(i, j) = h(j, i) = xx_[static_cast<size_t>(i * n + j)];
  }
  const RowMatrixD a = Augmented(weights, bias, outputs_, k_);
  const double cross = (a.array() * Eigen::Map<const RowMatrixD>(yx_.data(), outputs_, n).array()).sum();
  const double quad = (a * h).cwiseProduct(a).sum();
  const double sse = std::max(yy_ - 2 * cross + quad, 0.0);
  return sse / (static_cast<double>(count_) * static_cast<double>(outputs_));
}

double LeastSquaresFit::Signal() const {
  return count_ > 0 ? yy_ / (static_cast<double>(count_) * static_cast<double>(outputs_)) : 0.0;
}

}  // namespace detlite::prune
