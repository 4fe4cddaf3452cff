// FULLY_CONNECTED: output[b, o] = sum_i input[b, i] * weights[o, i] + bias[o],
// then the fused activation. The input is viewed as [batches, in_depth]
// whatever its rank; weights are [out_depth, in_depth].
#ifndef DETLITE_KERNELS_REFERENCE_FULLY_CONNECTED_H_
#define DETLITE_KERNELS_REFERENCE_FULLY_CONNECTED_H_

#include <algorithm>
#include <cstdint>

#include "kernels/reference/conv.h"

namespace detlite::kernels::reference {

struct FullyConnectedShape {
  int64_t batches = 0;
  int32_t in_depth = 0;
  int32_t out_depth = 0;
};

// bias may be null.
inline void FullyConnectedFloat(const FullyConnectedShape& s,
                                const float* input, const float* weights,
                                const float* bias, float act_min, float act_max,
                                float* output) {
  for (int64_t b = 0; b < s.batches; ++b) {
    const float* in = input + b * s.in_depth;
    for (int o = 0; o < s.out_depth; ++o) {
      const float* w = weights + int64_t{o} * s.in_depth;
      float acc = 0.0f;
      for (int i = 0; i < s.in_depth; ++i) acc += in[i] * w[i];
      if (bias != nullptr) acc += bias[o];
      *output++ = std::clamp(acc, act_min, act_max);
    }
  }
}

// Quantized FULLY_CONNECTED; offsets and `requant` as in ConvQuantized (the
// requantizer's channel is the output index o).
template <typename InT, typename FilterT, typename BiasT, typename OutT,
          typename Requant>
void FullyConnectedQuantized(const FullyConnectedShape& s, int32_t input_offset,
                             int32_t filter_offset, const InT* input,
                             const FilterT* weights, const BiasT* bias,
                             const Requant& requant, OutT* output) {
  using Acc = ConvAccumulator<InT>;
  for (int64_t b = 0; b < s.batches; ++b) {
    const InT* in = input + b * s.in_depth;
    for (int o = 0; o < s.out_depth; ++o) {
      const FilterT* w = weights + int64_t{o} * s.in_depth;
      Acc acc = 0;
      for (int i = 0; i < s.in_depth; ++i) {
        acc += (static_cast<Acc>(in[i]) + input_offset) *
               (static_cast<Acc>(w[i]) + filter_offset);
      }
      if (bias != nullptr) acc += static_cast<Acc>(bias[o]);
      *output++ = static_cast<OutT>(requant(acc, o));
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_FULLY_CONNECTED_H_
