// DEPTHWISE_CONV_2D on NHWC tensors: input channel ic feeds output channels
// ic * depth_multiplier + m, each with its own [filter_h, filter_w] kernel,
// stored as filter[0, ky, kx, oc].
#ifndef DETLITE_KERNELS_REFERENCE_DEPTHWISE_CONV_H_
#define DETLITE_KERNELS_REFERENCE_DEPTHWISE_CONV_H_

#include <algorithm>
#include <cstdint>

#include "kernels/reference/conv.h"
#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::reference {

// Calls body(input_value, filter_value) for every in-bounds tap of output
// (b, oy, ox, ic * depth_multiplier + m).
template <typename InT, typename FilterT, typename Body>
inline void ForEachDepthwiseTap(const ConvGeometry& g, const InT* input,
                                const FilterT* filter, int b, int oy, int ox,
                                int ic, int oc, Body&& body) {
  const int in_y0 = oy * g.stride_h - g.pad_h;
  const int in_x0 = ox * g.stride_w - g.pad_w;
  for (int ky = 0; ky < g.filter_h; ++ky) {
    const int iy = in_y0 + ky * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int kx = 0; kx < g.filter_w; ++kx) {
      const int ix = in_x0 + kx * g.dilation_w;
      if (ix < 0 || ix >= g.in_w) continue;
      const int64_t in_index =
          ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c + ic;
      const int64_t f_index = (int64_t{ky} * g.filter_w + kx) * g.out_c + oc;
      body(input[in_index], filter[f_index]);
    }
  }
}

// bias may be null.
inline void DepthwiseConvFloat(const ConvGeometry& g, const float* input,
                               const float* filter, const float* bias,
                               float act_min, float act_max, float* output) {
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        for (int ic = 0; ic < g.in_c; ++ic) {
          for (int m = 0; m < g.depth_multiplier; ++m) {
            const int oc = ic * g.depth_multiplier + m;
            float acc = 0.0f;
            ForEachDepthwiseTap(g, input, filter, b, oy, ox, ic, oc,
                                [&](float in, float f) { acc += in * f; });
            if (bias != nullptr) acc += bias[oc];
            *output++ = std::clamp(acc, act_min, act_max);
          }
        }
      }
    }
  }
}

// Quantized DEPTHWISE_CONV_2D; offsets and `requant` as in ConvQuantized.
template <typename InT, typename FilterT, typename BiasT, typename OutT,
          typename Requant>
void DepthwiseConvQuantized(const ConvGeometry& g, int32_t input_offset,
                            int32_t filter_offset, const InT* input,
                            const FilterT* filter, const BiasT* bias,
                            const Requant& requant, OutT* output) {
  using Acc = ConvAccumulator<InT>;
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        for (int ic = 0; ic < g.in_c; ++ic) {
          for (int m = 0; m < g.depth_multiplier; ++m) {
            const int oc = ic * g.depth_multiplier + m;
            Acc acc = 0;
            ForEachDepthwiseTap(g, input, filter, b, oy, ox, ic, oc,
                                [&](InT in, FilterT f) {
                                  acc += (static_cast<Acc>(in) + input_offset) *
                                         (static_cast<Acc>(f) + filter_offset);
                                });
            if (bias != nullptr) acc += static_cast<Acc>(bias[oc]);
            *output++ = static_cast<OutT>(requant(acc, oc));
          }
        }
      }
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_DEPTHWISE_CONV_H_
