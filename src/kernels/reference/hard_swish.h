// HARD_SWISH: x * relu6(x + 3) / 6.
//
// The 8-bit kernel is TFLite's 16-bit fixed-point scheme: the input is moved
// to a "hi-res" scale (s_in / 128), a "relu-ish" factor in [0, 1] is derived
// from it on a scale where 3.0 maps to 2^15, and the product of the two is
// brought to the output scale by a 16-bit multiplier and a right shift.
// Multipliers are computed in float and cut down from Q31 to Q15, and the
// final product truncates rather than rounds (that cancels the bias of the
// rounding steps before it); each of these choices is visible in the output
// bits, so they are reproduced exactly.
#ifndef DETLITE_KERNELS_REFERENCE_HARD_SWISH_H_
#define DETLITE_KERNELS_REFERENCE_HARD_SWISH_H_

#include <algorithm>
#include <cstdint>
#include <limits>

#include "kernels/reference/quant_math.h"

namespace detlite::kernels::reference {

inline void HardSwishFloat(int64_t n, const float* in, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    const float x = in[i];
    out[i] = x * std::min(6.0f, std::max(0.0f, x + 3.0f)) / 6.0f;
  }
}

struct QuantizedHardSwishParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int16_t reluish_multiplier = 0;  // Q15
  int reluish_exponent = 0;
  int16_t output_multiplier = 0;  // Q15
  int output_exponent = 0;        // <= 0
};

namespace hard_swish_internal {

inline int16_t SaturateInt16(int64_t v) {
  return static_cast<int16_t>(std::clamp<int64_t>(
      v, std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max()));
}

inline int16_t SaturatingLeftShift16(int16_t v, int amount) {
  return SaturateInt16(static_cast<int64_t>(v) * (int64_t{1} << amount));
}

// Q15 product with round-to-nearest (ties away from zero).
inline int16_t RoundingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) {
    return std::numeric_limits<int16_t>::max();
  }
  const int32_t ab = int32_t{a} * int32_t{b};
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

// Q15 product truncated toward zero.
inline int16_t DoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) {
    return std::numeric_limits<int16_t>::max();
  }
  return static_cast<int16_t>((int32_t{a} * int32_t{b}) / (1 << 15));
}

// Q31 multiplier rounded to Q15, saturating near the top.
inline int16_t Q31ToQ15(int32_t q31) {
  constexpr int32_t kHalf = 1 << 15;
  if (q31 >= std::numeric_limits<int32_t>::max() - kHalf) {
    return std::numeric_limits<int16_t>::max();
  }
  return static_cast<int16_t>((q31 + kHalf) >> 16);
}

}  // namespace hard_swish_internal

// Returns false when the output multiplier would need a left shift, which
// TFLite rejects (output scale smaller than input scale / 128).
inline bool PrepareQuantizedHardSwish(float input_scale,
                                      int32_t input_zero_point,
                                      float output_scale,
                                      int32_t output_zero_point,
                                      QuantizedHardSwishParams* p) {
  using hard_swish_internal::Q31ToQ15;
  p->input_zero_point = input_zero_point;
  p->output_zero_point = output_zero_point;
  // TFLite computes these ratios in float, then widens to double.
  const float hires_input_scale = (1.0f / 128.0f) * input_scale;
  const float reluish_scale = 3.0f / 32768.0f;
  int32_t q31 = 0;
  QuantizeMultiplier(hires_input_scale / output_scale, &q31,
                     &p->output_exponent);
  p->output_multiplier = Q31ToQ15(q31);
  QuantizeMultiplier(hires_input_scale / reluish_scale, &q31,
                     &p->reluish_exponent);
  p->reluish_multiplier = Q31ToQ15(q31);
  return p->output_exponent <= 0;
}

template <typename T>
void QuantizedHardSwish(const QuantizedHardSwishParams& p, int64_t n,
                        const T* in, T* out) {
  using namespace hard_swish_internal;  // NOLINT(build/namespaces)
  for (int64_t i = 0; i < n; ++i) {
    const int16_t x = static_cast<int16_t>(in[i] - p.input_zero_point);
    // |x| <= 255, so x * 128 fits int16 exactly.
    const int16_t x_hires = static_cast<int16_t>(x * (1 << 7));
    const int16_t x_preshift_out =
        RoundingDoublingHighMul16(x_hires, p.output_multiplier);
    // Relu-ish factor: x on the scale where 3.0 is 2^15, saturating. For a
    // left shift, all but the last bit are applied before the multiply so
    // that only the final shift can saturate.
    int16_t reluish = x_hires;
    if (p.reluish_exponent > 0) {
      reluish = SaturatingLeftShift16(reluish, p.reluish_exponent - 1);
    }
    reluish = RoundingDoublingHighMul16(reluish, p.reluish_multiplier);
    if (p.reluish_exponent > 0) {
      reluish = SaturatingLeftShift16(reluish, 1);
    } else if (p.reluish_exponent < 0) {
      reluish = static_cast<int16_t>(
          RoundingDivideByPOT(reluish, -p.reluish_exponent));
    }
    // [-1, 1] -> [0, 1].
    reluish = static_cast<int16_t>((int32_t{reluish} + (1 << 15)) >> 1);
    const int16_t preshift = DoublingHighMul16(reluish, x_preshift_out);
    // TFLite adds the zero point in int16, so an (unrealistic) overflow there
    // wraps before the final clamp; doing the same keeps every bit equal.
    const int32_t shifted = RoundingDivideByPOT(preshift, -p.output_exponent);
    const int32_t v = static_cast<int16_t>(
        static_cast<uint16_t>(shifted + p.output_zero_point));
    out[i] = static_cast<T>(std::clamp<int32_t>(
        v, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_HARD_SWISH_H_
