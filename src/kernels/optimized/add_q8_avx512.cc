// uint8/int8 ADD with AVX-512: 16 values per step in int32 lanes.
#include <cstdint>
#include <type_traits>

#include "kernels/optimized/add_q8.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq")
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace {

template <typename T>
__m512i Widen(const T* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return std::is_same_v<T, int8_t> ? _mm512_cvtepi8_epi32(v) : _mm512_cvtepu8_epi32(v);
}

template <typename T>
void AddAvx512(const reference::XnnpackAddParams& p, const T* a, const T* b,
               int64_t n, T* out) {
  const __m512i am = _mm512_set1_epi32(p.a_multiplier);
  const __m512i bm = _mm512_set1_epi32(p.b_multiplier);
  const __m512i bias = _mm512_set1_epi32(p.bias);
  const __m128i shift = _mm_cvtsi32_si128(p.shift);
  const __m512i zp = _mm512_set1_epi32(p.output_zero_point);
  const __m512i lo = _mm512_set1_epi32(p.activation_min);
  const __m512i hi = _mm512_set1_epi32(p.activation_max);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512i acc = _mm512_add_epi32(bias, _mm512_mullo_epi32(Widen(a + i), am));
    acc = _mm512_add_epi32(acc, _mm512_mullo_epi32(Widen(b + i), bm));
    __m512i v = _mm512_add_epi32(_mm512_sra_epi32(acc, shift), zp);
    v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
    // In the type's range after the clamp: the low byte is the value.
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm512_cvtepi32_epi8(v));
  }
  AddQ8Tail<T>(p, a + i, b + i, n - i, out + i);
}

}  // namespace

AddQ8Fn<int8_t> AddS8Avx512() { return &AddAvx512<int8_t>; }
AddQ8Fn<uint8_t> AddU8Avx512() { return &AddAvx512<uint8_t>; }

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
