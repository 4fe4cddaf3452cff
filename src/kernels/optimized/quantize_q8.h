// Float to int8/uint8 QUANTIZE as XNNPACK computes it (the judge's path;
// reference/quantize.h QuantizeFloatXnnpack): x * (1 / scale), clamped to
// the type's range minus the zero point (NaN to the bottom), rounded to
// nearest even by the current rounding mode, plus the zero point. The
// vector paths round with cvtps2dq, which uses the same mode as nearbyint,
// so they equal the reference bit for bit.
#ifndef DETLITE_KERNELS_OPTIMIZED_QUANTIZE_Q8_H_
#define DETLITE_KERNELS_OPTIMIZED_QUANTIZE_Q8_H_

#include <cstdint>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"

namespace detlite::kernels::optimized {

template <typename T>  // int8_t or uint8_t
using QuantizeQ8Fn = void (*)(const float* in, int64_t n, float scale,
                              int32_t zero_point, T* out);

QuantizeQ8Fn<int8_t> QuantizeS8Avx2();
QuantizeQ8Fn<uint8_t> QuantizeU8Avx2();
QuantizeQ8Fn<int8_t> QuantizeS8Avx512();
QuantizeQ8Fn<uint8_t> QuantizeU8Avx512();

// With the kernel for `isa` (the reference loop at Isa::kReference), split
// over par.
template <typename T>
void QuantizeQ8(Isa isa, const float* in, int64_t n, float scale,
                int32_t zero_point, T* out, const Parallel& par);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_QUANTIZE_Q8_H_
