#include "kernels/optimized/sigmoid_f32.h"

#include "kernels/reference/unary_math.h"

namespace detlite::kernels::optimized {
namespace {

void SigmoidPortable(int64_t n, const float* in, float* out) {
  reference::UnaryFloat(reference::UnaryOp::kLogistic, n, in, out);
}

}  // namespace

SigmoidF32Fn SigmoidF32Portable() { return &SigmoidPortable; }

SigmoidF32Fn SigmoidF32For(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa >= Isa::kAvx512) return SigmoidF32Avx512();
  if (isa >= Isa::kAvx2) return SigmoidF32Avx2();
#endif
  return SigmoidF32Portable();
}

void SigmoidF32(Isa isa, int64_t n, const float* in, float* out,
                const Parallel& par) {
  const SigmoidF32Fn fn = SigmoidF32For(isa);
  // 16 K values per task: about 10 us of work, enough to pay for a thread.
  ParallelRanges(par, n, int64_t{1} << 14, [&](int64_t i0, int64_t i1) {
    fn(i1 - i0, in + i0, out + i0);
  });
}

}  // namespace detlite::kernels::optimized
