// FLOOR_DIV and FLOOR_MOD with broadcasting: the quotient rounded toward
// negative infinity, and the remainder with the divisor's sign
// (x - floor(x / y) * y), as TensorFlow and TFLite define them. Integer
// divisors of zero are rejected by the caller before these run.
#ifndef DETLITE_KERNELS_REFERENCE_FLOOR_DIV_MOD_H_
#define DETLITE_KERNELS_REFERENCE_FLOOR_DIV_MOD_H_

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "core/shape.h"
#include "kernels/reference/broadcast.h"

namespace detlite::kernels::reference {

template <typename T>
T FloorDivValue(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    if (y == -1) return static_cast<T>(static_cast<std::make_unsigned_t<T>>(0) -
                                       static_cast<std::make_unsigned_t<T>>(x));
    const T q = x / y;
    return (x % y != 0 && ((x < 0) != (y < 0))) ? static_cast<T>(q - 1) : q;
  } else {
    return std::floor(x / y);
  }
}

template <typename T>
T FloorModValue(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    if (y == -1) return 0;
    const T r = x % y;
    return (r != 0 && ((r < 0) != (y < 0))) ? static_cast<T>(r + y) : r;
  } else {
    const T r = std::fmod(x, y);
    return (r != 0 && ((r < 0) != (y < 0))) ? r + y : r;
  }
}

template <typename T>
void FloorDiv(const Shape& a_shape, const T* a, const Shape& b_shape, const T* b,
              const Shape& out_shape, T* out) {
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out, FloorDivValue<T>);
}

template <typename T>
void FloorMod(const Shape& a_shape, const T* a, const Shape& b_shape, const T* b,
              const Shape& out_shape, T* out) {
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out, FloorModValue<T>);
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_FLOOR_DIV_MOD_H_
