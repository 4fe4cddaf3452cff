#include "kernels/optimized/eltwise_f32.h"

#include <algorithm>

namespace detlite::kernels::optimized {

EltwiseF32Fn EltwiseF32For(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa >= Isa::kAvx512) return EltwiseF32Avx512();
  if (isa >= Isa::kAvx2) return EltwiseF32Avx2();
#endif
  return EltwiseF32Portable();
}

void EltwiseF32(Isa isa, const EltwiseF32Args& args, const Parallel& par) {
  const EltwiseF32Fn fn = EltwiseF32For(isa);
  // Enough values per task (64 K) that a thread pays for itself on a
  // memory-bound loop.
  const int64_t min_rows =
      std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(args.channels, 1));
  ParallelRanges(par, args.rows, min_rows, [&](int64_t r0, int64_t r1) {
    EltwiseF32Args part = args;
    part.rows = r1 - r0;
    part.x = args.x + r0 * args.channels;
    part.out = args.out + r0 * args.channels;
    if (args.res != nullptr) part.res = args.res + r0 * args.res_c;
    fn(part);
  });
}

MaxPoolF32Fn MaxPoolF32For(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa >= Isa::kAvx512) return MaxPoolF32Avx512();
  if (isa >= Isa::kAvx2) return MaxPoolF32Avx2();
#endif
  return MaxPoolF32Portable();
}

void MaxPoolF32(Isa isa, const reference::PoolParams& p, float lo, float hi,
                const float* in, float* out, const Parallel& par) {
  const MaxPoolF32Fn fn = MaxPoolF32For(isa);
  const int64_t rows = int64_t{p.batches} * p.out_h;
  const int64_t row_elems = int64_t{p.out_w} * p.channels;
  const int64_t min_rows = std::max<int64_t>(1, 16384 / std::max<int64_t>(row_elems, 1));
  ParallelRanges(par, rows, min_rows,
                 [&](int64_t r0, int64_t r1) { fn(p, lo, hi, in, out, r0, r1); });
}

}  // namespace detlite::kernels::optimized
