// The AVX2 + FMA sparse block kernels: spmm_impl.inc over 8 lanes, blocks of
// 32 pixels (4 vectors); int8 products through vpmaddwd.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "kernels/optimized/spmm.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace detlite::kernels::optimized {
namespace avx2_sp {

struct V {
  static constexpr int kWidth = 8;
  static constexpr int kMaxVectors = 4;
  static constexpr int kBlockVectors = 2;  // 4x1 blocks: 4 x 2 accumulators
  using Reg = __m256;
  using RegI = __m256i;
  static __m256i M(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static Reg Zero() { return _mm256_setzero_ps(); }
  static Reg Set1(float x) { return _mm256_set1_ps(x); }
  static Reg Load(const float* p) { return _mm256_loadu_ps(p); }
  static Reg LoadMasked(const float* p, int n) {
    return n >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, M(n));
  }
  static void Store(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static void StoreMasked(float* p, int n, Reg v) {
    if (n >= 8) {
      _mm256_storeu_ps(p, v);
    } else {
      _mm256_maskstore_ps(p, M(n), v);
    }
  }
  static Reg LoadI8(const int8_t* p, int n) {
    int64_t bytes = 0;
    std::memcpy(&bytes, p, static_cast<size_t>(std::min(n, 8)));
    return _mm256_castsi256_ps(
        _mm256_cvtepi8_epi32(_mm_cvtsi64_si128(bytes)));
  }
  static Reg Fma(Reg a, Reg b, Reg acc) { return _mm256_fmadd_ps(a, b, acc); }
  static Reg Add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
  static Reg Min(Reg a, Reg b) { return _mm256_min_ps(a, b); }
  static Reg Max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
  static RegI ZeroI() { return _mm256_setzero_si256(); }
  static RegI Set1I(int32_t x) { return _mm256_set1_epi32(x); }
  static RegI LoadI(const int32_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  // x: sign-extended int8 lanes; w: an int16 in the low half, 0 above.
  static RegI MulAddI(RegI x, RegI w, RegI acc) {
    return _mm256_add_epi32(acc, _mm256_madd_epi16(x, w));
  }
  static RegI AddI(RegI a, RegI b) { return _mm256_add_epi32(a, b); }
  static Reg AsF(RegI v) { return _mm256_castsi256_ps(v); }

  // 8x8: 4x4 transposes inside each 128-bit lane, then of the two halves.
  static void Transpose(Reg r[8]) {
    Reg u[8];
    for (int g = 0; g < 2; ++g) {
      const Reg t0 = _mm256_unpacklo_ps(r[4 * g], r[4 * g + 1]);
      const Reg t1 = _mm256_unpackhi_ps(r[4 * g], r[4 * g + 1]);
      const Reg t2 = _mm256_unpacklo_ps(r[4 * g + 2], r[4 * g + 3]);
      const Reg t3 = _mm256_unpackhi_ps(r[4 * g + 2], r[4 * g + 3]);
      u[4 * g + 0] = _mm256_shuffle_ps(t0, t2, 0x44);
      u[4 * g + 1] = _mm256_shuffle_ps(t0, t2, 0xee);
      u[4 * g + 2] = _mm256_shuffle_ps(t1, t3, 0x44);
      u[4 * g + 3] = _mm256_shuffle_ps(t1, t3, 0xee);
    }
    for (int k = 0; k < 4; ++k) {
      r[k] = _mm256_permute2f128_ps(u[k], u[4 + k], 0x20);
      r[4 + k] = _mm256_permute2f128_ps(u[k], u[4 + k], 0x31);
    }
  }
};

#include "kernels/optimized/spmm_impl.inc"

}  // namespace avx2_sp

SpmmKernel SpmmAvx2() {
  return SpmmKernel{Isa::kAvx2, 8, 32, &avx2_sp::Block<false>,
                    &avx2_sp::Block<true>};
}

}  // namespace detlite::kernels::optimized

#pragma GCC pop_options
#endif
