#include "quant/adaround.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/igemm_f32.h"

namespace detlite::quant {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The rectified sigmoid's stretch (the paper's zeta and gamma).
constexpr float kZeta = 1.1f;
constexpr float kGamma = -0.1f;

float Sigmoid(float v) { return 1.0f / (1.0f + std::exp(-v)); }

// E|(q s - w) x|^2 summed over rows, for integer weights q.
double RowErrors(const RowMatrix& wi, const RowMatrix& q, const Eigen::VectorXf& s,
                 const Eigen::MatrixXf& h) {
  const RowMatrix d = (q - wi).array().colwise() * s.array();
  const RowMatrix dh = d * h;
  return static_cast<double>((dh.array() * d.array()).sum());
}

// 1 - |2h - 1|^beta, summed, and its derivative by h into `grad`.
void RegularizerGradient(const RowMatrix& hv, float beta, float weight, RowMatrix& grad) {
  for (Eigen::Index i = 0; i < hv.size(); ++i) {
    const float u = 2.0f * hv.data()[i] - 1.0f;
    const float a = std::fabs(u);
    if (a <= 0.0f) continue;
    grad.data()[i] += weight * -beta * std::pow(a, beta - 1.0f) * (u > 0 ? 2.0f : -2.0f);
  }
}

}  // namespace

AdaRoundResult AdaRoundRows(const float* w, int64_t rows, int64_t k, const float* scales,
                            const double* h, const std::vector<int64_t>& fixed,
                            const AdaRoundOptions& options) {
  const Eigen::Map<const RowMatrix> wm(w, rows, k);
  const Eigen::VectorXf s = Eigen::Map<const Eigen::VectorXf>(scales, rows);
  Eigen::MatrixXf hm(k, k);
  for (int64_t i = 0; i < k; ++i) {
    for (int64_t j = 0; j < k; ++j) hm(i, j) = static_cast<float>(h[i * k + j]);
  }
  const RowMatrix wi = wm.array().colwise() / s.array();
  const float qmin = static_cast<float>(options.qmin), qmax = static_cast<float>(options.qmax);
  RowMatrix nearest = wi.array().round().max(qmin).min(qmax);
  RowMatrix base = wi.array().floor();
  Eigen::Matrix<uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> free =
      Eigen::Matrix<uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>::Ones(rows, k);
  for (int64_t e : fixed) {
    if (e < 0 || e >= rows * k) continue;
    free.data()[e] = 0;
    base.data()[e] = nearest.data()[e];
  }
  AdaRoundResult result;
  result.nearest_error = RowErrors(wi, nearest, s, hm);
  // V starts where the soft weight equals the float weight.
  RowMatrix v(rows, k);
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    const float frac = wi.data()[i] - base.data()[i];
    const float p = std::clamp((frac - kGamma) / (kZeta - kGamma), 1e-4f, 1.0f - 1e-4f);
    v.data()[i] = std::log(p / (1.0f - p));
  }
  RowMatrix m = RowMatrix::Zero(rows, k), second = RowMatrix::Zero(rows, k);
  RowMatrix hv(rows, k), grad(rows, k), sig(rows, k), d(rows, k);
  const float norm = result.nearest_error > 0 ? static_cast<float>(1.0 / result.nearest_error) : 1.0f;
  const float reg_weight = options.regularization / static_cast<float>(rows * k);
  const int warm = static_cast<int>(options.warm_up * static_cast<float>(options.iterations));
  constexpr float kBeta1 = 0.9f, kBeta2 = 0.999f, kEps = 1e-8f;
  // grad = d H on the runtime's dispatched float GEMM (a 1x1 convolution of
  // `rows` pixels with k channels by the k filters H, symmetric so H^T = H):
  // this product is the whole cost of an iteration.
  namespace opt = kernels::optimized;
  opt::PackedConvF32 packed;
  opt::PackConvF32(opt::ActiveIsa(), static_cast<int>(k), static_cast<int>(k), hm.data(), nullptr,
                   &packed);
  kernels::ConvGeometry geo;
  geo.in_h = geo.out_h = static_cast<int32_t>(rows);
  geo.in_w = geo.out_w = geo.filter_h = geo.filter_w = 1;
  geo.in_c = geo.out_c = static_cast<int32_t>(k);
  const opt::Parallel serial;
  constexpr float kInf = std::numeric_limits<float>::infinity();
  float b1t = 1.0f, b2t = 1.0f;
  for (int t = 0; t < options.iterations; ++t) {
    for (Eigen::Index r = 0; r < rows; ++r) {
      const float sr = s(r);
      for (Eigen::Index i = r * k; i < (r + 1) * k; ++i) {
        const float sg = Sigmoid(v.data()[i]);
        const float raw = sg * (kZeta - kGamma) + kGamma;
        sig.data()[i] = sg;
        hv.data()[i] = free.data()[i] ? std::clamp(raw, 0.0f, 1.0f) : 0.0f;
        const float soft = std::clamp(base.data()[i] + hv.data()[i], qmin, qmax);
        d.data()[i] = (soft - wi.data()[i]) * sr;
      }
    }
    opt::ConvFloatIgemm(geo, d.data(), packed, -kInf, kInf, grad.data(), serial);
    grad = (grad.array().colwise() * s.array()) * (2.0f * norm);
    if (t >= warm) {
      const float rel = static_cast<float>(t - warm) / static_cast<float>(std::max(1, options.iterations - warm));
      const float beta = options.beta_end + (options.beta_start - options.beta_end) * (1.0f - rel);
      RegularizerGradient(hv, beta, reg_weight, grad);
    }
    b1t *= kBeta1;
    b2t *= kBeta2;
    const float lr1 = options.learning_rate / (1.0f - b1t), inv_b2 = 1.0f / (1.0f - b2t);
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      const float sg = sig.data()[i];
      const float raw = sg * (kZeta - kGamma) + kGamma;
      const float q = base.data()[i] + raw;
      const bool passes = free.data()[i] && raw > 0.0f && raw < 1.0f && q >= qmin && q <= qmax;
      if (!passes) continue;
      const float g = grad.data()[i] * sg * (1.0f - sg) * (kZeta - kGamma);
      m.data()[i] = kBeta1 * m.data()[i] + (1.0f - kBeta1) * g;
      second.data()[i] = kBeta2 * second.data()[i] + (1.0f - kBeta2) * g * g;
      v.data()[i] -= lr1 * m.data()[i] / (std::sqrt(second.data()[i] * inv_b2) + kEps);
    }
  }
  RowMatrix hard(rows, k);
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    const float up = free.data()[i] && Sigmoid(v.data()[i]) * (kZeta - kGamma) + kGamma >= 0.5f ? 1.0f : 0.0f;
    hard.data()[i] = std::clamp(base.data()[i] + up, qmin, qmax);
  }
  result.adaround_error = RowErrors(wi, hard, s, hm);
  result.q.resize(static_cast<size_t>(rows * k));
  for (Eigen::Index i = 0; i < hard.size(); ++i) {
    result.q[static_cast<size_t>(i)] = static_cast<int32_t>(hard.data()[i]);
    result.flipped += hard.data()[i] != nearest.data()[i] ? 1 : 0;
  }
  return result;
}

}  // namespace detlite::quant
