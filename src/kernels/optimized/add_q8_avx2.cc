// uint8/int8 ADD with AVX2: 8 values per step in int32 lanes.
#include <cstdint>
#include <type_traits>

#include "kernels/optimized/add_q8.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace detlite::kernels::optimized {
namespace {

template <typename T>
__m256i Widen(const T* p) {
  const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  return std::is_same_v<T, int8_t> ? _mm256_cvtepi8_epi32(v) : _mm256_cvtepu8_epi32(v);
}

template <typename T>
void AddAvx2(const reference::XnnpackAddParams& p, const T* a, const T* b,
             int64_t n, T* out) {
  const __m256i am = _mm256_set1_epi32(p.a_multiplier);
  const __m256i bm = _mm256_set1_epi32(p.b_multiplier);
  const __m256i bias = _mm256_set1_epi32(p.bias);
  const __m128i shift = _mm_cvtsi32_si128(p.shift);
  const __m256i zp = _mm256_set1_epi32(p.output_zero_point);
  const __m256i lo = _mm256_set1_epi32(p.activation_min);
  const __m256i hi = _mm256_set1_epi32(p.activation_max);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i acc = _mm256_add_epi32(bias, _mm256_mullo_epi32(Widen(a + i), am));
    acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(Widen(b + i), bm));
    __m256i v = _mm256_add_epi32(_mm256_sra_epi32(acc, shift), zp);
    v = _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v),
                                      _mm256_extracti128_si256(v, 1));
    const __m128i q = std::is_same_v<T, int8_t> ? _mm_packs_epi16(w, w)
                                                : _mm_packus_epi16(w, w);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i), q);
  }
  AddQ8Tail<T>(p, a + i, b + i, n - i, out + i);
}

}  // namespace

AddQ8Fn<int8_t> AddS8Avx2() { return &AddAvx2<int8_t>; }
AddQ8Fn<uint8_t> AddU8Avx2() { return &AddAvx2<uint8_t>; }

}  // namespace detlite::kernels::optimized

#pragma GCC pop_options
#endif
