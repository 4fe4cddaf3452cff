// The AVX2 sigmoid: sigmoid_f32_impl.inc over 8 floats.
#include <cstdint>

#include "kernels/optimized/sigmoid_f32.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace detlite::kernels::optimized {
namespace avx2_sig {

struct V {
  static constexpr int kWidth = 8;
  using Reg = __m256;
  using Mask = __m256i;
  static Mask MaskFor(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static Reg Load(const float* p) { return _mm256_loadu_ps(p); }
  static Reg LoadMasked(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
  static void Store(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static void StoreMasked(float* p, Mask m, Reg v) { _mm256_maskstore_ps(p, m, v); }
  static Reg Set1(float x) { return _mm256_set1_ps(x); }
  static Reg Add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
  static Reg Mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
  static Reg Div(Reg a, Reg b) { return _mm256_div_ps(a, b); }
  static Reg Fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Reg Max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
  static Reg Abs(Reg a) {
    return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a);
  }
  static Reg Neg(Reg a) { return _mm256_sub_ps(_mm256_setzero_ps(), a); }
  static Reg Round(Reg a) {
    return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  // 2^k for integral k in [-126, 127].
  static Reg Pow2(Reg k) {
    const __m256i e = _mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
  }
  static Reg ZeroBelow(Reg v, Reg a, Reg bound) {
    return _mm256_and_ps(v, _mm256_cmp_ps(a, bound, _CMP_GE_OQ));
  }
  static Reg SelectNonNegative(Reg x, Reg if_nonneg, Reg if_neg) {
    return _mm256_blendv_ps(if_nonneg, if_neg,
                            _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ));
  }
  static Reg KeepNaN(Reg x, Reg y) {
    return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
  }
};

#include "kernels/optimized/sigmoid_f32_impl.inc"

}  // namespace avx2_sig

SigmoidF32Fn SigmoidF32Avx2() { return &avx2_sig::SigmoidRun; }

}  // namespace detlite::kernels::optimized

#pragma GCC pop_options
#endif
