// Constant PAD without the reference's fill-then-copy: the dimensions inside
// the innermost padded one are contiguous in input and output alike, so each
// output run is written once, as `before` pad values, one memcpy of the
// input run and `after` pad values (a spatial pad of NHWC copies whole
// image rows; a channel pad copies each pixel's channels). Plain C++: the
// work is memory traffic, which memcpy and std::fill already do at the
// machine's width.
#ifndef DETLITE_KERNELS_OPTIMIZED_PAD_H_
#define DETLITE_KERNELS_OPTIMIZED_PAD_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/reference/pad.h"

namespace detlite::kernels::optimized {

template <typename T>
void PadConstant(const reference::PadGeometry& g, T value, const T* input,
                 T* output) {
  const std::vector<int64_t> out_dims = g.OutputDims();
  const int rank = static_cast<int>(out_dims.size());
  int k = rank - 1;  // innermost padded dimension
  while (k >= 0 && g.before[static_cast<size_t>(k)] == 0 &&
         g.after[static_cast<size_t>(k)] == 0) {
    --k;
  }
  int64_t total = 1;
  for (int64_t d : out_dims) total *= d;
  if (k < 0) {  // nothing padded (an empty tensor may have null buffers)
    if (total > 0) std::memcpy(output, input, static_cast<size_t>(total) * sizeof(T));
    return;
  }
  const size_t ku = static_cast<size_t>(k);
  int64_t inner = 1;
  for (int d = k + 1; d < rank; ++d) inner *= g.input_dims[static_cast<size_t>(d)];
  const int64_t before = g.before[ku] * inner;
  const int64_t run = g.input_dims[ku] * inner;
  const int64_t after = g.after[ku] * inner;
  const int64_t out_run = before + run + after;
  if (out_run == 0) return;
  const int64_t outer = total / out_run;
  // Odometer over the output's dimensions [0, k): `inside` counts the
  // dimensions whose index falls in the input.
  std::vector<int64_t> idx(ku, 0);
  int64_t in_offset = 0;  // input run of the current position, when inside
  auto inside = [&] {
    for (size_t d = 0; d < ku; ++d) {
      const int64_t i = idx[d] - g.before[d];
      if (i < 0 || i >= g.input_dims[d]) return false;
    }
    return true;
  };
  std::vector<int64_t> in_stride(ku, 0);
  int64_t s = run;
  for (size_t d = ku; d-- > 0;) {
    in_stride[d] = s;
    s *= g.input_dims[d];
  }
  T* o = output;
  for (int64_t p = 0; p < outer; ++p, o += out_run) {
    if (!inside()) {
      std::fill(o, o + out_run, value);
    } else {
      in_offset = 0;
      for (size_t d = 0; d < ku; ++d) in_offset += (idx[d] - g.before[d]) * in_stride[d];
      std::fill(o, o + before, value);
      if (run > 0) {
        std::memcpy(o + before, input + in_offset, static_cast<size_t>(run) * sizeof(T));
      }
      std::fill(o + before + run, o + out_run, value);
    }
    for (size_t d = ku; d-- > 0;) {
      if (++idx[d] < out_dims[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_PAD_H_
