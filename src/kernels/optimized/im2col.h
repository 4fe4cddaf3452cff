// The im2col rows of the 8-bit GEMM for convolutions with few input channels
// (an RGB stem, qgemm.h kIm2colBelowChannels): each output pixel's window,
// taps in (ky, kx, channel) order, copied into one row of bytes. With NHWC
// input and dilation_w 1, the filter_w taps of one filter row are
// filter_w * in_c adjacent input bytes, so an interior window is filter_h
// short copies (9 bytes each for a 3x3 RGB filter) instead of a pointer and
// a byte loop per tap; only windows that cross the image border go tap by
// tap, writing the input zero point for padding.
#ifndef DETLITE_KERNELS_OPTIMIZED_IM2COL_H_
#define DETLITE_KERNELS_OPTIMIZED_IM2COL_H_

#include <cstdint>
#include <cstring>

#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::optimized {

// Copies n bytes with at most two fixed-size moves that overlap instead of
// a call to memcpy (whose run-time small sizes are a library call); reads
// and writes exactly [0, n).
inline void CopyFew(uint8_t* dst, const uint8_t* src, int n) {
  if (n >= 16) {
    for (int i = 0; i + 16 <= n; i += 16) std::memcpy(dst + i, src + i, 16);
    if (n % 16 != 0) std::memcpy(dst + n - 16, src + n - 16, 16);
  } else if (n >= 8) {
    uint64_t a, b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else {
    for (int i = 0; i < n; ++i) dst[i] = src[i];
  }
}

// Writes the rows of output pixels [p0, p0 + rows) (each
// filter_h * filter_w * in_c bytes, `stride` apart) and points a[r] at row r
// for r < mr; rows past `rows` repeat the last valid pixel's row pointer.
inline void FillIm2colRows(const ConvGeometry& g, const uint8_t* input,
                           uint8_t zero_point, int64_t p0, int rows, int mr,
                           uint8_t* col, int64_t stride, const uint8_t** a) {
  const int64_t per_image = int64_t{g.out_h} * g.out_w;
  const int run = g.filter_w * g.in_c;  // one filter row's bytes
  for (int r = 0; r < rows; ++r) {
    const int64_t p = p0 + r;
    const int b = static_cast<int>(p / per_image);
    const int oy = static_cast<int>(p % per_image / g.out_w);
    const int ox = static_cast<int>(p % g.out_w);
    const int y0 = oy * g.stride_h - g.pad_h;
    const int x0 = ox * g.stride_w - g.pad_w;
    const uint8_t* image = input + int64_t{b} * g.in_h * g.in_w * g.in_c;
    // Whether every tap of a filter row is inside the image horizontally.
    const bool x_inside = g.dilation_w == 1 && x0 >= 0 && x0 + g.filter_w <= g.in_w;
    uint8_t* dst = col + r * stride;
    a[r] = dst;
    for (int ky = 0; ky < g.filter_h; ++ky, dst += run) {
      const int iy = y0 + ky * g.dilation_h;
      if (iy < 0 || iy >= g.in_h) {
        std::memset(dst, zero_point, static_cast<size_t>(run));
        continue;
      }
      const uint8_t* src_row = image + int64_t{iy} * g.in_w * g.in_c;
      if (x_inside) {
        CopyFew(dst, src_row + int64_t{x0} * g.in_c, run);
        continue;
      }
      for (int kx = 0; kx < g.filter_w; ++kx) {
        const int ix = x0 + kx * g.dilation_w;
        uint8_t* d = dst + kx * g.in_c;
        if (ix < 0 || ix >= g.in_w) {
          for (int i = 0; i < g.in_c; ++i) d[i] = zero_point;
        } else {
          const uint8_t* s = src_row + int64_t{ix} * g.in_c;
          for (int i = 0; i < g.in_c; ++i) d[i] = s[i];
        }
      }
    }
  }
  for (int r = rows; r < mr; ++r) a[r] = a[rows - 1];
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_IM2COL_H_
