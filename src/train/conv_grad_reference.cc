#include <cstdint>

#include "train/conv_grad_kernels.h"

namespace detlite::train {

void ConvBackwardReference(const kernels::ConvGeometry& g, const float* x, const float* w,
                           const float* dz, float* dx, float* dw, float* db) {
  const int groups = g.groups > 0 ? g.groups : 1;
  const int icg = g.in_c / groups, ocg = g.out_c / groups;
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        const float* dzp = dz + ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * g.out_c;
        for (int oc = 0; oc < g.out_c; ++oc) {
          const float d = dzp[oc];
          if (db != nullptr) db[oc] += d;
          if (d == 0.0f) continue;
          const int c0 = (oc / ocg) * icg;
          for (int ky = 0; ky < g.filter_h; ++ky) {
            const int iy = oy * g.stride_h - g.pad_h + ky * g.dilation_h;
            if (iy < 0 || iy >= g.in_h) continue;
            for (int kx = 0; kx < g.filter_w; ++kx) {
              const int ix = ox * g.stride_w - g.pad_w + kx * g.dilation_w;
              if (ix < 0 || ix >= g.in_w) continue;
              const int64_t pix = ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c + c0;
              const int64_t tap = ((int64_t{oc} * g.filter_h + ky) * g.filter_w + kx) * icg;
              for (int ic = 0; ic < icg; ++ic) {
                if (dx != nullptr) dx[pix + ic] += d * w[tap + ic];
                if (dw != nullptr) dw[tap + ic] += d * x[pix + ic];
              }
            }
          }
        }
      }
    }
  }
}

void DepthwiseBackwardReference(const kernels::ConvGeometry& g, const float* x, const float* w,
                                const float* dz, float* dx, float* dw, float* db) {
  const int mult = g.depth_multiplier > 0 ? g.depth_multiplier : 1;
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        const float* dzp = dz + ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * g.out_c;
        if (db != nullptr) {
          for (int oc = 0; oc < g.out_c; ++oc) db[oc] += dzp[oc];
        }
        for (int ky = 0; ky < g.filter_h; ++ky) {
          const int iy = oy * g.stride_h - g.pad_h + ky * g.dilation_h;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int kx = 0; kx < g.filter_w; ++kx) {
            const int ix = ox * g.stride_w - g.pad_w + kx * g.dilation_w;
            if (ix < 0 || ix >= g.in_w) continue;
            const int64_t pix = ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c;
            const int64_t tap = (int64_t{ky} * g.filter_w + kx) * g.out_c;
            for (int oc = 0; oc < g.out_c; ++oc) {
              const int ic = oc / mult;
              if (dx != nullptr) dx[pix + ic] += dzp[oc] * w[tap + oc];
              if (dw != nullptr) dw[tap + oc] += dzp[oc] * x[pix + ic];
            }
          }
        }
      }
    }
  }
}

void TransposeConvBackward(const kernels::ConvGeometry& g, const float* x, const float* w,
                           const float* dz, float* dx, float* dw, float* db) {
  if (db != nullptr) {
    const int64_t pixels = int64_t{g.batches} * g.out_h * g.out_w;
    for (int64_t p = 0; p < pixels; ++p) {
      for (int oc = 0; oc < g.out_c; ++oc) db[oc] += dz[p * g.out_c + oc];
    }
  }
  for (int b = 0; b < g.batches; ++b) {
    for (int iy = 0; iy < g.in_h; ++iy) {
      for (int ix = 0; ix < g.in_w; ++ix) {
        const int64_t pix = ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c;
        for (int ky = 0; ky < g.filter_h; ++ky) {
          const int oy = iy * g.stride_h - g.pad_h + ky;
          if (oy < 0 || oy >= g.out_h) continue;
          for (int kx = 0; kx < g.filter_w; ++kx) {
            const int ox = ix * g.stride_w - g.pad_w + kx;
            if (ox < 0 || ox >= g.out_w) continue;
            const float* dzp = dz + ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * g.out_c;
            for (int oc = 0; oc < g.out_c; ++oc) {
              const float d = dzp[oc];
              const int64_t tap = ((int64_t{oc} * g.filter_h + ky) * g.filter_w + kx) * g.in_c;
              for (int ic = 0; ic < g.in_c; ++ic) {
                if (dx != nullptr) dx[pix + ic] += d * w[tap + ic];
                if (dw != nullptr) dw[tap + ic] += d * x[pix + ic];
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace detlite::train
