// Float LOGISTIC, y = 1 / (1 + e^-x), vectorized: e = exp(-|x|) from a
// degree-7 polynomial after range reduction by ln 2 (relative error of e
// about 1e-7), then y = 1 / (1 + e) for x >= 0 and e / (1 + e) below, with
// an exact division. Within 2 float ulps of the scalar reference
// (reference/unary_math.h), far inside the 1e-6-of-range agreement with the
// real runtime's own approximation (XNNPACK's). -|x| below -87 gives e = 0
// (the reference returns a subnormal there); a NaN stays NaN. One function
// per instruction set; the portable one is the reference loop.
#ifndef DETLITE_KERNELS_OPTIMIZED_SIGMOID_F32_H_
#define DETLITE_KERNELS_OPTIMIZED_SIGMOID_F32_H_

#include <cstdint>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"

namespace detlite::kernels::optimized {

using SigmoidF32Fn = void (*)(int64_t n, const float* in, float* out);

SigmoidF32Fn SigmoidF32For(Isa isa);
SigmoidF32Fn SigmoidF32Portable();
SigmoidF32Fn SigmoidF32Avx2();
SigmoidF32Fn SigmoidF32Avx512();

// Runs n values with the kernel for `isa`, split over par. in and out may
// be the same buffer.
void SigmoidF32(Isa isa, int64_t n, const float* in, float* out,
                const Parallel& par);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_SIGMOID_F32_H_
