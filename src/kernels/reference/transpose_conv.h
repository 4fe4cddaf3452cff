// TRANSPOSE_CONV (the gradient of CONV_2D with respect to its input): every
// input pixel (b, iy, ix) scatters input[ic] * filter[oc, ky, kx, ic] onto
// output (b, iy * stride - pad + ky, ix * stride - pad + kx, oc); taps that
// land outside the output are dropped. Bias and activation come after the
// whole sum. Filter is [out_c, filter_h, filter_w, in_c]; there is no
// dilation.
#ifndef DETLITE_KERNELS_REFERENCE_TRANSPOSE_CONV_H_
#define DETLITE_KERNELS_REFERENCE_TRANSPOSE_CONV_H_

#include <algorithm>
#include <cstdint>

#include "kernels/reference/conv.h"
#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::reference {

// Adds every tap into acc (out_h * out_w * out_c elements per batch, zeroed
// by the caller). Acc is the accumulator type; offsets as in ConvQuantized.
template <typename InT, typename FilterT, typename Acc>
void TransposeConvAccumulate(const ConvGeometry& g, Acc input_offset,
                             Acc filter_offset, const InT* input,
                             const FilterT* filter, Acc* acc) {
  for (int b = 0; b < g.batches; ++b) {
    for (int iy = 0; iy < g.in_h; ++iy) {
      for (int ix = 0; ix < g.in_w; ++ix) {
        const InT* in =
            input + ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c;
        for (int ky = 0; ky < g.filter_h; ++ky) {
          const int oy = iy * g.stride_h - g.pad_h + ky;
          if (oy < 0 || oy >= g.out_h) continue;
          for (int kx = 0; kx < g.filter_w; ++kx) {
            const int ox = ix * g.stride_w - g.pad_w + kx;
            if (ox < 0 || ox >= g.out_w) continue;
            Acc* out =
                acc + ((int64_t{b} * g.out_h + oy) * g.out_w + ox) * g.out_c;
            for (int oc = 0; oc < g.out_c; ++oc) {
              const FilterT* f =
                  filter +
                  ((int64_t{oc} * g.filter_h + ky) * g.filter_w + kx) * g.in_c;
              Acc sum = 0;
              for (int ic = 0; ic < g.in_c; ++ic) {
                sum += (static_cast<Acc>(in[ic]) + input_offset) *
                       (static_cast<Acc>(f[ic]) + filter_offset);
              }
              out[oc] += sum;
            }
          }
        }
      }
    }
  }
}

inline int64_t TransposeConvOutputSize(const ConvGeometry& g) {
  return int64_t{g.batches} * g.out_h * g.out_w * g.out_c;
}

// bias may be null. Accumulates in `output` itself.
inline void TransposeConvFloat(const ConvGeometry& g, const float* input,
                               const float* filter, const float* bias,
                               float act_min, float act_max, float* output) {
  const int64_t n = TransposeConvOutputSize(g);
  std::fill(output, output + n, 0.0f);
  TransposeConvAccumulate<float, float, float>(g, 0.0f, 0.0f, input, filter,
                                               output);
  for (int64_t i = 0; i < n; ++i) {
    float v = output[i];
    if (bias != nullptr) v += bias[i % g.out_c];
    output[i] = std::clamp(v, act_min, act_max);
  }
}

// Quantized TRANSPOSE_CONV. `scratch` holds TransposeConvOutputSize(g)
// accumulators; offsets and `requant` as in ConvQuantized.
template <typename InT, typename FilterT, typename BiasT, typename OutT,
          typename Requant>
void TransposeConvQuantized(const ConvGeometry& g, int32_t input_offset,
                            int32_t filter_offset, const InT* input,
                            const FilterT* filter, const BiasT* bias,
                            const Requant& requant,
                            ConvAccumulator<InT>* scratch, OutT* output) {
  using Acc = ConvAccumulator<InT>;
  const int64_t n = TransposeConvOutputSize(g);
  std::fill(scratch, scratch + n, Acc{0});
  TransposeConvAccumulate<InT, FilterT, Acc>(g, input_offset, filter_offset,
                                             input, filter, scratch);
  for (int64_t i = 0; i < n; ++i) {
    const int oc = static_cast<int>(i % g.out_c);
    Acc acc = scratch[i];
    if (bias != nullptr) acc += static_cast<Acc>(bias[oc]);
    output[i] = static_cast<OutT>(requant(acc, oc));
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_TRANSPOSE_CONV_H_
