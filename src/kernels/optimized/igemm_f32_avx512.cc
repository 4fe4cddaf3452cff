// The AVX-512 igemm microkernel: 8 rows x 32 channels (16 accumulators in
// zmm registers), or 8 x 16 for a last panel of at most 16 channels.
#include <cstdint>

#include "kernels/optimized/igemm_f32.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq")
// GCC 12's avx512fintrin.h min/max read an "undefined" vector it warns about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace {

constexpr int kMr = 8;
constexpr int kNr = 32;

inline __mmask16 TailMask(int n) {  // lanes [0, n) set, n in [1, 16]
  return static_cast<__mmask16>((1u << n) - 1);
}

template <int kNv>
void Tile(int mr, int nc, int taps, int in_c, const float* const* a,
          const float* w, float lo, float hi, float* c, int64_t ldc) {
  __m512 acc[kMr][kNv];
#pragma GCC unroll 8
  for (int v = 0; v < kNv; ++v) {
    const __m512 b = _mm512_loadu_ps(w + 16 * v);
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) acc[r][v] = b;
  }
  w += kNr;
  for (int t = 0; t < taps; ++t) {
    const float* a0 = a[t * kMr + 0];
    const float* a1 = a[t * kMr + 1];
    const float* a2 = a[t * kMr + 2];
    const float* a3 = a[t * kMr + 3];
    const float* a4 = a[t * kMr + 4];
    const float* a5 = a[t * kMr + 5];
    const float* a6 = a[t * kMr + 6];
    const float* a7 = a[t * kMr + 7];
    for (int i = 0; i < in_c; ++i, w += kNr) {
      __m512 b[kNv];
#pragma GCC unroll 8
      for (int v = 0; v < kNv; ++v) b[v] = _mm512_loadu_ps(w + 16 * v);
      const float* rows[kMr] = {a0, a1, a2, a3, a4, a5, a6, a7};
#pragma GCC unroll 8
      for (int r = 0; r < kMr; ++r) {
        const __m512 x = _mm512_set1_ps(rows[r][i]);
#pragma GCC unroll 8
        for (int v = 0; v < kNv; ++v) acc[r][v] = _mm512_fmadd_ps(x, b[v], acc[r][v]);
      }
    }
  }
  const __m512 vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
  const int full = nc / 16;
  const int tail = nc % 16;
  const __mmask16 mask = TailMask(tail == 0 ? 16 : tail);
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) {
    if (r >= mr) break;
    float* out = c + r * ldc;
#pragma GCC unroll 8
    for (int v = 0; v < kNv; ++v) {
      const __m512 y = _mm512_min_ps(_mm512_max_ps(acc[r][v], vlo), vhi);
      if (v < full) {
        _mm512_storeu_ps(out + 16 * v, y);
      } else if (v == full && tail != 0) {
        _mm512_mask_storeu_ps(out + 16 * v, mask, y);
      }
    }
  }
}

void Kernel(int mr, int nc, int taps, int in_c, const float* const* a,
            const float* w, float lo, float hi, float* c, int64_t ldc) {
  if (nc <= 16) return Tile<1>(mr, nc, taps, in_c, a, w, lo, hi, c, ldc);
  Tile<2>(mr, nc, taps, in_c, a, w, lo, hi, c, ldc);
}

}  // namespace

IgemmF32Kernel IgemmF32Avx512() {
  return IgemmF32Kernel{Isa::kAvx512, kMr, kNr, &Kernel};
}

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
