// DEPTHWISE_CONV_2D backward for depth multiplier 1 (every depthwise layer
// of the detectors here): per output pixel and tap, two channel loops with
// no index arithmetic inside, which the compiler vectorizes; threads take
// slices of channels (every write is per channel). Other multipliers take
// the reference loop.
#include <cstdint>

#include "train/conv_grad_kernels.h"

namespace detlite::train {
namespace {

// Channels [c0, c1) of the whole backward.
void DepthwiseChannels(const kernels::ConvGeometry& g, int64_t c0, int64_t c1, const float* x,
                       const float* w, const float* dz, float* dx, float* dw, float* db) {
  const int64_t c = g.out_c, n = c1 - c0;
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        const float* __restrict dzp = dz + ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * c + c0;
        if (db != nullptr) {
          for (int64_t i = 0; i < n; ++i) db[c0 + i] += dzp[i];
        }
        for (int ky = 0; ky < g.filter_h; ++ky) {
          const int iy = oy * g.stride_h - g.pad_h + ky * g.dilation_h;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int kx = 0; kx < g.filter_w; ++kx) {
            const int ix = ox * g.stride_w - g.pad_w + kx * g.dilation_w;
            if (ix < 0 || ix >= g.in_w) continue;
            const int64_t pix = ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * c + c0;
            const int64_t tap = (int64_t{ky} * g.filter_w + kx) * c + c0;
            if (dx != nullptr) {
              float* __restrict d = dx + pix;
              const float* __restrict wt = w + tap;
              for (int64_t i = 0; i < n; ++i) d[i] += dzp[i] * wt[i];
            }
            if (dw != nullptr) {
              float* __restrict d = dw + tap;
              const float* __restrict xp = x + pix;
              for (int64_t i = 0; i < n; ++i) d[i] += dzp[i] * xp[i];
            }
          }
        }
      }
    }
  }
}

}  // namespace

void DepthwiseBackward(const kernels::ConvGeometry& g, const float* x, const float* w,
                       const float* dz, float* dx, float* dw, float* db) {
  if (g.depth_multiplier != 1) {
    DepthwiseBackwardReference(g, x, w, dz, dx, dw, db);
    return;
  }
  // Each channel's sums run in the same order however the channels are
  // split, so any split gives the same bits.
  kernels::optimized::ParallelRanges(runtime::CurrentParallel(), g.out_c, 8,
                                     [&](int64_t c0, int64_t c1) {
                                       DepthwiseChannels(g, c0, c1, x, w, dz, dx, dw, db);
                                     });
}

}  // namespace detlite::train
