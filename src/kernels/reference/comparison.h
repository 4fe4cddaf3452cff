// EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL: bool outputs
// over the broadcast of two inputs of one type (raw values are compared).
#ifndef DETLITE_KERNELS_REFERENCE_COMPARISON_H_
#define DETLITE_KERNELS_REFERENCE_COMPARISON_H_

#include "core/shape.h"
#include "kernels/reference/broadcast.h"

namespace detlite::kernels::reference {

enum class CompareOp { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

template <typename T>
bool ApplyCompare(CompareOp op, T a, T b) {
  switch (op) {
    case CompareOp::kEqual: return a == b;
    case CompareOp::kNotEqual: return a != b;
    case CompareOp::kLess: return a < b;
    case CompareOp::kLessEqual: return a <= b;
    case CompareOp::kGreater: return a > b;
    case CompareOp::kGreaterEqual: return a >= b;
  }
  return false;
}

template <typename T>
void Compare(CompareOp op, const Shape& a_shape, const T* a, const Shape& b_shape, const T* b,
             const Shape& out_shape, bool* out) {
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out,
                  [op](T x, T y) { return ApplyCompare(op, x, y); });
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_COMPARISON_H_
