// SOFTMAX over the last dimension, with beta: out = exp(beta * (x - max)) /
// sum(exp(beta * (x - max))).
//
// The 8-bit kernel is the one TFLite's builtin (optimized) kernel runs, which
// is what the real runtime outputs: a 256-entry float table holds
// exp(-s_in * beta * d) for every possible distance d = max - x between raw
// values, the row sum is accumulated in float in input order, and each
// probability is requantized to the output scale (1/256). For uint8 the
// rounding is +0.5 then truncation (TFLite's non-ARM64 path); for int8 it is
// round-half-away-from-zero plus the zero point (-128).
#ifndef DETLITE_KERNELS_REFERENCE_SOFTMAX_H_
#define DETLITE_KERNELS_REFERENCE_SOFTMAX_H_

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace detlite::kernels::reference {

// outer rows of `depth` elements each.
inline void SoftmaxFloat(float beta, int64_t outer, int64_t depth,
                         const float* in, float* out) {
  for (int64_t r = 0; r < outer; ++r, in += depth, out += depth) {
    float max = std::numeric_limits<float>::lowest();
    for (int64_t j = 0; j < depth; ++j) max = std::max(max, in[j]);
    float sum = 0.0f;
    for (int64_t j = 0; j < depth; ++j) {
      out[j] = std::exp((in[j] - max) * beta);
      sum += out[j];
    }
    const float inv = 1.0f / sum;
    for (int64_t j = 0; j < depth; ++j) out[j] *= inv;
  }
}

struct QuantizedSoftmaxParams {
  // exp_table[255 - d] = exp(-input_scale * beta * d).
  std::array<float, 256> exp_table{};
  float output_scale = 1.0f / 256.0f;
  int32_t output_zero_point = 0;
};

// Row-wise log-softmax: x - max - log(sum(exp(x - max))).
inline void LogSoftmaxFloat(int64_t outer, int64_t depth, const float* in, float* out) {
  for (int64_t r = 0; r < outer; ++r, in += depth, out += depth) {
    float max = in[0];
    for (int64_t i = 1; i < depth; ++i) max = std::max(max, in[i]);
    float sum = 0;
    for (int64_t i = 0; i < depth; ++i) sum += std::exp(in[i] - max);
    const float log_sum = std::log(sum);
    for (int64_t i = 0; i < depth; ++i) out[i] = in[i] - max - log_sum;
  }
}

inline void PrepareQuantizedSoftmax(float input_scale, float beta,
                                    float output_scale,
                                    int32_t output_zero_point,
                                    QuantizedSoftmaxParams* p) {
  const float scale = -input_scale * beta;
  for (int32_t d = 0; d <= 255; ++d) {
    p->exp_table[static_cast<size_t>(255 - d)] =
        std::exp(scale * static_cast<float>(d));
  }
  p->output_scale = output_scale;
  p->output_zero_point = output_zero_point;
}

template <typename T>
void QuantizedSoftmax(const QuantizedSoftmaxParams& p, int64_t outer,
                      int64_t depth, const T* in, T* out) {
  static_assert(sizeof(T) == 1, "8-bit softmax");
  const int32_t qmin = std::numeric_limits<T>::min();
  const int32_t qmax = std::numeric_limits<T>::max();
  for (int64_t r = 0; r < outer; ++r, in += depth, out += depth) {
    int32_t max = qmin;
    for (int64_t j = 0; j < depth; ++j) max = std::max<int32_t>(max, in[j]);
    // exp of (x - max) is exp_table[255 - (max - x)].
    auto exp_of = [&](T x) {
      return p.exp_table[static_cast<size_t>(255 - max + int32_t{x})];
    };
    float sum = 0.0f;
    for (int64_t j = 0; j < depth; ++j) sum += exp_of(in[j]);
    const float inv = 1.0f / (sum * p.output_scale);
    for (int64_t j = 0; j < depth; ++j) {
      const float prob = exp_of(in[j]) * inv;
      int32_t q;
      if constexpr (std::is_same_v<T, uint8_t>) {
        q = static_cast<int32_t>(prob + 0.5f);
      } else {
        q = static_cast<int32_t>(std::round(prob)) + p.output_zero_point;
      }
      out[j] = static_cast<T>(std::clamp(q, qmin, qmax));
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_SOFTMAX_H_
