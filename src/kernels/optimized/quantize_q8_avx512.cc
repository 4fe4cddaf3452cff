// QUANTIZE float -> int8/uint8 with AVX-512: 16 values per step.
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/optimized/quantize_q8.h"
#include "kernels/reference/quantize.h"

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
void QuantizeAvx512(const float* in, int64_t n, float scale,
                    int32_t zero_point, T* out) {
  const __m512 inv = _mm512_set1_ps(1.0f / scale);
  const __m512 lo = _mm512_set1_ps(
      static_cast<float>(std::numeric_limits<T>::min() - zero_point));
  const __m512 hi = _mm512_set1_ps(
      static_cast<float>(std::numeric_limits<T>::max() - zero_point));
  const __m512i zp = _mm512_set1_epi32(zero_point);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 v = _mm512_mul_ps(_mm512_loadu_ps(in + i), inv);
    v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);  // NaN -> lo
    const __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(v), zp);
    // In range after the clamp: keeping the low byte is exact.
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i),
                     _mm512_cvtepi32_epi8(q));
  }
  reference::QuantizeFloatXnnpack<T>(in + i, n - i, scale, zero_point, out + i);
}

// DEQUANTIZE: widen, subtract the zero point, convert (exact), one product.
template <typename T>
void DequantizeAvx512(const T* in, int64_t n, float scale, int32_t zero_point,
                   float* out) {
  const auto vscale = _mm512_set1_ps(scale);
  const auto zp = _mm512_set1_epi32(zero_point);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    const auto x = std::is_same_v<T, int8_t> ? _mm512_cvtepi8_epi32(b) : _mm512_cvtepu8_epi32(b);
    _mm512_storeu_ps(out + i, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(x, zp)), vscale));
  }
  for (; i < n; ++i) {
    out[i] = static_cast<float>(static_cast<int32_t>(in[i]) - zero_point) * scale;
  }
}

}  // namespace

QuantizeQ8Fn<int8_t> QuantizeS8Avx512() { return &QuantizeAvx512<int8_t>; }
QuantizeQ8Fn<uint8_t> QuantizeU8Avx512() { return &QuantizeAvx512<uint8_t>; }
DequantizeQ8Fn<int8_t> DequantizeS8Avx512() { return &DequantizeAvx512<int8_t>; }
DequantizeQ8Fn<uint8_t> DequantizeU8Avx512() { return &DequantizeAvx512<uint8_t>; }

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
