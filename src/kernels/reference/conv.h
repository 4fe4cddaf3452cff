// CONV_2D on NHWC tensors: each output (b, y, x, oc) is the sum over the
// filter window of input * filter, plus bias, then the fused activation.
// Grouped convolution (ConvGeometry::groups > 1) reads only oc's group of
// input channels.
// Taps that fall in the implicit padding contribute nothing, which for
// quantized data means "as if the input held its zero point" - TFLite's rule.
#ifndef DETLITE_KERNELS_REFERENCE_CONV_H_
#define DETLITE_KERNELS_REFERENCE_CONV_H_

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::reference {

// int16 activations accumulate in int64 (TFLite's 16x8 kernels); 8-bit ones
// in int32, wrapping on overflow exactly where TFLite would.
template <typename InT>
using ConvAccumulator =
    std::conditional_t<std::is_same_v<InT, int16_t>, int64_t, int32_t>;

// Calls body(input_row, filter_row) for every in-bounds tap of the window of
// output (b, oy, ox) and output channel oc; each row has FilterDepth(g)
// elements (the input row starts at oc's group of channels).
inline int32_t FilterDepth(const ConvGeometry& g) { return g.in_c / g.groups; }

template <typename InT, typename FilterT, typename Body>
inline void ForEachConvTap(const ConvGeometry& g, const InT* input,
                           const FilterT* filter, int b, int oy, int ox, int oc,
                           Body&& body) {
  const int32_t depth = FilterDepth(g);
  const int64_t group_start =
      int64_t{oc / (g.out_c / g.groups)} * depth;  // 0 without groups
  const int in_y0 = oy * g.stride_h - g.pad_h;
  const int in_x0 = ox * g.stride_w - g.pad_w;
  for (int ky = 0; ky < g.filter_h; ++ky) {
    const int iy = in_y0 + ky * g.dilation_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int kx = 0; kx < g.filter_w; ++kx) {
      const int ix = in_x0 + kx * g.dilation_w;
      if (ix < 0 || ix >= g.in_w) continue;
      const int64_t in_index =
          ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c + group_start;
      const int64_t f_index =
          ((int64_t{oc} * g.filter_h + ky) * g.filter_w + kx) * depth;
      body(input + in_index, filter + f_index);
    }
  }
}

// bias may be null.
inline void ConvFloat(const ConvGeometry& g, const float* input,
                      const float* filter, const float* bias, float act_min,
                      float act_max, float* output) {
  const int32_t depth = FilterDepth(g);
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        for (int oc = 0; oc < g.out_c; ++oc) {
          float acc = 0.0f;
          ForEachConvTap(g, input, filter, b, oy, ox, oc,
                         [&](const float* in, const float* f) {
                           for (int ic = 0; ic < depth; ++ic)
                             acc += in[ic] * f[ic];
                         });
          if (bias != nullptr) acc += bias[oc];
          *output++ = std::clamp(acc, act_min, act_max);
        }
      }
    }
  }
}

// Quantized CONV_2D. input_offset is -input_zero_point; filter_offset is
// -filter_zero_point (non-zero only for uint8 filters). bias may be null.
// `requant` (see requantize.h) maps (accumulator, output channel) to the
// final clamped output value.
template <typename InT, typename FilterT, typename BiasT, typename OutT,
          typename Requant>
void ConvQuantized(const ConvGeometry& g, int32_t input_offset,
                   int32_t filter_offset, const InT* input,
                   const FilterT* filter, const BiasT* bias,
                   const Requant& requant, OutT* output) {
  using Acc = ConvAccumulator<InT>;
  const int32_t depth = FilterDepth(g);
  for (int b = 0; b < g.batches; ++b) {
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        for (int oc = 0; oc < g.out_c; ++oc) {
          Acc acc = 0;
          ForEachConvTap(g, input, filter, b, oy, ox, oc,
                         [&](const InT* in, const FilterT* f) {
                           for (int ic = 0; ic < depth; ++ic) {
                             acc += (static_cast<Acc>(in[ic]) + input_offset) *
                                    (static_cast<Acc>(f[ic]) + filter_offset);
                           }
                         });
          if (bias != nullptr) acc += static_cast<Acc>(bias[oc]);
          *output++ = static_cast<OutT>(requant(acc, oc));
        }
      }
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_CONV_H_
