// Float to int8/uint8 QUANTIZE as XNNPACK computes it (the judge's path;
// reference/quantize.h QuantizeFloatXnnpack): x * (1 / scale), clamped to
// the type's range minus the zero point (NaN to the bottom), rounded to
// nearest even by the current rounding mode, plus the zero point. The
// vector paths round with cvtps2dq, which uses the same mode as nearbyint,
// so they equal the reference bit for bit. Also the inverse, per-tensor
// DEQUANTIZE of int8/uint8 to float: float(x - zero_point) * scale, one
// exact conversion and one rounded product per value, as the reference.
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

template <typename T>  // int8_t or uint8_t
using DequantizeQ8Fn = void (*)(const T* in, int64_t n, float scale,
                                int32_t zero_point, float* out);

DequantizeQ8Fn<int8_t> DequantizeS8Avx2();
DequantizeQ8Fn<uint8_t> DequantizeU8Avx2();
DequantizeQ8Fn<int8_t> DequantizeS8Avx512();
DequantizeQ8Fn<uint8_t> DequantizeU8Avx512();

template <typename T>
void DequantizeQ8(Isa isa, const T* in, int64_t n, float scale,
                  int32_t zero_point, float* out, const Parallel& par);

// With the kernel for `isa` (the reference loop at Isa::kReference), split
// over par.
template <typename T>
void QuantizeQ8(Isa isa, const float* in, int64_t n, float scale,
                int32_t zero_point, T* out, const Parallel& par);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_QUANTIZE_Q8_H_
