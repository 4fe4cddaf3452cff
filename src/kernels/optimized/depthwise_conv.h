// Optimized 8-bit DEPTHWISE_CONV_2D (float: dwconv_f32.h) for
// depth_multiplier 1: per output pixel, the
// taps in the reference's order, each a vector multiply-add over all
// channels (gemm.h Mac*), then the reference's bias add and requantization.
// Integer results are bit-exact with kernels/reference/depthwise_conv.h.
#ifndef DETLITE_KERNELS_OPTIMIZED_DEPTHWISE_CONV_H_
#define DETLITE_KERNELS_OPTIMIZED_DEPTHWISE_CONV_H_

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "kernels/optimized/conv.h"
#include "kernels/optimized/gemm.h"
#include "kernels/optimized/parallel.h"
#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::optimized {

// Calls tap(input_row, filter_row) for each in-bounds tap of output pixel
// `pixel`; rows hold g.in_c (== g.out_c) channels.
template <typename InT, typename FilterT, typename Tap>
void ForEachDepthwiseRow(const ConvGeometry& g, const InT* input,
                         const FilterT* filter, int64_t pixel, const Tap& tap) {
  const int64_t per_image = int64_t{g.out_h} * g.out_w;
  const int b = static_cast<int>(pixel / per_image);
  const int oy = static_cast<int>(pixel % per_image / g.out_w);
  const int ox = static_cast<int>(pixel % g.out_w);
  const int in_y0 = oy * g.stride_h - g.pad_h;
  const int in_x0 = ox * g.stride_w - g.pad_w;
  for (int ky = 0; ky < g.filter_h; ++ky) {
    const int iy = in_y0 + ky * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int kx = 0; kx < g.filter_w; ++kx) {
      const int ix = in_x0 + kx * g.dilation_w;
      if (ix < 0 || ix >= g.in_w) continue;
      tap(input + ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c,
          filter + (int64_t{ky} * g.filter_w + kx) * g.out_c);
    }
  }
}

// Output pixels per parallel task, so small layers stay on one thread.
inline constexpr int64_t kDepthwiseMinPixels = 16;

// 8-bit only (InT uint8 or int8 with the same filter type); g.depth_multiplier
// must be 1.
template <typename InT, typename BiasT, typename OutT, typename Requant>
void DepthwiseConvQuantized(const ConvGeometry& g, int32_t input_offset,
                            int32_t filter_offset, const InT* input,
                            const InT* filter, const BiasT* bias,
                            const Requant& requant, OutT* output,
                            const Parallel& par) {
  static_assert(sizeof(InT) == 1, "8-bit activations only");
  const int64_t pixels = int64_t{g.batches} * g.out_h * g.out_w;
  ParallelRanges(par, pixels, kDepthwiseMinPixels, [&](int64_t p0, int64_t p1) {
    std::vector<int32_t> acc(static_cast<size_t>(g.out_c));
    for (int64_t p = p0; p < p1; ++p) {
      std::fill(acc.begin(), acc.end(), 0);
      ForEachDepthwiseRow(g, input, filter, p, [&](const InT* in, const InT* f) {
        if constexpr (std::is_same_v<InT, uint8_t>) {
          MacU8(g.out_c, in, input_offset, f, filter_offset, acc.data());
        } else {
          MacI8(g.out_c, in, input_offset, f, filter_offset, acc.data());
        }
      });
      RequantRow(g.out_c, acc.data(), bias, requant, output + p * g.out_c);
    }
  });
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_DEPTHWISE_CONV_H_
