// The AVX-512 sigmoid: sigmoid_f32_impl.inc over 16 floats.
#include <cstdint>

#include "kernels/optimized/sigmoid_f32.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq")
// GCC 12's avx512fintrin.h reads an "undefined" vector it warns about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace avx512_sig {

struct V {
  static constexpr int kWidth = 16;
  using Reg = __m512;
  using Mask = __mmask16;
  static Mask MaskFor(int n) { return static_cast<__mmask16>((1u << n) - 1); }
  static Reg Load(const float* p) { return _mm512_loadu_ps(p); }
  static Reg LoadMasked(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void Store(float* p, Reg v) { _mm512_storeu_ps(p, v); }
  static void StoreMasked(float* p, Mask m, Reg v) { _mm512_mask_storeu_ps(p, m, v); }
  static Reg Set1(float x) { return _mm512_set1_ps(x); }
  static Reg Add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  static Reg Mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  static Reg Div(Reg a, Reg b) { return _mm512_div_ps(a, b); }
  static Reg Fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static Reg Max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
  static Reg Abs(Reg a) { return _mm512_abs_ps(a); }
  static Reg Neg(Reg a) { return _mm512_sub_ps(_mm512_setzero_ps(), a); }
  static Reg Round(Reg a) {
    return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  // 2^k for integral k in [-126, 127].
  static Reg Pow2(Reg k) {
    const __m512i e = _mm512_add_epi32(_mm512_cvtps_epi32(k), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
  }
  static Reg ZeroBelow(Reg v, Reg a, Reg bound) {
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(a, bound, _CMP_GE_OQ), v);
  }
  static Reg SelectNonNegative(Reg x, Reg if_nonneg, Reg if_neg) {
    const __mmask16 neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    return _mm512_mask_mov_ps(if_nonneg, neg, if_neg);
  }
  static Reg KeepNaN(Reg x, Reg y) {
    return _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x);
  }
};

#include "kernels/optimized/sigmoid_f32_impl.inc"

}  // namespace avx512_sig

SigmoidF32Fn SigmoidF32Avx512() { return &avx512_sig::SigmoidRun; }

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
