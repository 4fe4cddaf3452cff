// SELECT / SELECT_V2: out = cond ? x : y elementwise. SelectV2 broadcasts
// all three inputs NumPy-style; Select (v1, TensorFlow's tf.where before
// v2) takes a cond of the inputs' shape, or a vector choosing whole rows of
// x / y by their first dimension.
#ifndef DETLITE_KERNELS_REFERENCE_SELECT_H_
#define DETLITE_KERNELS_REFERENCE_SELECT_H_

#include <cstdint>
#include <vector>

#include "core/shape.h"
#include "kernels/reference/broadcast.h"

namespace detlite::kernels::reference {

// The broadcast of three shapes, or false.
inline bool BroadcastShapes3(const Shape& a, const Shape& b, const Shape& c, Shape* out) {
  Shape ab;
  return BroadcastShapes(a, b, &ab) && BroadcastShapes(ab, c, out);
}

template <typename T>
void SelectV2(const Shape& cond_shape, const bool* cond, const Shape& x_shape, const T* x,
              const Shape& y_shape, const T* y, const Shape& out_shape, T* out) {
  const int64_t total = out_shape.NumElements();
  const int rank = out_shape.rank();
  if (rank == 0) {
    if (total > 0) out[0] = cond[0] ? x[0] : y[0];
    return;
  }
  const std::vector<int64_t> sc = BroadcastStrides(cond_shape, out_shape);
  const std::vector<int64_t> sx = BroadcastStrides(x_shape, out_shape);
  const std::vector<int64_t> sy = BroadcastStrides(y_shape, out_shape);
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  int64_t oc = 0, ox = 0, oy = 0;
  for (int64_t i = 0; i < total; ++i) {
    out[i] = cond[oc] ? x[ox] : y[oy];
    // Odometer over the output index, moving the three input offsets along.
    for (int d = rank - 1; d >= 0; --d) {
      const size_t k = static_cast<size_t>(d);
      oc += sc[k], ox += sx[k], oy += sy[k];
      if (++index[k] < out_shape.dim(d)) break;
      const int64_t back = out_shape.dim(d);
      oc -= sc[k] * back, ox -= sx[k] * back, oy -= sy[k] * back;
      index[k] = 0;
    }
  }
}

// Select v1 with a vector cond: row r of the output is row r of x or y.
template <typename T>
void SelectRows(int64_t rows, const bool* cond, int64_t row_size, const T* x, const T* y, T* out) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* src = (cond[r] ? x : y) + r * row_size;
    for (int64_t j = 0; j < row_size; ++j) out[r * row_size + j] = src[j];
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_SELECT_H_
