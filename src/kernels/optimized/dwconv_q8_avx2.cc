// The AVX2 8-bit depthwise row kernel: the AVX-512 one (dwconv_q8_avx512.cc)
// on 8 channels a ymm, with the last channels loaded and stored through a
// small buffer instead of masks.
#include <cstdint>
#include <cstring>

#include "kernels/optimized/dwconv_q8.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace detlite::kernels::optimized {
namespace {

template <bool kSigned>
inline __m256i Widen(const uint8_t* p, int nc) {
  int64_t bytes = 0;
  if (nc == 8) {
    std::memcpy(&bytes, p, 8);
  } else {
    std::memcpy(&bytes, p, static_cast<size_t>(nc));
  }
  const __m128i v = _mm_cvtsi64_si128(bytes);
  return kSigned ? _mm256_cvtepi8_epi32(v) : _mm256_cvtepu8_epi32(v);
}

// The low byte of each int32 lane, in order, as 8 bytes.
inline int64_t LowBytes(__m256i v) {
  const __m256i pick = _mm256_setr_epi8(
      0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,  //
      0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i packed = _mm256_permutevar8x32_epi32(
      _mm256_shuffle_epi8(v, pick), _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1));
  return _mm_cvtsi128_si64(_mm256_castsi256_si128(packed));
}

template <bool kSigned, int kP>
inline void Pixels(int taps, int cp, int c, int nc, const uint8_t* const* a,
                   const int32_t* packed, const QGemmOutput& out, int64_t p) {
  __m256i acc[kP];
  const __m256i bias =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(packed + c));
#pragma GCC unroll 4
  for (int i = 0; i < kP; ++i) acc[i] = bias;
  const int32_t* w = packed + cp + c;
  for (int t = 0; t < taps; ++t, w += cp) {
    const __m256i wt = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
#pragma GCC unroll 4
    for (int i = 0; i < kP; ++i) {
      const __m256i x = Widen<kSigned>(a[i * taps + t] + c, nc);
      acc[i] = _mm256_add_epi32(acc[i], _mm256_madd_epi16(x, wt));
    }
  }
  if (out.scale == nullptr) {
#pragma GCC unroll 4
    for (int i = 0; i < kP; ++i) {
      _mm256_storeu_si256(
          reinterpret_cast<__m256i*>(out.acc + (p + i) * out.ldc + c), acc[i]);
    }
    return;
  }
  const __m256 scale = _mm256_loadu_ps(out.scale + c);
  const __m256 lo = _mm256_set1_ps(out.lo), hi = _mm256_set1_ps(out.hi);
  const __m256i zp = _mm256_set1_epi32(out.zero_point);
#pragma GCC unroll 4
  for (int i = 0; i < kP; ++i) {
    __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[i]), scale);
    f = _mm256_min_ps(_mm256_max_ps(f, lo), hi);
    const int64_t bytes = LowBytes(_mm256_add_epi32(_mm256_cvtps_epi32(f), zp));
    std::memcpy(out.out + (p + i) * out.ldc + c, &bytes,
                static_cast<size_t>(nc));
  }
}

template <bool kSigned>
void Row(int n, int taps, int channels, int cp, const uint8_t* const* a,
         const int32_t* packed, const QGemmOutput& out) {
  for (int c = 0; c < channels; c += 8) {
    const int nc = channels - c < 8 ? channels - c : 8;
    int p = 0;
    for (; p + 4 <= n; p += 4) {
      Pixels<kSigned, 4>(taps, cp, c, nc, a + int64_t{p} * taps, packed, out, p);
    }
    for (; p < n; ++p) {
      Pixels<kSigned, 1>(taps, cp, c, nc, a + int64_t{p} * taps, packed, out, p);
    }
  }
}

void RowAny(int n, int taps, int channels, int cp, const uint8_t* const* a,
            const int32_t* packed, bool is_signed, const QGemmOutput& out) {
  if (is_signed) return Row<true>(n, taps, channels, cp, a, packed, out);
  Row<false>(n, taps, channels, cp, a, packed, out);
}

}  // namespace

DwQ8RowFn DwQ8RowAvx2() { return &RowAny; }

}  // namespace detlite::kernels::optimized

#pragma GCC pop_options
#endif
