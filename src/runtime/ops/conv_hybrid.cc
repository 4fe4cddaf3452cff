#include "runtime/ops/conv_hybrid.h"

#include "kernels/optimized/conv.h"
#include "kernels/reference/conv.h"
#include "runtime/thread_pool.h"

namespace detlite::runtime::conv {

void EvalHybridConv(const QuantSetup& q, kernels::ConvGeometry g, int64_t batches,
                    const float* input, const TensorRef* filter, const float* bias,
                    HybridScratch& s, float* output) {
  g.batches = 1;
  const int64_t in_size = int64_t{g.in_h} * g.in_w * g.in_c;
  const int64_t out_size = int64_t{g.out_h} * g.out_w * g.out_c;
  const bool optimized = UseOptimizedKernels();
  if (optimized && (!s.packed || !filter->is_constant)) {
    kernels::optimized::PackFilterI16(g.out_c, kernels::optimized::ConvDepth(g),
                                      filter->Data<int8_t>(), 0, &s.packed_filter);
    s.packed = true;
  }
  const int32_t* no_bias = nullptr;  // the requantizer adds the float bias
  ForEachHybridBatch(
      q, input, batches, in_size, bias, s,
      [&](int64_t b, const int8_t* x, int32_t input_offset, const auto& requant) {
        float* out = output + b * out_size;
        if (optimized) {
          kernels::optimized::ConvQuantized(g, input_offset, x, s.packed_filter.data(), no_bias,
                                            requant, out, CurrentParallel());
        } else {
          kernels::reference::ConvQuantized(g, input_offset, 0, x, filter->Data<int8_t>(),
                                            no_bias, requant, out);
        }
      });
}

}  // namespace detlite::runtime::conv
