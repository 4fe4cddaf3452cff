// The AVX2 + FMA igemm microkernel: 6 rows x 16 channels (12 accumulators in
// ymm registers), or 6 x 8 for a last panel of at most 8 channels.
#include <cstdint>

#include "kernels/optimized/igemm_f32.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace detlite::kernels::optimized {
namespace {

constexpr int kMr = 6;
constexpr int kNr = 16;

inline __m256i TailMask(int n) {  // lanes [0, n) set, n in [1, 8]
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx);
}

template <int kNv>
void Tile(int mr, int nc, int taps, int in_c, const float* const* a,
          const float* w, float lo, float hi, float* c, int64_t ldc) {
  __m256 acc[kMr][kNv];
#pragma GCC unroll 8
  for (int v = 0; v < kNv; ++v) {
    const __m256 b = _mm256_loadu_ps(w + 8 * v);
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
    for (int i = 0; i < in_c; ++i, w += kNr) {
      __m256 b[kNv];
#pragma GCC unroll 8
      for (int v = 0; v < kNv; ++v) b[v] = _mm256_loadu_ps(w + 8 * v);
      const float* rows[kMr] = {a0, a1, a2, a3, a4, a5};
#pragma GCC unroll 8
      for (int r = 0; r < kMr; ++r) {
        const __m256 x = _mm256_broadcast_ss(rows[r] + i);
#pragma GCC unroll 8
        for (int v = 0; v < kNv; ++v) acc[r][v] = _mm256_fmadd_ps(x, b[v], acc[r][v]);
      }
    }
  }
  const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
  const int full = nc / 8;
  const int tail = nc % 8;
  const __m256i mask = TailMask(tail == 0 ? 8 : tail);
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) {
    if (r >= mr) break;
    float* out = c + r * ldc;
#pragma GCC unroll 8
    for (int v = 0; v < kNv; ++v) {
      const __m256 y = _mm256_min_ps(_mm256_max_ps(acc[r][v], vlo), vhi);
      if (v < full) {
        _mm256_storeu_ps(out + 8 * v, y);
      } else if (v == full && tail != 0) {
        _mm256_maskstore_ps(out + 8 * v, mask, y);
      }
    }
  }
}

void Kernel(int mr, int nc, int taps, int in_c, const float* const* a,
            const float* w, float lo, float hi, float* c, int64_t ldc) {
  if (nc <= 8) return Tile<1>(mr, nc, taps, in_c, a, w, lo, hi, c, ldc);
  Tile<2>(mr, nc, taps, in_c, a, w, lo, hi, c, ldc);
}

}  // namespace

IgemmF32Kernel IgemmF32Avx2() {
  return IgemmF32Kernel{Isa::kAvx2, kMr, kNr, &Kernel};
}

}  // namespace detlite::kernels::optimized

#pragma GCC pop_options
#endif
