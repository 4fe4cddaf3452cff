// The AVX-512 depthwise row kernel: dwconv_f32_impl.inc over 16 floats.
#include <algorithm>
#include <cstdint>

#include "kernels/optimized/dwconv_f32.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f,avx512bw,avx512vl,avx512dq")
// GCC 12's avx512fintrin.h min/max read an "undefined" vector it warns about.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace detlite::kernels::optimized {
namespace avx512_dw {

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
  static Reg Fma(Reg a, Reg b, Reg acc) { return _mm512_fmadd_ps(a, b, acc); }
  static Reg Min(Reg a, Reg b) { return _mm512_min_ps(a, b); }
  static Reg Max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
};

#include "kernels/optimized/dwconv_f32_impl.inc"

}  // namespace avx512_dw

DwRowFn DwRowF32Avx512() { return &avx512_dw::DwRow; }

}  // namespace detlite::kernels::optimized

#pragma GCC diagnostic pop
#pragma GCC pop_options
#endif
