// The clamping activations (RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1) and
// LEAKY_RELU, float and quantized.
//
// Quantized RELU-style ops in TFLite requantize: the input (zero point
// removed) is rescaled by s_in / s_out, the output zero point added, and the
// result clamped to the activation's range expressed in output units. Input
// and output may therefore have different scales.
#ifndef DETLITE_KERNELS_REFERENCE_ACTIVATIONS_H_
#define DETLITE_KERNELS_REFERENCE_ACTIVATIONS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/reference/quant_math.h"

namespace detlite::kernels::reference {

// Float clamp to [lo, hi]; +/-infinity for an open end, so an infinite
// input passes RELU unchanged as in XNNPACK's clamp.
inline void ClampFloat(float lo, float hi, int64_t n, const float* in,
                       float* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::min(std::max(in[i], lo), hi);
}

struct QuantizedClampParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t output_multiplier = 0;  // s_in / s_out
  int output_shift = 0;
  int32_t activation_min = 0;  // in output units, within T's range
  int32_t activation_max = 0;
};

template <typename T>
void QuantizedClamp(const QuantizedClampParams& p, int64_t n, const T* in,
                    T* out) {
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v =
        p.output_zero_point +
        MultiplyByQuantizedMultiplier(static_cast<int32_t>(in[i]) -
                                          p.input_zero_point,
                                      p.output_multiplier, p.output_shift);
    out[i] = static_cast<T>(std::clamp(v, p.activation_min, p.activation_max));
  }
}

// Output range of a quantized clamp to real [lo, hi] (hi may be +infinity),
// rounding each end to the nearest output step as TFLite does.
template <typename T>
void QuantizedClampRange(float lo, float hi, float output_scale,
                         int32_t output_zero_point, int32_t* qmin,
                         int32_t* qmax) {
  const int32_t tmin = std::numeric_limits<T>::min();
  const int32_t tmax = std::numeric_limits<T>::max();
  *qmin = std::max(tmin, output_zero_point + static_cast<int32_t>(
                                                 std::round(lo / output_scale)));
  *qmax = hi == std::numeric_limits<float>::infinity()
              ? tmax
              : std::min(tmax, output_zero_point +
                                   static_cast<int32_t>(
                                       std::round(hi / output_scale)));
}

inline void LeakyReluFloat(float alpha, int64_t n, const float* in,
                           float* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = in[i] > 0.0f ? in[i] : in[i] * alpha;
}

// Non-negative inputs are rescaled by s_in / s_out, negative ones by
// alpha * s_in / s_out.
struct QuantizedLeakyReluParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t identity_multiplier = 0;
  int identity_shift = 0;
  int32_t alpha_multiplier = 0;
  int alpha_shift = 0;
};

template <typename T>
void QuantizedLeakyRelu(const QuantizedLeakyReluParams& p, int64_t n,
                        const T* in, T* out) {
  for (int64_t i = 0; i < n; ++i) {
    const int32_t x = static_cast<int32_t>(in[i]) - p.input_zero_point;
    const int32_t scaled =
        x >= 0 ? MultiplyByQuantizedMultiplier(x, p.identity_multiplier,
                                               p.identity_shift)
               : MultiplyByQuantizedMultiplier(x, p.alpha_multiplier,
                                               p.alpha_shift);
    const int32_t v = p.output_zero_point + scaled;
    out[i] = static_cast<T>(std::clamp<int32_t>(
        v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_ACTIVATIONS_H_
