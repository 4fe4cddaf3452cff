// 8-bit activations computed through a 256-entry table. TFLite's builtin
// (optimized) kernels evaluate uint8/int8 LOGISTIC, TANH and int8 ELU this
// way: each possible input is dequantized, the function is evaluated in
// float, and the result is requantized with round-half-away-from-zero and
// saturation. (TFLite's reference kernels use fixed-point approximations
// instead, which differ by an LSB here and there.) In the real runtime this
// table is what TANH outputs, and LOGISTIC when XNNPACK declines it; XNNPACK
// builds its own tables for LOGISTIC and ELU (xnnpack_quantized.h).
#ifndef DETLITE_KERNELS_REFERENCE_LOOKUP_TABLE_H_
#define DETLITE_KERNELS_REFERENCE_LOOKUP_TABLE_H_

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace detlite::kernels::reference {

// Indexed by the raw byte of the input (uint8 value, or int8 reinterpreted).
using ByteTable = std::array<uint8_t, 256>;

template <typename T, typename F>
ByteTable MakeByteTable(float input_scale, int32_t input_zero_point,
                        float output_scale, int32_t output_zero_point, F fn) {
  static_assert(sizeof(T) == 1, "byte tables are for 8-bit types");
  ByteTable table{};
  const float inverse_output_scale = 1.0f / output_scale;
  const int32_t lo = std::numeric_limits<T>::min();
  const int32_t hi = std::numeric_limits<T>::max();
  for (int32_t v = lo; v <= hi; ++v) {
    const float x = input_scale * static_cast<float>(v - input_zero_point);
    const float y = fn(x);
    const float rescaled = std::round(y * inverse_output_scale);
    // Clamping in float first keeps the int conversion defined for any
    // scale; inside T's range it changes nothing.
    const float q = std::clamp(rescaled + static_cast<float>(output_zero_point),
                               static_cast<float>(lo), static_cast<float>(hi));
    const T clamped = static_cast<T>(static_cast<int32_t>(q));
    table[static_cast<uint8_t>(static_cast<T>(v))] =
        static_cast<uint8_t>(clamped);
  }
  return table;
}

template <typename T>
void ApplyByteTable(const ByteTable& table, int64_t n, const T* in, T* out) {
  static_assert(sizeof(T) == 1, "byte tables are for 8-bit types");
  for (int64_t i = 0; i < n; ++i) {
    out[i] = static_cast<T>(table[static_cast<uint8_t>(in[i])]);
  }
}

// The float functions the tables are filled from, written as TFLite's
// builtin kernels write them (float arithmetic, std::exp / std::tanh /
// std::expm1), since the table entries depend on their rounding.
inline float LogisticForTable(float x) { return 1.0f / (1.0f + std::exp(-x)); }
inline float TanhForTable(float x) { return std::tanh(x); }
inline float EluForTable(float x) { return x < 0.0f ? std::expm1(x) : x; }

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_LOOKUP_TABLE_H_
