// ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM and SQUARED_DIFFERENCE on plain
// (non-quantized) values with broadcasting, followed by the fused-activation
// clamp. Used for float32 and int32 (and, for MAXIMUM/MINIMUM, for quantized
// types too: TFLite compares their raw integers without rescaling).
#ifndef DETLITE_KERNELS_REFERENCE_BINARY_ARITHMETIC_H_
#define DETLITE_KERNELS_REFERENCE_BINARY_ARITHMETIC_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/shape.h"
#include "kernels/reference/broadcast.h"

namespace detlite::kernels::reference {

enum class BinaryOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMaximum,
  kMinimum,
  kSquaredDifference,
};

template <typename T>
struct BinaryParams {
  BinaryOp op = BinaryOp::kAdd;
  // Fused activation range; the full range of T when there is none.
  T activation_min = std::numeric_limits<T>::lowest();
  T activation_max = std::numeric_limits<T>::max();
};

template <typename T>
T ApplyBinaryOp(BinaryOp op, T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    // Integer arithmetic wraps on overflow in TFLite (two's complement on
    // every target it runs on); computing on the unsigned type gives that
    // without undefined behaviour.
    using U = std::make_unsigned_t<T>;
    const U ua = static_cast<U>(a), ub = static_cast<U>(b);
    switch (op) {
      case BinaryOp::kAdd:
        return static_cast<T>(static_cast<U>(ua + ub));
      case BinaryOp::kSub:
        return static_cast<T>(static_cast<U>(ua - ub));
      case BinaryOp::kMul:
        return static_cast<T>(static_cast<U>(ua * ub));
      case BinaryOp::kDiv:
        // Truncates toward zero as C++ and TFLite do; the caller rejects a
        // zero divisor before getting here. MIN / -1 wraps to MIN.
        if (b == -1) return static_cast<T>(static_cast<U>(U{0} - ua));
        return static_cast<T>(a / b);
      case BinaryOp::kMaximum:
        return std::max(a, b);
      case BinaryOp::kMinimum:
        return std::min(a, b);
      case BinaryOp::kSquaredDifference: {
        const U d = static_cast<U>(ua - ub);
        return static_cast<T>(static_cast<U>(d * d));
      }
    }
  } else {
    switch (op) {
      case BinaryOp::kAdd:
        return a + b;
      case BinaryOp::kSub:
        return a - b;
      case BinaryOp::kMul:
        return a * b;
      case BinaryOp::kDiv:
        return a / b;
      case BinaryOp::kMaximum:
        return std::max(a, b);
      case BinaryOp::kMinimum:
        return std::min(a, b);
      case BinaryOp::kSquaredDifference: {
        const T d = a - b;
        return d * d;
      }
    }
  }
  return T{};
}

template <typename T>
void BinaryArithmetic(const BinaryParams<T>& params, const Shape& a_shape,
                      const T* a, const Shape& b_shape, const T* b,
                      const Shape& out_shape, T* out) {
  const BinaryOp op = params.op;
  const T lo = params.activation_min;
  const T hi = params.activation_max;
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out, [op, lo, hi](T x, T y) {
    return std::min(std::max(ApplyBinaryOp(op, x, y), lo), hi);
  });
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_BINARY_ARITHMETIC_H_
