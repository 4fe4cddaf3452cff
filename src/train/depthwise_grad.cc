// DEPTHWISE_CONV_2D backward for depth multiplier 1 (every depthwise layer
// of the detectors here): per output pixel and tap, two channel loops with
// no index arithmetic inside, which the compiler vectorizes; other
// multipliers take the reference loop.
#include <cstdint>

#include "train/conv_grad_kernels.h"

namespace detlite::train {

void DepthwiseBackward(const kernels::ConvGeometry& g, const float* x, const float* w,
                       const float* dz, float* dx, float* dw, float* db) {
  if (g.depth_multiplier != 1) {
    DepthwiseBackwardReference(g, x, w, dz, dx, dw, db);
    return;
  }
  const int64_t c = g.out_c;
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        const float* __restrict dzp = dz + ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * c;
        if (db != nullptr) {
          for (int64_t i = 0; i < c; ++i) db[i] += dzp[i];
        }
        for (int ky = 0; ky < g.filter_h; ++ky) {
          const int iy = oy * g.stride_h - g.pad_h + ky * g.dilation_h;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int kx = 0; kx < g.filter_w; ++kx) {
            const int ix = ox * g.stride_w - g.pad_w + kx * g.dilation_w;
            if (ix < 0 || ix >= g.in_w) continue;
            const int64_t pix = ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * c;
            const int64_t tap = (int64_t{ky} * g.filter_w + kx) * c;
            if (dx != nullptr) {
              float* __restrict d = dx + pix;
              const float* __restrict wt = w + tap;
              for (int64_t i = 0; i < c; ++i) d[i] += dzp[i] * wt[i];
            }
            if (dw != nullptr) {
              float* __restrict d = dw + tap;
              const float* __restrict xp = x + pix;
              for (int64_t i = 0; i < c; ++i) d[i] += dzp[i] * xp[i];
            }
          }
        }
      }
    }
  }
}

}  // namespace detlite::train
