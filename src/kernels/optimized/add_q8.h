// uint8/int8 ADD and SUB of two same-shape tensors as XNNPACK computes them
// (reference/xnnpack_quantized.h XnnpackAdd: one int32 multiply-add per
// input, an arithmetic shift, the zero point and the clamp), 16 (AVX-512) or
// 8 (AVX2) values per step; the same integers, so the same bytes.
#ifndef DETLITE_KERNELS_OPTIMIZED_ADD_Q8_H_
#define DETLITE_KERNELS_OPTIMIZED_ADD_Q8_H_

#include <cstdint>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"
#include "kernels/reference/xnnpack_quantized.h"

namespace detlite::kernels::optimized {

template <typename T>  // int8_t or uint8_t
using AddQ8Fn = void (*)(const reference::XnnpackAddParams& p, const T* a,
                         const T* b, int64_t n, T* out);

AddQ8Fn<int8_t> AddS8Avx2();
AddQ8Fn<uint8_t> AddU8Avx2();
AddQ8Fn<int8_t> AddS8Avx512();
AddQ8Fn<uint8_t> AddU8Avx512();

// With the kernel for `isa` (a plain loop at Isa::kReference), split over
// par.
template <typename T>
void AddQ8(Isa isa, const reference::XnnpackAddParams& p, const T* a,
           const T* b, int64_t n, T* out, const Parallel& par);

// The scalar loop, for the vector paths' last values.
template <typename T>
void AddQ8Tail(const reference::XnnpackAddParams& p, const T* a, const T* b,
               int64_t n, T* out);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_ADD_Q8_H_
