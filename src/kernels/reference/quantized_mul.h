// Quantized MUL as TFLite computes it: the product of the two
// zero-point-corrected inputs is an int32 whose real scale is s1 * s2; one
// fixed-point multiplier s1 * s2 / s_out takes it to the output scale.
#ifndef DETLITE_KERNELS_REFERENCE_QUANTIZED_MUL_H_
#define DETLITE_KERNELS_REFERENCE_QUANTIZED_MUL_H_

#include <algorithm>
#include <cstdint>

#include "core/shape.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/quant_math.h"

namespace detlite::kernels::reference {

struct QuantizedMulParams {
  int32_t input1_offset = 0;  // minus the zero point
  int32_t input2_offset = 0;
  int32_t output_offset = 0;  // the zero point
  int32_t output_multiplier = 0;
  int output_shift = 0;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
};

// TFLite forms the ratio in float arithmetic before widening it to double;
// the multiplier's last bit depends on that.
inline void PrepareQuantizedMul(float input1_scale, float input2_scale,
                                float output_scale, QuantizedMulParams* p) {
  const float real = input1_scale * input2_scale / output_scale;
  QuantizeMultiplier(real, &p->output_multiplier, &p->output_shift);
}

template <typename T>
void QuantizedMul(const QuantizedMulParams& p, const Shape& a_shape,
                  const T* a, const Shape& b_shape, const T* b,
                  const Shape& out_shape, T* out) {
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out, [&p](T x, T y) {
    // Fits int32: |x - zp| <= 65535 for int16 and the product of two such
    // values stays below 2^31 only for 8-bit; int16 MUL has zero points 0,
    // so |x| <= 32768 and the product is at most 2^30.
    const int32_t prod = (p.input1_offset + x) * (p.input2_offset + y);
    const int32_t v =
        MultiplyByQuantizedMultiplier(prod, p.output_multiplier,
                                      p.output_shift) +
        p.output_offset;
    return static_cast<T>(std::clamp(v, p.activation_min, p.activation_max));
  });
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_QUANTIZED_MUL_H_
