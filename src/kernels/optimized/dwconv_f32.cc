#include "kernels/optimized/dwconv_f32.h"

#include <algorithm>

namespace detlite::kernels::optimized {

void PackDepthwiseF32(int taps, int channels, const float* filter,
                      const float* bias, std::vector<float>* out) {
  const int cp = (channels + kDwChannelAlign - 1) / kDwChannelAlign *
                 kDwChannelAlign;
  out->assign(static_cast<size_t>(cp) * (taps + 1), 0.0f);
  if (bias != nullptr) std::copy(bias, bias + channels, out->begin());
  for (int t = 0; t < taps; ++t) {
    std::copy(filter + int64_t{t} * channels,
              filter + int64_t{t + 1} * channels,
              out->begin() + int64_t{t + 1} * cp);
  }
}

DwRowFn DwRowF32For(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa >= Isa::kAvx512) return DwRowF32Avx512();
  if (isa >= Isa::kAvx2) return DwRowF32Avx2();
#endif
  return DwRowF32Portable();
}

void DepthwiseFloatPacked(Isa isa, const ConvGeometry& g, const float* input,
                          const float* packed, float lo, float hi,
                          float* output, const Parallel& par) {
  const DwRowFn row_fn = DwRowF32For(isa);
  const int64_t out_rows = int64_t{g.batches} * g.out_h;
  const int64_t row_elems = int64_t{g.out_w} * g.out_c;
  // Rows r0..r1, channels [c0, c1).
  auto run_rows = [&](int64_t r0, int64_t r1, int c0, int c1) {
    std::vector<const float*> rows(static_cast<size_t>(g.filter_h));
    for (int64_t r = r0; r < r1; ++r) {
      const int b = static_cast<int>(r / g.out_h);
      const int oy = static_cast<int>(r % g.out_h);
      const float* image = input + int64_t{b} * g.in_h * g.in_w * g.in_c;
      for (int ky = 0; ky < g.filter_h; ++ky) {
        const int iy = oy * g.stride_h - g.pad_h + ky * g.dilation_h;
        rows[static_cast<size_t>(ky)] =
            (iy < 0 || iy >= g.in_h) ? nullptr
                                     : image + int64_t{iy} * g.in_w * g.in_c;
      }
      DwRowArgs args;
      args.g = &g;
      args.rows = rows.data();
      args.packed = packed;
      args.lo = lo;
      args.hi = hi;
      args.out = output + r * row_elems;
      args.c_begin = c0;
      args.c_end = c1;
      row_fn(args);
    }
  };
  const int64_t groups = (g.out_c + kDwChannelAlign - 1) / kDwChannelAlign;
  if (par.num_threads > 1 && int64_t{g.out_h} * g.out_w < g.out_c &&
      groups >= par.num_threads) {
    // Few pixels, many channels (the late 19x19 and 10x10 layers): split by
    // channels, as the float GEMM before cut its weight-heavy output by
    // panels, so each thread reads the channels it wrote itself. (The 8-bit
    // depthwise keeps rows: its GEMMs cut by pixels, see qgemm.cc.)
    ParallelRanges(par, groups, 1, [&](int64_t g0, int64_t g1) {
      run_rows(0, out_rows, static_cast<int>(g0 * kDwChannelAlign),
               static_cast<int>(std::min<int64_t>(g.out_c, g1 * kDwChannelAlign)));
    });
    return;
  }
  // Rows per task: enough work (a few thousand outputs) to pay for a thread.
  const int64_t min_rows = std::max<int64_t>(1, 4096 / std::max<int64_t>(row_elems, 1));
  ParallelRanges(par, out_rows, min_rows, [&](int64_t r0, int64_t r1) {
    run_rows(r0, r1, 0, -1);
  });
}

}  // namespace detlite::kernels::optimized
