// NumPy-style broadcasting for elementwise kernels: two shapes are aligned
// at their trailing dimensions and each pair of sizes must be equal or one of
// them 1. BroadcastBinary walks the output once and reads each input through
// strides that are 0 along its broadcast dimensions, so one loop serves
// same-shape, scalar and general cases.
#ifndef DETLITE_KERNELS_REFERENCE_BROADCAST_H_
#define DETLITE_KERNELS_REFERENCE_BROADCAST_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/shape.h"

namespace detlite::kernels::reference {

// TFLite's broadcasting arithmetic kernels stop at 6 dimensions.
inline constexpr int kMaxBroadcastRank = 6;

// The broadcast of `a` and `b`, or false if some aligned pair of sizes differs
// and neither is 1.
inline bool BroadcastShapes(const Shape& a, const Shape& b, Shape* out) {
  const int rank = std::max(a.rank(), b.rank());
  std::vector<int32_t> dims(static_cast<size_t>(rank));
  for (int i = 0; i < rank; ++i) {
    const int ia = a.rank() - rank + i;
    const int ib = b.rank() - rank + i;
    const int32_t da = ia >= 0 ? a.dim(ia) : 1;
    const int32_t db = ib >= 0 ? b.dim(ib) : 1;
    if (da != db && da != 1 && db != 1) return false;
    dims[static_cast<size_t>(i)] = da == 1 ? db : da;
  }
  *out = Shape(std::move(dims));
  return true;
}

// Element strides of `in` seen as a tensor of `out`'s rank: 0 along the
// dimensions where `in` has size 1 (or is missing) and `out` does not.
inline std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out) {
  const int rank = out.rank();
  std::vector<int64_t> strides(static_cast<size_t>(rank), 0);
  int64_t stride = 1;
  for (int i = rank - 1; i >= 0; --i) {
    const int iin = in.rank() - rank + i;
    const int32_t d = iin >= 0 ? in.dim(iin) : 1;
    strides[static_cast<size_t>(i)] = (d == 1) ? 0 : stride;
    stride *= d;
  }
  return strides;
}

// out[i] = f(a[ia], b[ib]) over the broadcast of a and b (out_shape must be
// that broadcast). The innermost dimension runs as a plain loop.
template <typename A, typename B, typename Out, typename F>
void BroadcastBinary(const Shape& a_shape, const A* a, const Shape& b_shape,
                     const B* b, const Shape& out_shape, Out* out, F f) {
  const int64_t total = out_shape.NumElements();
  if (total <= 0) return;
  if (a_shape == b_shape) {
    for (int64_t i = 0; i < total; ++i) out[i] = f(a[i], b[i]);
    return;
  }
  const int rank = out_shape.rank();
  if (rank == 0) {
    out[0] = f(a[0], b[0]);
    return;
  }
  const std::vector<int64_t> sa = BroadcastStrides(a_shape, out_shape);
  const std::vector<int64_t> sb = BroadcastStrides(b_shape, out_shape);
  const int last = rank - 1;
  const int64_t inner = out_shape.dim(last);
  const int64_t inner_sa = sa[static_cast<size_t>(last)];
  const int64_t inner_sb = sb[static_cast<size_t>(last)];
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  int64_t off_a = 0, off_b = 0;
  for (int64_t done = 0; done < total; done += inner) {
    for (int64_t j = 0; j < inner; ++j) {
      *out++ = f(a[off_a + j * inner_sa], b[off_b + j * inner_sb]);
    }
    // Advance the outer dimensions like an odometer.
    for (int d = last - 1; d >= 0; --d) {
      const size_t du = static_cast<size_t>(d);
      ++index[du];
      off_a += sa[du];
      off_b += sb[du];
      if (index[du] < out_shape.dim(d)) break;
      off_a -= sa[du] * index[du];
      off_b -= sb[du] * index[du];
      index[du] = 0;
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_BROADCAST_H_
