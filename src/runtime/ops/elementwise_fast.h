// Glue to the optimized float elementwise rows (kernels/optimized/eltwise_f32.h)
// for ADD, the clamps and PRELU: the shapes those rows cover, and a runner
// that takes the instruction set and threads the interpreter chose. The
// reference kernels still run when DETLITE_REFERENCE_KERNELS is set.
#ifndef DETLITE_RUNTIME_OPS_ELEMENTWISE_FAST_H_
#define DETLITE_RUNTIME_OPS_ELEMENTWISE_FAST_H_

#include <cstdint>

#include "core/shape.h"
#include "kernels/optimized/cpu.h"
#include "kernels/optimized/eltwise_f32.h"
#include "runtime/ops/conv_common.h"
#include "runtime/thread_pool.h"

namespace detlite::runtime::elementwise {

inline bool UseFastFloat() { return conv::UseOptimizedKernels(); }

// Rows of `channels` for a flat array of n values: the innermost dimension
// when it is wide enough to fill vectors, else one row of everything.
inline void SplitRows(const Shape& shape, int64_t* rows, int64_t* channels) {
  const int64_t n = shape.NumElements();
  const int64_t last = shape.rank() > 0 ? shape.dim(shape.rank() - 1) : 1;
  if (last >= 16 && n % last == 0) {
    *rows = n / last;
    *channels = last;
  } else {
    *rows = n > 0 ? 1 : 0;
    *channels = n;
  }
}

// Whether `alpha` holds one value per channel of `in` (the last dimension),
// every other dimension 1.
inline bool PerChannel(const Shape& alpha, const Shape& in) {
  if (in.rank() == 0 || alpha.rank() == 0) return false;
  const int32_t c = in.dim(in.rank() - 1);
  if (alpha.dim(alpha.rank() - 1) != c) return false;
  for (int i = 0; i + 1 < alpha.rank(); ++i) {
    if (alpha.dim(i) != 1) return false;
  }
  return true;
}

inline void RunEltwise(const kernels::optimized::EltwiseF32Args& args) {
  kernels::optimized::EltwiseF32(kernels::optimized::ActiveIsa(), args,
                                 CurrentParallel());
}

}  // namespace detlite::runtime::elementwise

#endif  // DETLITE_RUNTIME_OPS_ELEMENTWISE_FAST_H_
