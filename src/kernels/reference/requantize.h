// The ways the judge (TFLite ~2.12 with the XNNPACK delegate, as measured
// against it op by op, see tests/runtime/conv_oracle_test.cc) turns an
// integer accumulator into a quantized output of the conv family. Each is a
// small value type whose call operator maps (accumulator, output channel) to
// the final, clamped output value, so the reference kernels stay generic:
//  - Fp32Requant: XNNPACK, which takes every 8-bit op of the family whose
//    filter and bias are constant (with a few exceptions the runtime glue
//    knows): float(acc) * float scale, rounded half to even.
//  - FixedPointRequant: TFLite's own gemmlowp-style kernels (Q31 multiplier,
//    doubling high multiply then a rounding shift: two roundings).
//  - SingleRoundingRequant: TFLite's own ruy-backed int8 kernels (int8
//    CONV_2D and FULLY_CONNECTED with run-time weights): one 64-bit product,
//    rounded once, ties toward +infinity.
//  - WideFixedPointRequant: TFLite's 16x8 kernels (int16 activations, int64
//    accumulator): the multiplier cut to 16 bits, rounded once.
// They disagree by one step on a few outputs in a thousand, which is why all
// exist.
#ifndef DETLITE_KERNELS_REFERENCE_REQUANTIZE_H_
#define DETLITE_KERNELS_REFERENCE_REQUANTIZE_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/reference/quant_math.h"

namespace detlite::kernels {

// x * (quantized * 2^(shift - 31)) for 64-bit accumulators, as TFLite's 16x8
// kernels do it: the Q31 multiplier is rounded to Q15 (saturating at 0x7FFF)
// and the product rounded once, ties toward +infinity. |x| must stay below
// 2^47 and shift below 15, which any sane scale satisfies.
inline int32_t MultiplyByQuantizedMultiplierInt64(int64_t x, int32_t quantized,
                                                  int shift) {
  const int64_t reduced =
      quantized < 0x7FFF0000
          ? (static_cast<int64_t>(quantized) + (1 << 15)) >> 16
          : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t rounded = x * reduced + (int64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(rounded >> total_shift);
}

// x * (quantized * 2^(shift - 31)) rounded once, ties toward +infinity.
// shift must be at most 30.
inline int32_t MultiplyByQuantizedMultiplierSingleRounding(int32_t x,
                                                           int32_t quantized,
                                                           int shift) {
  const int total_shift = 31 - shift;
  const int64_t rounded =
      static_cast<int64_t>(x) * quantized + (int64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(rounded >> total_shift);
}

// Per-channel arrays are indexed by output channel; for per-tensor
// quantization the caller fills every channel with the same value.
struct FixedPointRequant {
  const int32_t* multiplier;
  const int* shift;
  int32_t output_zero_point;
  int32_t act_min, act_max;

  int32_t operator()(int32_t acc, int channel) const {
    int32_t v =
        MultiplyByQuantizedMultiplier(acc, multiplier[channel], shift[channel]);
    v += output_zero_point;
    return std::clamp(v, act_min, act_max);
  }
};

struct SingleRoundingRequant {
  const int32_t* multiplier;
  const int* shift;
  int32_t output_zero_point;
  int32_t act_min, act_max;

  int32_t operator()(int32_t acc, int channel) const {
    int32_t v = MultiplyByQuantizedMultiplierSingleRounding(
        acc, multiplier[channel], shift[channel]);
    v += output_zero_point;
    return std::clamp(v, act_min, act_max);
  }
};

struct WideFixedPointRequant {
  const int32_t* multiplier;
  const int* shift;
  int32_t output_zero_point;
  int32_t act_min, act_max;

  int32_t operator()(int64_t acc, int channel) const {
    int32_t v = MultiplyByQuantizedMultiplierInt64(acc, multiplier[channel],
                                                   shift[channel]);
    v += output_zero_point;
    return std::clamp(v, act_min, act_max);
  }
};

struct Fp32Requant {
  const float* scale;  // input_scale * filter_scale[c] / output_scale, in float
  int32_t output_zero_point;
  int32_t act_min, act_max;

  int32_t operator()(int32_t acc, int channel) const {
    float v = static_cast<float>(acc) * scale[channel];
    // Clamping before rounding keeps the float-to-int conversion in range;
    // the bounds are integers, so it gives the same result as clamping after.
    v = std::clamp(v, static_cast<float>(act_min - output_zero_point),
                   static_cast<float>(act_max - output_zero_point));
    // nearbyint in the default rounding mode: ties to even, like XNNPACK.
    return static_cast<int32_t>(std::nearbyint(v)) + output_zero_point;
  }
};

// XNNPACK's float requantization scale, computed in float as it does.
inline float Fp32RequantScale(float input_scale, float filter_scale,
                              float output_scale) {
  return input_scale * filter_scale / output_scale;
}

// XNNPACK's quantized clamp bounds for a fused activation whose float range is
// [lo, hi]: lrintf(v / scale + zero_point) in float, limited to [qmin, qmax].
inline int32_t Fp32QuantizeBound(float v, float scale, int32_t zero_point,
                                 int32_t qmin, int32_t qmax) {
  float q = v / scale + static_cast<float>(zero_point);
  q = std::clamp(q, static_cast<float>(qmin), static_cast<float>(qmax));
  return static_cast<int32_t>(std::nearbyint(q));
}

}  // namespace detlite::kernels

#endif  // DETLITE_KERNELS_REFERENCE_REQUANTIZE_H_
