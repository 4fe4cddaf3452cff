// IEEE 754 binary16 <-> binary32 conversion, bit exact: every half value
// (subnormals, infinities, NaN payloads) maps to the float of equal value,
// which is what TFLite's DEQUANTIZE of float16 weights produces.
#ifndef DETLITE_CORE_FP16_H_
#define DETLITE_CORE_FP16_H_

#include <cmath>
#include <cstdint>
#include <cstring>

namespace detlite {

inline float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1Fu;
  const uint32_t mantissa = h & 0x3FFu;
  uint32_t bits;
  if (exponent == 0x1F) {
    // Infinity or NaN; the payload moves to the top of the float mantissa.
    bits = sign | 0x7F800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else {
    // Zero or subnormal: mantissa * 2^-24 is exact in float.
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

// Round to nearest, ties to even; overflow gives infinity, NaN stays NaN
// (quiet, payload truncated).
inline uint16_t FloatToHalf(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t abs = bits & 0x7FFFFFFFu;
  if (abs > 0x7F800000u) {
    return static_cast<uint16_t>(sign | 0x7E00u | ((abs >> 13) & 0x3FFu));
  }
  if (abs >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // rounds to inf
  if (abs < 0x38800000u) {
    // Result is subnormal or zero: scale to units of 2^-24 and round.
    float magnitude;
    std::memcpy(&magnitude, &abs, sizeof(magnitude));
    const float units = std::nearbyint(magnitude * 16777216.0f);  // ties to even
    return static_cast<uint16_t>(sign | static_cast<uint16_t>(units));
  }
  // Normal: drop 13 mantissa bits with round-to-nearest-even; a carry into
  // the exponent is the correct result.
  const uint32_t rebased = abs - (112u << 23);
  const uint32_t round_bit = 1u << 12;
  const uint32_t rest = rebased & 0x1FFFu;
  uint32_t half = rebased >> 13;
  if (rest > round_bit || (rest == round_bit && (half & 1u))) ++half;
  return static_cast<uint16_t>(sign | half);
}

}  // namespace detlite

#endif  // DETLITE_CORE_FP16_H_
