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
// rows past `rows` repeat the last valid pixel.
template <typename T>
void FillIndirection(const ConvGeometry& g, const T* input, const T* pad_row, int64_t p0,
                     int rows, int mr, const T** a) {
  const int64_t per_image = int64_t{g.out_h} * g.out_w;
  for (int r = 0; r < mr; ++r) {
    const int64_t p = p0 + std::min(r, rows - 1);
    const int b = static_cast<int>(p / per_image);
    const int oy = static_cast<int>(p % per_image / g.out_w);
    const int ox = static_cast<int>(p % g.out_w);
    const int y0 = oy * g.stride_h - g.pad_h;
    const int x0 = ox * g.stride_w - g.pad_w;
    const T* image = input + int64_t{b} * g.in_h * g.in_w * g.in_c;
    for (int ky = 0; ky < g.filter_h; ++ky) {
      const int iy = y0 + ky * g.dilation_h;
      for (int kx = 0; kx < g.filter_w; ++kx) {
        const int ix = x0 + kx * g.dilation_w;
        const int t = ky * g.filter_w + kx;
        a[t * mr + r] = (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w)
                            ? pad_row
                            : image + (int64_t{iy} * g.in_w + ix) * g.in_c;
      }
    }
  }
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_INDIRECTION_H_
