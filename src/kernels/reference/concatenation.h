// CONCATENATION (and PACK, which is concatenation along a new axis). Every
// tensor is seen as [outer, axis, inner]; inputs share outer and inner and
// are laid after each other along the axis.
#ifndef DETLITE_KERNELS_REFERENCE_CONCATENATION_H_
#define DETLITE_KERNELS_REFERENCE_CONCATENATION_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace detlite::kernels::reference {

struct ConcatGeometry {
  int64_t outer = 1;
  int64_t inner = 1;
  std::vector<int64_t> axis_sizes;  // one per input
};

template <typename T>
void Concatenation(const ConcatGeometry& g, const T* const* inputs, T* output) {
  T* out = output;
  for (int64_t o = 0; o < g.outer; ++o) {
    for (size_t i = 0; i < g.axis_sizes.size(); ++i) {
      const int64_t chunk = g.axis_sizes[i] * g.inner;
      std::memcpy(out, inputs[i] + o * chunk, static_cast<size_t>(chunk) * sizeof(T));
      out += chunk;
    }
  }
}

struct ConcatQuant {
  std::vector<float> input_scale;
  std::vector<int32_t> input_zero_point;
  float output_scale = 0;
  int32_t output_zero_point = 0;
};

// TFLite's ConcatenationWithScaling: an input whose scale and zero point equal
// the output's is copied; any other is rescaled per element in float,
//   q_out = round(q_in * s + b) + zp_out,  s = scale_in * (1 / scale_out),
//   b = -zp_in * s,
// rounded half away from zero and clamped to T's range.
template <typename T>
void ConcatenationWithScaling(const ConcatGeometry& g, const ConcatQuant& q,
                              const T* const* inputs, T* output) {
  const float inverse_output_scale = 1.0f / q.output_scale;
  constexpr int32_t kMin = std::numeric_limits<T>::min();
  constexpr int32_t kMax = std::numeric_limits<T>::max();
  T* out = output;
  for (int64_t o = 0; o < g.outer; ++o) {
    for (size_t i = 0; i < g.axis_sizes.size(); ++i) {
      const int64_t chunk = g.axis_sizes[i] * g.inner;
      const T* in = inputs[i] + o * chunk;
      if (q.input_scale[i] == q.output_scale &&
          q.input_zero_point[i] == q.output_zero_point) {
        std::memcpy(out, in, static_cast<size_t>(chunk) * sizeof(T));
      } else {
        const float scale = q.input_scale[i] * inverse_output_scale;
        const float bias = -static_cast<float>(q.input_zero_point[i]) * scale;
        for (int64_t j = 0; j < chunk; ++j) {
          const float scaled = static_cast<float>(in[j]) * scale;
          const int32_t v = static_cast<int32_t>(std::round(scaled + bias)) + q.output_zero_point;
          out[j] = static_cast<T>(std::clamp(v, kMin, kMax));
        }
      }
      out += chunk;
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_CONCATENATION_H_
