// The AVX-512 8-bit depthwise row kernel: 16 channels a zmm, 4 pixels at a
// time sharing each weight load, vpmaddwd + vpaddd per tap (dwconv_q8.h),
// masked loads and stores for the last channels, fused Fp32Requant.
#include <cstdint>

#include "kernels/optimized/dwconv_q8.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq")
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace {

template <bool kSigned>
inline __m512i Widen(const uint8_t* p, __mmask16 m) {
  const __m128i v = _mm_maskz_loadu_epi8(m, p);
  return kSigned ? _mm512_cvtepi8_epi32(v) : _mm512_cvtepu8_epi32(v);
}

template <int kP>
inline void Store(const __m512i (&acc)[kP], int c, __mmask16 m,
                  const QGemmOutput& out) {
  if (out.scale == nullptr) {
#pragma GCC unroll 4
    for (int i = 0; i < kP; ++i) {
      _mm512_storeu_si512(out.acc + i * out.ldc + c, acc[i]);
    }
    return;
  }
  const __m512 scale = _mm512_loadu_ps(out.scale + c);
  const __m512 lo = _mm512_set1_ps(out.lo), hi = _mm512_set1_ps(out.hi);
  const __m512i zp = _mm512_set1_epi32(out.zero_point);
#pragma GCC unroll 4
  for (int i = 0; i < kP; ++i) {
    // Fp32Requant, as in qgemm_avx512vnni.cc.
    __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(acc[i]), scale);
    f = _mm512_min_ps(_mm512_max_ps(f, lo), hi);
    const __m128i bytes =
        _mm512_cvtepi32_epi8(_mm512_add_epi32(_mm512_cvtps_epi32(f), zp));
    _mm_mask_storeu_epi8(out.out + i * out.ldc + c, m, bytes);
  }
}

// kP pixels starting at a (kP * taps pointers), channels [c, c + 16) & m.
template <bool kSigned, int kP>
inline void Pixels(int taps, int cp, int c, __mmask16 m,
                   const uint8_t* const* a, const int32_t* packed,
                   const QGemmOutput& out) {
  __m512i acc[kP];
  const __m512i bias = _mm512_loadu_si512(packed + c);
#pragma GCC unroll 4
  for (int i = 0; i < kP; ++i) acc[i] = bias;
  const int32_t* w = packed + cp + c;
  for (int t = 0; t < taps; ++t, w += cp) {
    const __m512i wt = _mm512_loadu_si512(w);
#pragma GCC unroll 4
    for (int i = 0; i < kP; ++i) {
      const __m512i x = Widen<kSigned>(a[i * taps + t] + c, m);
      acc[i] = _mm512_add_epi32(acc[i], _mm512_madd_epi16(x, wt));
    }
  }
  Store<kP>(acc, c, m, out);
}

template <bool kSigned>
void Row(int n, int taps, int channels, int cp, const uint8_t* const* a,
         const int32_t* packed, const QGemmOutput& out) {
  for (int c = 0; c < channels; c += 16) {
    const int nc = channels - c < 16 ? channels - c : 16;
    const __mmask16 m = static_cast<__mmask16>((1u << nc) - 1);
    int p = 0;
    for (; p + 4 <= n; p += 4) {
      QGemmOutput o = out;
      o.out = out.out != nullptr ? out.out + p * out.ldc : nullptr;
      o.acc = out.acc != nullptr ? out.acc + p * out.ldc : nullptr;
      Pixels<kSigned, 4>(taps, cp, c, m, a + int64_t{p} * taps, packed, o);
    }
    for (; p < n; ++p) {
      QGemmOutput o = out;
      o.out = out.out != nullptr ? out.out + p * out.ldc : nullptr;
      o.acc = out.acc != nullptr ? out.acc + p * out.ldc : nullptr;
      Pixels<kSigned, 1>(taps, cp, c, m, a + int64_t{p} * taps, packed, o);
    }
  }
}

void RowAny(int n, int taps, int channels, int cp, const uint8_t* const* a,
            const int32_t* packed, bool is_signed, const QGemmOutput& out) {
  if (is_signed) return Row<true>(n, taps, channels, cp, a, packed, out);
  Row<false>(n, taps, channels, cp, a, packed, out);
}

}  // namespace

DwQ8RowFn DwQ8RowAvx512() { return &RowAny; }

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
