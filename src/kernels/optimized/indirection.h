// The indirection buffer of the indirect-GEMM convolutions (float igemm_f32
// and 8-bit qgemm): per filter tap and output pixel, a pointer to that
// pixel's in_c input values, or to a row of padding values.
#ifndef DETLITE_KERNELS_OPTIMIZED_INDIRECTION_H_
#define DETLITE_KERNELS_OPTIMIZED_INDIRECTION_H_

#include <algorithm>
#include <cstdint>

#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::optimized {

// Fills the taps * mr row pointers of the output pixels [p0, p0 + rows);
// rows past `rows` repeat the last valid pixel. Runs once per tile of mr
// pixels, so for layers with few multiply-adds per pixel (a 1x1 conv over
// 16-32 channels, the 3-channel stem) its cost is close to the kernel's:
// the first pixel's position is divided out once and then stepped, and a
// 1x1 stride-1 unpadded conv (pixel p reads input pixel p) takes no
// position at all.
template <typename T>
void FillIndirection(const ConvGeometry& g, const T* input, const T* pad_row, int64_t p0,
                     int rows, int mr, const T** a) {
  if (g.filter_h == 1 && g.filter_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
      g.pad_h == 0 && g.pad_w == 0 && g.in_h == g.out_h && g.in_w == g.out_w) {
    for (int r = 0; r < mr; ++r) {
      a[r] = input + (p0 + std::min(r, rows - 1)) * g.in_c;
    }
    return;
  }
  const int64_t per_image = int64_t{g.out_h} * g.out_w;
  int b = static_cast<int>(p0 / per_image);
  int oy = static_cast<int>(p0 % per_image / g.out_w);
  int ox = static_cast<int>(p0 % g.out_w);
  for (int r = 0; r < mr; ++r) {
    if (r > 0 && r < rows && ++ox == g.out_w) {  // the next pixel
      ox = 0;
      if (++oy == g.out_h) {
        oy = 0;
        ++b;
      }
    }
    const int y0 = oy * g.stride_h - g.pad_h;
    const int x0 = ox * g.stride_w - g.pad_w;
    const T* image = input + int64_t{b} * g.in_h * g.in_w * g.in_c;
    for (int ky = 0; ky < g.filter_h; ++ky) {
      const int iy = y0 + ky * g.dilation_h;
      const bool row_in = iy >= 0 && iy < g.in_h;
      const T* row = row_in ? image + int64_t{iy} * g.in_w * g.in_c : nullptr;
      for (int kx = 0; kx < g.filter_w; ++kx) {
        const int ix = x0 + kx * g.dilation_w;
        const int t = ky * g.filter_w + kx;
        a[t * mr + r] =
            (row_in && ix >= 0 && ix < g.in_w) ? row + int64_t{ix} * g.in_c : pad_row;
      }
    }
  }
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_INDIRECTION_H_
