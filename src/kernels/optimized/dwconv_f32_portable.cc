// The portable depthwise row kernel (Isa::kReference): dwconv_f32_impl.inc
// over single floats.
#include <algorithm>
#include <cstdint>

#include "kernels/optimized/dwconv_f32.h"

namespace detlite::kernels::optimized {
namespace portable_dw {

struct V {
  static constexpr int kWidth = 1;
  using Reg = float;
  using Mask = int;
  static Mask MaskFor(int n) { return n; }
  static Reg Load(const float* p) { return *p; }
  static Reg LoadMasked(const float* p, Mask) { return *p; }
  static void Store(float* p, Reg v) { *p = v; }
  static void StoreMasked(float* p, Mask, Reg v) { *p = v; }
  static Reg Set1(float x) { return x; }
  static Reg Fma(Reg a, Reg b, Reg acc) { return acc + a * b; }
  static Reg Min(Reg a, Reg b) { return std::min(a, b); }
  static Reg Max(Reg a, Reg b) { return std::max(a, b); }
};

#include "kernels/optimized/dwconv_f32_impl.inc"

}  // namespace portable_dw

DwRowFn DwRowF32Portable() { return &portable_dw::DwRow; }

}  // namespace detlite::kernels::optimized
