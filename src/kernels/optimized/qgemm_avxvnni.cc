// The AVX-VNNI 8-bit igemm microkernel (VEX vpdpbusd on ymm, for AVX2 CPUs
// that have it): 4 rows x 16 channels, 8 ymm accumulators, the packing and
// fused requantization of the AVX512-VNNI kernel on half the width.
#include <cstdint>
#include <cstring>

#include "kernels/optimized/qgemm.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avxvnni")

namespace detlite::kernels::optimized {
namespace {

constexpr int kMr = 4;
constexpr int kNr = 16;
constexpr int kNv = kNr / 8;

inline int32_t Load4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline int32_t LoadTail(const uint8_t* p, int n) {
  uint32_t v = p[0];
  if (n > 1) v |= uint32_t{p[1]} << 8;
  if (n > 2) v |= uint32_t{p[2]} << 16;
  return static_cast<int32_t>(v);
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

void Kernel(int mr, int nc, int taps, int in_c, const uint8_t* const* a,
            const int32_t* bias, const int8_t* w, const int32_t* row_add,
            uint32_t input_xor, const QGemmOutput& out) {
  __m256i acc[kMr][kNv];
#pragma GCC unroll 4
  for (int v = 0; v < kNv; ++v) {
    const __m256i b =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias + 8 * v));
#pragma GCC unroll 4
    for (int r = 0; r < kMr; ++r) acc[r][v] = b;
  }
  const __m256i flip = _mm256_set1_epi32(static_cast<int32_t>(input_xor));
  const int full = in_c / 4;
  const int tail = in_c % 4;
  for (int t = 0; t < taps; ++t) {
    const uint8_t* const* rows = a + t * kMr;
    const int groups = full + (tail != 0 ? 1 : 0);
    for (int q = 0; q < groups; ++q, w += kNr * 4) {
      __m256i b[kNv];
#pragma GCC unroll 4
      for (int v = 0; v < kNv; ++v) {
        b[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32 * v));
      }
#pragma GCC unroll 4
      for (int r = 0; r < kMr; ++r) {
        const int32_t bytes = q < full ? Load4(rows[r] + 4 * q)
                                       : LoadTail(rows[r] + 4 * q, tail);
        const __m256i x = _mm256_xor_si256(_mm256_set1_epi32(bytes), flip);
#pragma GCC unroll 4
        for (int v = 0; v < kNv; ++v) {
          acc[r][v] = _mm256_dpbusd_avx_epi32(acc[r][v], x, b[v]);
        }
      }
    }
  }
  const __m256 lo = _mm256_set1_ps(out.lo), hi = _mm256_set1_ps(out.hi);
  const __m256i zp = _mm256_set1_epi32(out.zero_point);
#pragma GCC unroll 4
  for (int r = 0; r < kMr; ++r) {
    if (r >= mr) break;
    const __m256i add = _mm256_set1_epi32(row_add != nullptr ? row_add[r] : 0);
#pragma GCC unroll 4
    for (int v = 0; v < kNv; ++v) {
      const __m256i sum = _mm256_add_epi32(acc[r][v], add);
      if (out.scale == nullptr) {
        _mm256_storeu_si256(
            reinterpret_cast<__m256i*>(out.acc + r * out.ldc + 8 * v), sum);
        continue;
      }
      if (8 * v >= nc) break;
      // Fp32Requant as in the AVX512-VNNI kernel.
      __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(sum),
                               _mm256_loadu_ps(out.scale + 8 * v));
      f = _mm256_min_ps(_mm256_max_ps(f, lo), hi);
      const int64_t bytes =
          LowBytes(_mm256_add_epi32(_mm256_cvtps_epi32(f), zp));
      uint8_t* dst = out.out + r * out.ldc + 8 * v;
      const int n = nc - 8 * v;
      std::memcpy(dst, &bytes, n >= 8 ? 8 : static_cast<size_t>(n));
    }
  }
}

}  // namespace

QGemmKernel QGemmAvxVnni() {
  return QGemmKernel{Isa::kAvx2Vnni, kMr, kNr, &Kernel};
}

}  // namespace detlite::kernels::optimized

#pragma GCC pop_options
#endif
