// The AVX512-VNNI 8-bit igemm microkernel: 8 rows x 32 channels, 16 zmm
// accumulators fed by vpdpbusd (4 input bytes broadcast to every lane times
// 4 weight bytes of each of 16 channels), or 8 x 16 for a last panel of at
// most 16 channels. Requantization (Fp32Requant) happens in registers
// before the one store of each output byte.
#include <cstdint>
#include <cstring>

#include "kernels/optimized/qgemm.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
// GCC 12's avx512fintrin.h min/max read an "undefined" vector it warns about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace {

constexpr int kMr = 8;
constexpr int kNr = 32;

inline int32_t Load4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The last 1-3 bytes of a row, without reading past it.
inline int32_t LoadTail(const uint8_t* p, int n) {
  uint32_t v = p[0];
  if (n > 1) v |= uint32_t{p[1]} << 8;
  if (n > 2) v |= uint32_t{p[2]} << 16;
  return static_cast<int32_t>(v);
}

template <int kNv, bool kFlip>
void Tile(int mr, int nc, int taps, int in_c, const uint8_t* const* a,
          const int32_t* bias, const int8_t* w, const int32_t* row_add,
          uint32_t input_xor, const QGemmOutput& out) {
  __m512i acc[kMr][kNv];
#pragma GCC unroll 8
  for (int v = 0; v < kNv; ++v) {
    const __m512i b = _mm512_loadu_si512(bias + 16 * v);
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) acc[r][v] = b;
  }
  const __m512i flip = _mm512_set1_epi32(static_cast<int32_t>(input_xor));
  const int full = in_c / 4;
  const int tail = in_c % 4;
  for (int t = 0; t < taps; ++t) {
    const uint8_t* rows[kMr];
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) rows[r] = a[t * kMr + r];
    for (int q = 0; q < full; ++q, w += kNr * 4) {
      __m512i b[kNv];
#pragma GCC unroll 8
      for (int v = 0; v < kNv; ++v) b[v] = _mm512_loadu_si512(w + 64 * v);
#pragma GCC unroll 8
      for (int r = 0; r < kMr; ++r) {
        __m512i x = _mm512_set1_epi32(Load4(rows[r] + 4 * q));
        if constexpr (kFlip) x = _mm512_xor_si512(x, flip);
#pragma GCC unroll 8
        for (int v = 0; v < kNv; ++v) {
          acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], x, b[v]);
        }
      }
    }
    if (tail != 0) {
      __m512i b[kNv];
#pragma GCC unroll 8
      for (int v = 0; v < kNv; ++v) b[v] = _mm512_loadu_si512(w + 64 * v);
#pragma GCC unroll 8
      for (int r = 0; r < kMr; ++r) {
        __m512i x = _mm512_set1_epi32(LoadTail(rows[r] + 4 * full, tail));
        if constexpr (kFlip) x = _mm512_xor_si512(x, flip);
#pragma GCC unroll 8
        for (int v = 0; v < kNv; ++v) {
          acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], x, b[v]);
        }
      }
      w += kNr * 4;
    }
  }
  const int whole = nc / 16;
  const int rest = nc % 16;
  const __mmask16 rest_mask = static_cast<__mmask16>((1u << rest) - 1);
  if (out.scale == nullptr) {
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) {
      if (r >= mr) break;
      const __m512i add =
          _mm512_set1_epi32(row_add != nullptr ? row_add[r] : 0);
#pragma GCC unroll 8
      for (int v = 0; v < kNv; ++v) {
        _mm512_storeu_si512(out.acc + r * out.ldc + 16 * v,
                            _mm512_add_epi32(acc[r][v], add));
      }
    }
    return;
  }
  const __m512 lo = _mm512_set1_ps(out.lo), hi = _mm512_set1_ps(out.hi);
  const __m512i zp = _mm512_set1_epi32(out.zero_point);
  __m512 scale[kNv];
#pragma GCC unroll 8
  for (int v = 0; v < kNv; ++v) scale[v] = _mm512_loadu_ps(out.scale + 16 * v);
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) {
    if (r >= mr) break;
    const __m512i add = _mm512_set1_epi32(row_add != nullptr ? row_add[r] : 0);
    uint8_t* dst = out.out + r * out.ldc;
#pragma GCC unroll 8
    for (int v = 0; v < kNv; ++v) {
      // Fp32Requant: float product, clamp, round half to even (the default
      // MXCSR mode), zero point; the clamp keeps each value in byte range,
      // so vpmovdb's truncation writes its int8 or uint8 pattern.
      __m512 f = _mm512_cvtepi32_ps(_mm512_add_epi32(acc[r][v], add));
      f = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(f, scale[v]), lo), hi);
      const __m128i bytes = _mm512_cvtepi32_epi8(
          _mm512_add_epi32(_mm512_cvtps_epi32(f), zp));
      if (v < whole) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + 16 * v), bytes);
      } else if (v == whole && rest != 0) {
        _mm_mask_storeu_epi8(dst + 16 * v, rest_mask, bytes);
      }
    }
  }
}

void Kernel(int mr, int nc, int taps, int in_c, const uint8_t* const* a,
            const int32_t* bias, const int8_t* w, const int32_t* row_add,
            uint32_t input_xor, const QGemmOutput& out) {
  // uint8 inputs (input_xor 0) skip the sign flip.
  if (input_xor != 0) {
    if (nc <= 16) {
      return Tile<1, true>(mr, nc, taps, in_c, a, bias, w, row_add, input_xor,
                           out);
    }
    return Tile<2, true>(mr, nc, taps, in_c, a, bias, w, row_add, input_xor,
                         out);
  }
  if (nc <= 16) {
    return Tile<1, false>(mr, nc, taps, in_c, a, bias, w, row_add, input_xor,
                          out);
  }
  Tile<2, false>(mr, nc, taps, in_c, a, bias, w, row_add, input_xor, out);
}

// Sum of n bytes (vpsadbw against zero, 64 at a time).
uint32_t RowSum(const uint8_t* p, int n) {
  __m512i sum = _mm512_setzero_si512();
  const __m512i zero = _mm512_setzero_si512();
  int i = 0;
  for (; i + 64 <= n; i += 64) {
    sum = _mm512_add_epi64(sum, _mm512_sad_epu8(_mm512_loadu_si512(p + i), zero));
  }
  if (i < n) {
    const __mmask64 m = (~uint64_t{0}) >> (64 - (n - i));
    sum = _mm512_add_epi64(sum,
                           _mm512_sad_epu8(_mm512_maskz_loadu_epi8(m, p + i), zero));
  }
  return static_cast<uint32_t>(_mm512_reduce_add_epi64(sum));
}

}  // namespace

QGemmKernel QGemmAvx512Vnni() {
  return QGemmKernel{Isa::kAvx512Vnni, kMr, kNr, &Kernel, &RowSum};
}

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
