// QUANTIZE float -> int8/uint8 with AVX2: 8 values per step.
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/optimized/quantize_q8.h"
#include "kernels/reference/quantize.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace detlite::kernels::optimized {
namespace {

template <typename T>
void QuantizeAvx2(const float* in, int64_t n, float scale, int32_t zero_point,
                  T* out) {
  const __m256 inv = _mm256_set1_ps(1.0f / scale);
  const __m256 lo = _mm256_set1_ps(
      static_cast<float>(std::numeric_limits<T>::min() - zero_point));
  const __m256 hi = _mm256_set1_ps(
      static_cast<float>(std::numeric_limits<T>::max() - zero_point));
  const __m256i zp = _mm256_set1_epi32(zero_point);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_mul_ps(_mm256_loadu_ps(in + i), inv);
    v = _mm256_min_ps(_mm256_max_ps(v, lo), hi);  // NaN -> lo
    const __m256i q = _mm256_add_epi32(_mm256_cvtps_epi32(v), zp);
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(q),
                                      _mm256_extracti128_si256(q, 1));
    const __m128i b = std::is_same_v<T, int8_t> ? _mm_packs_epi16(w, w)
                                                : _mm_packus_epi16(w, w);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i), b);
  }
  reference::QuantizeFloatXnnpack<T>(in + i, n - i, scale, zero_point, out + i);
}

// DEQUANTIZE: widen, subtract the zero point, convert (exact), one product.
template <typename T>
void DequantizeAvx2(const T* in, int64_t n, float scale, int32_t zero_point,
                   float* out) {
  const auto vscale = _mm256_set1_ps(scale);
  const auto zp = _mm256_set1_epi32(zero_point);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + i));
    const auto x = std::is_same_v<T, int8_t> ? _mm256_cvtepi8_epi32(b) : _mm256_cvtepu8_epi32(b);
    _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(x, zp)), vscale));
  }
  for (; i < n; ++i) {
    out[i] = static_cast<float>(static_cast<int32_t>(in[i]) - zero_point) * scale;
  }
}

}  // namespace

QuantizeQ8Fn<int8_t> QuantizeS8Avx2() { return &QuantizeAvx2<int8_t>; }
QuantizeQ8Fn<uint8_t> QuantizeU8Avx2() { return &QuantizeAvx2<uint8_t>; }
DequantizeQ8Fn<int8_t> DequantizeS8Avx2() { return &DequantizeAvx2<int8_t>; }
DequantizeQ8Fn<uint8_t> DequantizeU8Avx2() { return &DequantizeAvx2<uint8_t>; }

}  // namespace detlite::kernels::optimized

#pragma GCC pop_options
#endif
