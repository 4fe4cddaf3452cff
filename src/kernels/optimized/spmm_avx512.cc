// The AVX-512 sparse block kernels: spmm_impl.inc over 16 lanes, blocks of
// 64 pixels (4 vectors); int8 products through vpmaddwd.
#include <algorithm>
#include <cstdint>

#include "kernels/optimized/spmm.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq")
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace avx512_sp {

struct V {
  static constexpr int kWidth = 16;
  static constexpr int kMaxVectors = 4;
  static constexpr int kBlockVectors = 4;  // 4x1 blocks: 4 x 4 accumulators
  using Reg = __m512;
  using RegI = __m512i;
  static __mmask16 M(int n) {
    return n >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << n) - 1);
  }
  static Reg Zero() { return _mm512_setzero_ps(); }
  static Reg Set1(float x) { return _mm512_set1_ps(x); }
  static Reg Load(const float* p) { return _mm512_loadu_ps(p); }
  static Reg LoadMasked(const float* p, int n) { return _mm512_maskz_loadu_ps(M(n), p); }
  static void Store(float* p, Reg v) { _mm512_storeu_ps(p, v); }
  static void StoreMasked(float* p, int n, Reg v) { _mm512_mask_storeu_ps(p, M(n), v); }
  static Reg LoadI8(const int8_t* p, int n) {
    const __m128i b = _mm_maskz_loadu_epi8(M(n), p);
    return _mm512_castsi512_ps(_mm512_cvtepi8_epi32(b));
  }
  static Reg Fma(Reg a, Reg b, Reg acc) { return _mm512_fmadd_ps(a, b, acc); }
  static Reg Add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  static Reg Min(Reg a, Reg b) { return _mm512_min_ps(a, b); }
  static Reg Max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
  static RegI ZeroI() { return _mm512_setzero_si512(); }
  static RegI Set1I(int32_t x) { return _mm512_set1_epi32(x); }
  static RegI LoadI(const int32_t* p) { return _mm512_loadu_si512(p); }
  // x: sign-extended int8 lanes; w: an int16 in the low half, 0 above, so
  // the pair sum of vpmaddwd is x * w.
  static RegI MulAddI(RegI x, RegI w, RegI acc) {
    return _mm512_add_epi32(acc, _mm512_madd_epi16(x, w));
  }
  static RegI AddI(RegI a, RegI b) { return _mm512_add_epi32(a, b); }
  static Reg AsF(RegI v) { return _mm512_castsi512_ps(v); }

  // 16x16: 4x4 transposes inside each 128-bit lane, then of the lanes.
  static void Transpose(Reg r[16]) {
    Reg u[16];
    for (int g = 0; g < 4; ++g) {
      const Reg t0 = _mm512_unpacklo_ps(r[4 * g], r[4 * g + 1]);
      const Reg t1 = _mm512_unpackhi_ps(r[4 * g], r[4 * g + 1]);
      const Reg t2 = _mm512_unpacklo_ps(r[4 * g + 2], r[4 * g + 3]);
      const Reg t3 = _mm512_unpackhi_ps(r[4 * g + 2], r[4 * g + 3]);
      u[4 * g + 0] = _mm512_shuffle_ps(t0, t2, 0x44);
      u[4 * g + 1] = _mm512_shuffle_ps(t0, t2, 0xee);
      u[4 * g + 2] = _mm512_shuffle_ps(t1, t3, 0x44);
      u[4 * g + 3] = _mm512_shuffle_ps(t1, t3, 0xee);
    }
    // u[4g + k], 128-bit lane L: rows 4g..4g+3 of column 4L + k.
    for (int k = 0; k < 4; ++k) {
      const Reg v0 = _mm512_shuffle_f32x4(u[k], u[4 + k], 0x44);
      const Reg v1 = _mm512_shuffle_f32x4(u[k], u[4 + k], 0xee);
      const Reg v2 = _mm512_shuffle_f32x4(u[8 + k], u[12 + k], 0x44);
      const Reg v3 = _mm512_shuffle_f32x4(u[8 + k], u[12 + k], 0xee);
      r[k] = _mm512_shuffle_f32x4(v0, v2, 0x88);
      r[4 + k] = _mm512_shuffle_f32x4(v0, v2, 0xdd);
      r[8 + k] = _mm512_shuffle_f32x4(v1, v3, 0x88);
      r[12 + k] = _mm512_shuffle_f32x4(v1, v3, 0xdd);
    }
  }
};

#include "kernels/optimized/spmm_impl.inc"

}  // namespace avx512_sp

SpmmKernel SpmmAvx512() {
  return SpmmKernel{Isa::kAvx512, 16, 64, &avx512_sp::Block<false>,
                    &avx512_sp::Block<true>};
}

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
