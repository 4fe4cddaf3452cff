// Shapes of TFLite's windowed ops (CONV_2D, DEPTHWISE_CONV_2D,
// TRANSPOSE_CONV): output sizes, implicit padding, and the geometry struct the
// reference kernels take. SAME pads so that out = ceil(in /
// stride); the total padding is split with the smaller half before the data,
// and the odd remainder (the "offset") after it. Only TRANSPOSE_CONV's
// optimized path ever looks at the offset; every kernel here starts its
// windows at -before.
#ifndef DETLITE_KERNELS_REFERENCE_CONV_GEOMETRY_H_
#define DETLITE_KERNELS_REFERENCE_CONV_GEOMETRY_H_

#include <cstdint>

namespace detlite::kernels {

enum class PaddingType { kSame, kValid };

inline int64_t EffectiveFilterSize(int64_t filter, int64_t dilation) {
  return (filter - 1) * dilation + 1;
}

// Output length of a convolution window sliding over `in` elements. May be
// zero or negative for VALID when the (dilated) filter is larger than the
// input; callers reject negative sizes. stride must be >= 1.
inline int64_t ConvOutputSize(PaddingType padding, int64_t in, int64_t filter,
                              int64_t stride, int64_t dilation) {
  const int64_t effective = EffectiveFilterSize(filter, dilation);
  if (padding == PaddingType::kSame) return (in + stride - 1) / stride;
  // Truncating division, as TFLite does: a negative numerator rounds toward
  // zero, so an input one short of the filter still yields 0, not -1.
  return (in + stride - effective) / stride;
}

struct AxisPadding {
  int32_t before = 0;  // elements of implicit zeros before index 0
  int32_t offset = 0;  // 1 when the total is odd: the extra one goes after
};

// Padding that makes `out` windows of the dilated filter fit over `in`
// elements. Never negative: VALID geometry yields zero.
inline AxisPadding ComputeAxisPadding(int64_t in, int64_t filter,
                                      int64_t stride, int64_t dilation,
                                      int64_t out) {
  int64_t total =
      (out - 1) * stride + EffectiveFilterSize(filter, dilation) - in;
  if (total < 0) total = 0;
  return AxisPadding{static_cast<int32_t>(total / 2),
                     static_cast<int32_t>(total % 2)};
}

// Everything a 2-D windowed kernel needs to know about its NHWC tensors. For
// CONV_2D the filter is [out_c, filter_h, filter_w, in_c]; for
// DEPTHWISE_CONV_2D it is [1, filter_h, filter_w, out_c] with out_c = in_c *
// depth_multiplier; for TRANSPOSE_CONV it is [out_c, filter_h, filter_w, in_c]
// and the window runs over the output (stride and padding apply there).
struct ConvGeometry {
  int32_t batches = 1;
  int32_t in_h = 0, in_w = 0, in_c = 0;
  int32_t out_h = 0, out_w = 0, out_c = 0;
  int32_t filter_h = 0, filter_w = 0;
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  int32_t pad_h = 0, pad_w = 0;  // padding before the first row / column
  int32_t depth_multiplier = 1;  // depthwise only
  // CONV_2D only: the input channels split into `groups` equal slices, each
  // convolved with out_c / groups filters of in_c / groups channels (the
  // filter is then [out_c, filter_h, filter_w, in_c / groups]).
  int32_t groups = 1;
};

}  // namespace detlite::kernels

#endif  // DETLITE_KERNELS_REFERENCE_CONV_GEOMETRY_H_
