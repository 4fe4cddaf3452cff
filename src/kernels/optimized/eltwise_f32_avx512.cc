// The AVX-512 elementwise rows: eltwise_f32_impl.inc over 16 floats.
#include <algorithm>
#include <cstdint>

#include "kernels/optimized/eltwise_f32.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq")
// GCC 12's avx512fintrin.h min/max read an "undefined" vector it warns about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace avx512_elt {

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
  // Bound first: a NaN input passes through, as in the portable path.
  static Reg Min(Reg a, Reg b) { return _mm512_min_ps(b, a); }
  static Reg Max(Reg a, Reg b) { return _mm512_max_ps(b, a); }
  static Reg Prelu(Reg x, Reg a) {
    const __mmask16 neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    return _mm512_mask_mul_ps(x, neg, x, a);
  }
};

#include "kernels/optimized/eltwise_f32_impl.inc"
#include "kernels/optimized/maxpool_f32_impl.inc"

}  // namespace avx512_elt

EltwiseF32Fn EltwiseF32Avx512() { return &avx512_elt::EltwiseRows; }
MaxPoolF32Fn MaxPoolF32Avx512() { return &avx512_elt::MaxPoolRows; }

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
