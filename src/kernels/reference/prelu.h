// PRELU: x for x >= 0, alpha * x otherwise, with alpha broadcast against the
// input (typically one alpha per channel, shape [1, 1, C]).
//
// Quantized: non-negative inputs are rescaled by s_in / s_out; negative ones
// are multiplied by the zero-point-corrected alpha and rescaled by
// s_in * s_alpha / s_out.
#ifndef DETLITE_KERNELS_REFERENCE_PRELU_H_
#define DETLITE_KERNELS_REFERENCE_PRELU_H_

#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/shape.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/quant_math.h"

namespace detlite::kernels::reference {

inline void PreluFloat(const Shape& in_shape, const float* in,
                       const Shape& alpha_shape, const float* alpha,
                       const Shape& out_shape, float* out) {
  BroadcastBinary(in_shape, in, alpha_shape, alpha, out_shape, out,
                  [](float x, float a) { return x >= 0.0f ? x : x * a; });
}

struct QuantizedPreluParams {
  int32_t input_zero_point = 0;
  int32_t alpha_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t identity_multiplier = 0;  // s_in / s_out
  int identity_shift = 0;
  int32_t alpha_multiplier = 0;  // s_in * s_alpha / s_out
  int alpha_shift = 0;
};

template <typename T>
void QuantizedPrelu(const QuantizedPreluParams& p, const Shape& in_shape,
                    const T* in, const Shape& alpha_shape, const T* alpha,
                    const Shape& out_shape, T* out) {
  BroadcastBinary(in_shape, in, alpha_shape, alpha, out_shape, out,
                  [&p](T xq, T aq) {
    const int32_t x = static_cast<int32_t>(xq) - p.input_zero_point;
    int32_t v;
    if (x >= 0) {
      v = MultiplyByQuantizedMultiplier(x, p.identity_multiplier,
                                        p.identity_shift);
    } else {
      const int32_t a = static_cast<int32_t>(aq) - p.alpha_zero_point;
      v = MultiplyByQuantizedMultiplier(x * a, p.alpha_multiplier,
                                        p.alpha_shift);
    }
    v += p.output_zero_point;
    return static_cast<T>(std::clamp<int32_t>(
        v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  });
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_PRELU_H_
