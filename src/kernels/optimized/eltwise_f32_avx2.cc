// The AVX2 elementwise rows: eltwise_f32_impl.inc over 8 floats.
#include <algorithm>
#include <cstdint>

#include "kernels/optimized/eltwise_f32.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace detlite::kernels::optimized {
namespace avx2_elt {

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
  // Operand order as std::min/max(a, b) with b the bound: a NaN input
  // passes through, as in the portable path.
  static Reg Min(Reg a, Reg b) { return _mm256_min_ps(b, a); }
  static Reg Max(Reg a, Reg b) { return _mm256_max_ps(b, a); }
  static Reg Prelu(Reg x, Reg a) {
    const Reg neg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    return _mm256_blendv_ps(x, _mm256_mul_ps(x, a), neg);
  }
};

#include "kernels/optimized/eltwise_f32_impl.inc"
#include "kernels/optimized/maxpool_f32_impl.inc"

}  // namespace avx2_elt

EltwiseF32Fn EltwiseF32Avx2() { return &avx2_elt::EltwiseRows; }
MaxPoolF32Fn MaxPoolF32Avx2() { return &avx2_elt::MaxPoolRows; }

}  // namespace detlite::kernels::optimized

#pragma GCC pop_options
#endif
