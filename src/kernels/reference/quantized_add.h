// Quantized ADD and SUB as TFLite computes them.
//
// General path (uint8, int8, and int16 with arbitrary scales): each input
// has its zero point removed, is widened by 2^left_shift (20 for 8-bit, 15
// for 16-bit: the sum of two such values still fits int32), and is rescaled
// to a common scale of twice the larger input scale by a multiplier < 1. The
// sum is then rescaled to the output scale. SUB is the same computation with
// the second input's multiplier negated.
//
// Power-of-two path (int16, zero points 0, every scale a power of two, the
// op's pot_scale_int16 option set): one input is already at the output
// scale and the other is shifted right onto it; the sum saturates to int16.
#ifndef DETLITE_KERNELS_REFERENCE_QUANTIZED_ADD_H_
#define DETLITE_KERNELS_REFERENCE_QUANTIZED_ADD_H_

#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/shape.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/quant_math.h"

namespace detlite::kernels::reference {

struct QuantizedAddParams {
  int left_shift = 20;
  int32_t input1_offset = 0;  // minus the zero point
  int32_t input2_offset = 0;
  int32_t output_offset = 0;  // the zero point
  int32_t input1_multiplier = 0;
  int input1_shift = 0;
  int32_t input2_multiplier = 0;  // negative for SUB
  int input2_shift = 0;
  int32_t output_multiplier = 0;
  int output_shift = 0;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
};

// Fills the multipliers and shifts of the general path from real scales.
// `sign` is +1 for ADD and -1 for SUB.
inline void PrepareQuantizedAdd(double input1_scale, double input2_scale,
                                double output_scale, int left_shift, int sign,
                                QuantizedAddParams* p) {
  p->left_shift = left_shift;
  const double twice_max = 2.0 * std::max(input1_scale, input2_scale);
  QuantizeMultiplier(input1_scale / twice_max, &p->input1_multiplier,
                     &p->input1_shift);
  QuantizeMultiplier(input2_scale / twice_max, &p->input2_multiplier,
                     &p->input2_shift);
  p->input2_multiplier *= sign;
  QuantizeMultiplier(
      twice_max / (static_cast<double>(int64_t{1} << left_shift) * output_scale),
      &p->output_multiplier, &p->output_shift);
}

template <typename T>
void QuantizedAdd(const QuantizedAddParams& p, const Shape& a_shape,
                  const T* a, const Shape& b_shape, const T* b,
                  const Shape& out_shape, T* out) {
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out, [&p](T x, T y) {
    const int32_t x_wide = (p.input1_offset + x) * (int32_t{1} << p.left_shift);
    const int32_t y_wide = (p.input2_offset + y) * (int32_t{1} << p.left_shift);
    const int32_t x_scaled = MultiplyByQuantizedMultiplier(
        x_wide, p.input1_multiplier, p.input1_shift);
    const int32_t y_scaled = MultiplyByQuantizedMultiplier(
        y_wide, p.input2_multiplier, p.input2_shift);
    const int32_t sum = MultiplyByQuantizedMultiplier(
        x_scaled + y_scaled, p.output_multiplier, p.output_shift);
    const int32_t v = sum + p.output_offset;
    return static_cast<T>(std::clamp(v, p.activation_min, p.activation_max));
  });
}

// The int16 power-of-two path. input1_shift and input2_shift are
// log2(input scale / output scale): both <= 0 and at least one is 0.
struct Int16PotAddParams {
  int input1_shift = 0;
  int input2_shift = 0;
  bool subtract = false;
  int32_t activation_min = std::numeric_limits<int16_t>::min();
  int32_t activation_max = std::numeric_limits<int16_t>::max();
};

inline void Int16PotAdd(const Int16PotAddParams& p, const Shape& a_shape,
                        const int16_t* a, const Shape& b_shape,
                        const int16_t* b, const Shape& out_shape,
                        int16_t* out) {
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out,
                  [&p](int16_t x, int16_t y) {
    const int32_t xs = RoundingDivideByPOT(x, -p.input1_shift);
    const int32_t ys = RoundingDivideByPOT(y, -p.input2_shift);
    int32_t v = p.subtract ? xs - ys : xs + ys;
    v = std::clamp<int32_t>(v, std::numeric_limits<int16_t>::min(),
                            std::numeric_limits<int16_t>::max());
    return static_cast<int16_t>(
        std::clamp(v, p.activation_min, p.activation_max));
  });
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_QUANTIZED_ADD_H_
