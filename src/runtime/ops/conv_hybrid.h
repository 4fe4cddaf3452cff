// Eval-time driver of hybrid conv-family ops (float input and output, int8
// filter): each batch of the input is quantized to int8 with its own scale
// (kernels/reference/hybrid.h), the 8-bit kernel accumulates in int32, and
// HybridRequant scales each channel back to float and adds the float bias.
//
// Padding taps contribute nothing, i.e. the padded input is a real zero
// whatever the batch's zero point is (checked against the judge in
// tests/e2e/quantize_dynamic_test.cc).
#ifndef DETLITE_RUNTIME_OPS_CONV_HYBRID_H_
#define DETLITE_RUNTIME_OPS_CONV_HYBRID_H_

#include <cstdint>
#include <vector>

#include "kernels/reference/hybrid.h"
#include "runtime/ops/conv_common.h"

namespace detlite::runtime::conv {

// Per-op buffers reused across Invokes.
struct HybridScratch {
  std::vector<int8_t> input;
  std::vector<float> scale;
  std::vector<int16_t> packed_filter;  // for the optimized conv kernel
  bool packed = false;
};

// Calls fn(batch, quantized_input, input_offset, requant) for each of
// `batches` consecutive slices of `batch_size` floats of `input`.
template <typename Fn>
void ForEachHybridBatch(const QuantSetup& q, const float* input,
                        int64_t batches, int64_t batch_size, const float* bias,
                        HybridScratch& s, Fn&& fn, bool two_step = false) {
  s.input.resize(static_cast<size_t>(batch_size));
  s.scale.resize(q.filter_scale.size());
  for (int64_t b = 0; b < batches; ++b) {
    const float* x = input + b * batch_size;
    float input_scale = 1.0f;
    int32_t zero_point = 0;
    if (q.hybrid_asymmetric) {
      kernels::reference::QuantizeFloatsAsymmetric(x, batch_size, s.input.data(),
                                                   &input_scale, &zero_point);
    } else {
      kernels::reference::QuantizeFloatsSymmetric(x, batch_size, s.input.data(),
                                                  &input_scale);
    }
    for (size_t c = 0; c < s.scale.size(); ++c) {
      s.scale[c] = two_step ? q.filter_scale[c] : input_scale * q.filter_scale[c];
    }
    const kernels::reference::HybridRequant requant{
        s.scale.data(), bias, q.float_act_min, q.float_act_max, two_step ? input_scale : 0.0f};
    fn(b, static_cast<const int8_t*>(s.input.data()), -zero_point, requant);
  }
}

// Hybrid CONV_2D over `batches` images of geometry `g` (g.batches is
// ignored), each image quantized on its own; FULLY_CONNECTED is the 1x1
// case with one input row per batch. Runs the optimized kernel unless
// DETLITE_REFERENCE_KERNELS is set; a constant filter is packed once.
void EvalHybridConv(const QuantSetup& q, kernels::ConvGeometry g, int64_t batches,
                    const float* input, const TensorRef* filter, const float* bias,
                    HybridScratch& s, float* output);

}  // namespace detlite::runtime::conv

#endif  // DETLITE_RUNTIME_OPS_CONV_HYBRID_H_
