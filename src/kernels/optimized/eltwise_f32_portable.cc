// The portable elementwise rows (Isa::kReference): eltwise_f32_impl.inc over
// single floats.
#include <algorithm>
#include <cstdint>

#include "kernels/optimized/eltwise_f32.h"

namespace detlite::kernels::optimized {
namespace portable_elt {

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
  static Reg Add(Reg a, Reg b) { return a + b; }
  static Reg Min(Reg a, Reg b) { return std::min(a, b); }
  static Reg Max(Reg a, Reg b) { return std::max(a, b); }
  static Reg Prelu(Reg x, Reg a) { return x >= 0.0f ? x : x * a; }
};

#include "kernels/optimized/eltwise_f32_impl.inc"
#include "kernels/optimized/maxpool_f32_impl.inc"

}  // namespace portable_elt

EltwiseF32Fn EltwiseF32Portable() { return &portable_elt::EltwiseRows; }
MaxPoolF32Fn MaxPoolF32Portable() { return &portable_elt::MaxPoolRows; }

}  // namespace detlite::kernels::optimized
