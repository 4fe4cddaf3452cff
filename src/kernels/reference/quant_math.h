// Fixed-point arithmetic of TFLite's integer kernels. A real multiplier M in
// (0, 1) or above is stored as a Q31 significand and a power-of-two exponent;
// rescaling an int32 accumulator is a saturating rounding doubling high
// multiply followed by a rounding right shift ("double rounding"), which is
// what the reference TFLite runtime does by default. Matching these bit for
// bit is what makes detlite's integer outputs equal TFLite's.
#ifndef DETLITE_KERNELS_REFERENCE_QUANT_MATH_H_
#define DETLITE_KERNELS_REFERENCE_QUANT_MATH_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace detlite::kernels {

// Splits `real` into q (Q31, in [2^30, 2^31)) and shift with
// real = q * 2^(shift - 31). real == 0 gives q = 0, shift = 0.
inline void QuantizeMultiplier(double real, int32_t* quantized, int* shift) {
  if (real == 0.0) {
    *quantized = 0;
    *shift = 0;
    return;
  }
  const double q = std::frexp(real, shift);  // real = q * 2^shift, q in [.5,1)
  int64_t q_fixed = static_cast<int64_t>(std::round(q * (1LL << 31)));
  if (q_fixed == (1LL << 31)) {
    q_fixed /= 2;
    ++*shift;
  }
  // Shifts below -31 underflow to zero, as TFLite does.
  if (*shift < -31) {
    *shift = 0;
    q_fixed = 0;
  }
  *quantized = static_cast<int32_t>(q_fixed);
}

// (a * b * 2) >> 31, rounded to nearest (ties away from zero), saturating the
// single overflow case a == b == INT32_MIN.
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) {
    return std::numeric_limits<int32_t>::max();
  }
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (1LL << 31));
}

// x / 2^exponent rounded to nearest, ties away from zero.
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + ((x < 0) ? 1 : 0);
  return (x >> exponent) + ((remainder > threshold) ? 1 : 0);
}

// x * (quantized * 2^(shift - 31)) with TFLite's double rounding.
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t quantized,
                                             int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  // The left shift is applied before the multiply and wraps like TFLite's
  // (x * (1 << left_shift)) on int32.
  const int32_t shifted = static_cast<int32_t>(
      static_cast<uint32_t>(x) * (uint32_t{1} << left_shift));
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(shifted, quantized), right_shift);
}

// For multipliers known to be < 1 (shift <= 0).
inline int32_t MultiplyByQuantizedMultiplierSmallerThanOne(int32_t x,
                                                           int32_t quantized,
                                                           int shift) {
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, quantized),
                             -shift);
}

// For multipliers known to be >= 1 (shift >= 0).
inline int32_t MultiplyByQuantizedMultiplierGreaterThanOne(int32_t x,
                                                           int32_t quantized,
                                                           int shift) {
  return SaturatingRoundingDoublingHighMul(
      static_cast<int32_t>(static_cast<uint32_t>(x) * (uint32_t{1} << shift)),
      quantized);
}

// Range [*min, *max] of a quantized type after a fused activation, given the
// output's scale and zero point (TFLite's CalculateActivationRangeQuantized).
enum class FusedActivation { kNone, kRelu, kReluN1To1, kRelu6 };

template <typename T>
void QuantizedActivationRange(FusedActivation act, float scale,
                              int32_t zero_point, int32_t* act_min,
                              int32_t* act_max) {
  const int32_t qmin = std::numeric_limits<T>::min();
  const int32_t qmax = std::numeric_limits<T>::max();
  auto quantize = [&](float f) {
    return zero_point + static_cast<int32_t>(std::round(f / scale));
  };
  switch (act) {
    case FusedActivation::kNone:
      *act_min = qmin;
      *act_max = qmax;
      break;
    case FusedActivation::kRelu:
      *act_min = std::max(qmin, quantize(0.0f));
      *act_max = qmax;
      break;
    case FusedActivation::kRelu6:
      *act_min = std::max(qmin, quantize(0.0f));
      *act_max = std::min(qmax, quantize(6.0f));
      break;
    case FusedActivation::kReluN1To1:
      *act_min = std::max(qmin, quantize(-1.0f));
      *act_max = std::min(qmax, quantize(1.0f));
      break;
  }
}

// Float range of a fused activation (TFLite's CalculateActivationRange).
inline void FloatActivationRange(FusedActivation act, float* lo, float* hi) {
  *lo = std::numeric_limits<float>::lowest();
  *hi = std::numeric_limits<float>::max();
  if (act == FusedActivation::kRelu) *lo = 0.0f;
  if (act == FusedActivation::kRelu6) { *lo = 0.0f; *hi = 6.0f; }
  if (act == FusedActivation::kReluN1To1) { *lo = -1.0f; *hi = 1.0f; }
}

}  // namespace detlite::kernels

#endif  // DETLITE_KERNELS_REFERENCE_QUANT_MATH_H_
