// The 8-bit depthwise row kernel at the avx512vnni level
// (dwconv_q8_avx512_impl.inc): each tap's multiply-add is one vpdpwssd, the
// same int16 pair products and wrapping add as vpmaddwd + vpaddd in one
// instruction (vpdpwssd does not saturate; vpdpwssds would).
#include <cstdint>

#include "kernels/optimized/dwconv_q8.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace {

inline __m512i MultiplyAdd(__m512i acc, __m512i x, __m512i w) {
  return _mm512_dpwssd_epi32(acc, x, w);
}

#include "kernels/optimized/dwconv_q8_avx512_impl.inc"

}  // namespace

DwQ8RowFn DwQ8RowAvx512Vnni() { return &RowAny; }

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
