// Float elementwise rows for the memory-bound ops around convolutions:
// out[r][n] = act(x[r][n] + res[r][n]) over rows of `channels` values, where
// the residual is optional and may have fewer channels than x (a residual
// whose channels were zero-padded, as BlazeFace's channel PAD does: the
// missing ones add nothing), and act is a clamp [lo, hi] or a per-channel
// PRELU (x >= 0 ? x : x * alpha[n]). It serves ADD, RELU, RELU6 and PRELU on
// their own and the epilogue the runtime fuses into a CONV_2D (conv, then
// residual ADD, then activation, in that order: the same float operations
// as the unfused ops, so the results are identical). x and out may be the
// same buffer. Float MAX_POOL_2D, as memory-bound, lives here too. One
// function per instruction set (eltwise_f32_{portable,avx2,avx512}.cc,
// sharing eltwise_f32_impl.inc and maxpool_f32_impl.inc).
#ifndef DETLITE_KERNELS_OPTIMIZED_ELTWISE_F32_H_
#define DETLITE_KERNELS_OPTIMIZED_ELTWISE_F32_H_

#include <cstdint>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"
#include "kernels/reference/pooling.h"

namespace detlite::kernels::optimized {

struct EltwiseF32Args {
  const float* x = nullptr;
  const float* res = nullptr;  // null: no residual
  float* out = nullptr;
  int64_t rows = 0;
  int64_t channels = 0;  // of x and out (their row stride)
  int64_t res_c = 0;     // residual channels (<= channels, its row stride)
  float lo = -3.4028235e38f, hi = 3.4028235e38f;
  const float* alpha = nullptr;  // [channels]: PRELU instead of the clamp
};

using EltwiseF32Fn = void (*)(const EltwiseF32Args& args);

EltwiseF32Fn EltwiseF32For(Isa isa);
EltwiseF32Fn EltwiseF32Portable();
EltwiseF32Fn EltwiseF32Avx2();
EltwiseF32Fn EltwiseF32Avx512();

// Runs args with the kernel for `isa`, split by rows over par.
void EltwiseF32(Isa isa, const EltwiseF32Args& args, const Parallel& par);

// MAX_POOL_2D over NHWC float, windows clipped to the input as in
// reference/pooling.h, then clamped to [lo, hi]; output rows [r0, r1) of
// batches * out_h.
using MaxPoolF32Fn = void (*)(const reference::PoolParams& p, float lo,
                              float hi, const float* in, float* out,
                              int64_t r0, int64_t r1);
MaxPoolF32Fn MaxPoolF32For(Isa isa);
MaxPoolF32Fn MaxPoolF32Portable();
MaxPoolF32Fn MaxPoolF32Avx2();
MaxPoolF32Fn MaxPoolF32Avx512();

void MaxPoolF32(Isa isa, const reference::PoolParams& p, float lo, float hi,
                const float* in, float* out, const Parallel& par);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_ELTWISE_F32_H_
