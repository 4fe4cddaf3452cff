// STRIDED_SLICE (and SLICE, a strided slice with stride 1 and sizes): index
// resolution and the copy. Semantics are TFLite's (kernels/strided_slice.cc
// and strided_slice_logic.h, ~2.12):
//  - ellipsis_mask expands to as many full dimensions as the spec leaves
//    unnamed; new_axis_mask (outside an ellipsis) inserts a size-1 axis;
//  - begin/end are clamped per direction ([0, n] for positive strides,
//    [-1, n-1] for negative ones) after adding n to negative values, and
//    begin_mask/end_mask then override them with the full range;
//  - offset: end is a size added to begin;
//  - a shrink axis takes exactly element begin and drops the dimension.
#ifndef DETLITE_KERNELS_REFERENCE_STRIDED_SLICE_H_
#define DETLITE_KERNELS_REFERENCE_STRIDED_SLICE_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::kernels::reference {

struct StridedSliceSpec {
  std::vector<int32_t> begin, end, strides;  // equal lengths
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0;
  int32_t new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
};

// Per dimension of the input with new axes inserted.
struct ResolvedSlice {
  std::vector<int64_t> dims;  // effective input dims (new axes are 1)
  std::vector<int64_t> start, stop, stride;
  std::vector<bool> shrink;
  std::vector<int32_t> output_shape;
};

inline Status ResolveStridedSlice(const std::vector<int32_t>& input_dims,
                                  const StridedSliceSpec& s, ResolvedSlice* r) {
  const int count = static_cast<int>(s.begin.size());
  const int rank = static_cast<int>(input_dims.size());
  auto bit = [](int32_t mask, int i) { return i < 31 && ((mask >> i) & 1) != 0; };
  int num_new = 0;
  for (int i = 0; i < count; ++i) {
    if (!bit(s.ellipsis_mask, i) && bit(s.new_axis_mask, i)) ++num_new;
  }
  const int eff = rank + num_new;
  // Which effective dims the ellipsis covers, and which are new axes.
  std::vector<bool> in_ellipsis(static_cast<size_t>(eff), false), is_new(static_cast<size_t>(eff), false);
  int ellipsis_start = eff, expanded = 0;
  for (int i = 0; i < eff;) {
    if (bit(s.ellipsis_mask, i)) {
      ellipsis_start = i;
      const int ellipsis_end = std::max(i + 1, std::min(i + 1 + num_new + rank - count, eff));
      expanded = ellipsis_end - ellipsis_start - 1;
      for (; i < ellipsis_end; ++i) in_ellipsis[static_cast<size_t>(i)] = true;
      continue;
    }
    if (bit(s.new_axis_mask, i - expanded)) is_new[static_cast<size_t>(i)] = true;
    ++i;
  }
  r->dims.assign(static_cast<size_t>(eff), 1);
  r->start.assign(static_cast<size_t>(eff), 0);
  r->stop.assign(static_cast<size_t>(eff), 1);
  r->stride.assign(static_cast<size_t>(eff), 1);
  r->shrink.assign(static_cast<size_t>(eff), false);
  r->output_shape.clear();
  int added_ellipsis = 0, added_axes = 0;
  for (int i = 0; i < eff; ++i) {
    const auto ui = static_cast<size_t>(i);
    int64_t begin = 0, end = 0, stride = 1;
    bool full = false, shrink = false, begin_masked = false, end_masked = false;
    if (in_ellipsis[ui]) {
      added_ellipsis = std::max(0, i - ellipsis_start);
      full = true;
    } else if (is_new[ui]) {
      ++added_axes;
      // A size-1 axis sliced [0, 1).
      r->dims[ui] = 1;
      r->output_shape.push_back(1);
      continue;
    } else if (i >= count + expanded) {
      full = true;
    } else {
      const int o = i - added_ellipsis;
      begin = s.begin[static_cast<size_t>(o)];
      end = s.end[static_cast<size_t>(o)];
      stride = s.strides[static_cast<size_t>(o)];
      begin_masked = bit(s.begin_mask, o);
      end_masked = bit(s.end_mask, o);
      shrink = bit(s.shrink_axis_mask, o);
    }
    const int src = i - added_axes;
    if (src < 0 || src >= rank) return InvalidArgument("strided slice spec does not fit the input rank");
    const int64_t n = input_dims[static_cast<size_t>(src)];
    r->dims[ui] = n;
    if (full) {
      begin_masked = end_masked = true;
      stride = 1;
    }
    if (stride == 0) return InvalidArgument("stride value has to be non-zero");
    // Start.
    int64_t start = begin < 0 ? begin + n : begin;
    start = stride > 0 ? std::clamp<int64_t>(start, 0, n) : std::clamp<int64_t>(start, -1, n - 1);
    if (begin_masked) start = stride > 0 ? 0 : n - 1;
    // Stop.
    int64_t stop;
    if (shrink) {
      stop = start + 1;
      if (start < 0 || start >= n) {
        return InvalidArgument("shrink index " + std::to_string(begin) + " is outside dimension " +
                               std::to_string(i) + " of size " + std::to_string(n));
      }
    } else {
      stop = s.offset ? end + start : end;
      if (stop < 0) stop += n;
      stop = stride > 0 ? std::clamp<int64_t>(stop, 0, n) : std::clamp<int64_t>(stop, -1, n - 1);
      if (end_masked) stop = stride > 0 ? n : -1;
    }
    r->start[ui] = start;
    r->stop[ui] = stop;
    r->stride[ui] = stride;
    r->shrink[ui] = shrink;
    if (!shrink) {
      const int64_t span = stop - start;
      int64_t len = stride > 0 ? (span + stride - 1) / stride : (span + stride + 1) / stride;
      if (span == 0 || (span > 0) != (stride > 0)) len = 0;
      r->output_shape.push_back(static_cast<int32_t>(std::max<int64_t>(len, 0)));
    }
  }
  return Status::Ok();
}

// Copies the resolved slice, row-major over the effective dims.
template <typename T>
void StridedSlice(const ResolvedSlice& r, const T* input, T* output) {
  const size_t rank = r.dims.size();
  std::vector<int64_t> in_stride(rank, 1);
  for (size_t d = rank; d-- > 1;) in_stride[d - 1] = in_stride[d] * r.dims[d];
  std::vector<int64_t> idx(r.start);
  auto inside = [&](size_t d) {
    return r.stride[d] > 0 ? idx[d] < r.stop[d] : idx[d] > r.stop[d];
  };
  for (size_t d = 0; d < rank; ++d) {
    if (!inside(d)) return;  // empty result
  }
  T* out = output;
  while (true) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d) src += idx[d] * in_stride[d];
    *out++ = input[src];
    size_t d = rank;
    while (d-- > 0) {
      idx[d] += r.stride[d];
      if (inside(d)) break;
      idx[d] = r.start[d];
    }
    if (d == static_cast<size_t>(-1)) return;
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_STRIDED_SLICE_H_
