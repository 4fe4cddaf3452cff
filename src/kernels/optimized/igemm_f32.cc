#include "kernels/optimized/igemm_f32.h"

#include <algorithm>

#include "kernels/optimized/gemm_partition.h"
#include "kernels/optimized/indirection.h"

namespace detlite::kernels::optimized {

IgemmF32Kernel IgemmF32For(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa >= Isa::kAvx512) return IgemmF32Avx512();
  if (isa >= Isa::kAvx2) return IgemmF32Avx2();
#endif
  return IgemmF32Portable();
}

void PackConvF32(Isa isa, int out_c, int k, const float* filter,
                 const float* bias, PackedConvF32* out) {
  const int nr = IgemmF32For(isa).nr;
  const int panels = (out_c + nr - 1) / nr;
  const int64_t panel_size = int64_t{nr} * (k + 1);
  out->isa = isa;
  out->out_c = out_c;
  out->k = k;
  out->nr = nr;
  out->data.assign(static_cast<size_t>(panels * panel_size), 0.0f);
  for (int oc = 0; oc < out_c; ++oc) {
    float* panel = out->data.data() + (oc / nr) * panel_size;
    const int n = oc % nr;
    if (bias != nullptr) panel[n] = bias[oc];
    const float* row = filter + int64_t{oc} * k;
    for (int i = 0; i < k; ++i) panel[int64_t{i + 1} * nr + n] = row[i];
  }
}

namespace {

// The epilogue over output rows [p0, p1), channels [c0, c1): in one call
// when the unit covers every channel, otherwise row by row on the slice
// (the same float operations per element either way).
void RunEpilogue(EltwiseF32Fn fn, const EltwiseF32Args& args, float* output,
                 int out_c, int64_t p0, int64_t p1, int c0, int c1,
                 bool all_channels) {
  EltwiseF32Args e = args;
  if (all_channels) {
    e.rows = p1 - p0;
    e.x = e.out = output + p0 * out_c;
    if (e.res != nullptr) e.res += p0 * e.res_c;
    fn(e);
    return;
  }
  e.rows = 1;
  e.channels = c1 - c0;
  if (e.alpha != nullptr) e.alpha += c0;
  // The residual's channels in this slice (none if it has fewer than c0).
  const int64_t res_c = std::clamp<int64_t>(args.res_c - c0, 0, c1 - c0);
  for (int64_t p = p0; p < p1; ++p) {
    e.x = e.out = output + p * out_c + c0;
    e.res = args.res != nullptr && res_c > 0 ? args.res + p * args.res_c + c0
                                             : nullptr;
    e.res_c = res_c;
    fn(e);
  }
}

}  // namespace

void ConvFloatIgemm(const ConvGeometry& g, const float* input,
                    const PackedConvF32& packed, float lo, float hi,
                    float* output, const Parallel& par,
                    const EltwiseF32Args* epilogue) {
  const IgemmF32Kernel kernel = IgemmF32For(packed.isa);
  const EltwiseF32Fn epilogue_fn =
      epilogue != nullptr ? EltwiseF32For(packed.isa) : nullptr;
  const int mr = kernel.mr, nr = packed.nr;
  const int taps = g.filter_h * g.filter_w;
  const int k = taps * g.in_c;
  const int64_t pixels = int64_t{g.batches} * g.out_h * g.out_w;
  const int64_t tiles = (pixels + mr - 1) / mr;
  const int panels = (g.out_c + nr - 1) / nr;
  const int64_t panel_size = int64_t{nr} * (k + 1);
  // Tiles per block: their input rows (about mr * k floats each) stay in L2
  // while every panel passes over them.
  const GemmPartition part = PartitionGemm(
      par, tiles, panels,
      std::clamp<int64_t>(int64_t{96 * 1024} / (int64_t{mr} * k * 4), 1, 64),
      pixels * g.out_c * k, /*weight_heavy=*/pixels < g.out_c);
  const int64_t block = part.block;
  ParallelRanges(par, part.units(), part.min_units_per_task,
                 [&](int64_t u0, int64_t u1) {
    std::vector<float> zeros(static_cast<size_t>(g.in_c), 0.0f);
    std::vector<const float*> a(static_cast<size_t>(block * taps * mr));
    int64_t filled = -1;  // the block whose rows `a` holds
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t bi = part.block_of(u);
      const int64_t t0 = bi * block;
      const int64_t t1 = std::min(tiles, t0 + block);
      for (int64_t t = t0; t < t1 && filled != bi; ++t) {
        const int64_t p0 = t * mr;
        const int rows = static_cast<int>(std::min<int64_t>(mr, pixels - p0));
        FillIndirection(g, input, zeros.data(), p0, rows, mr,
                        a.data() + (t - t0) * taps * mr);
      }
      filled = bi;
      const int pn0 = part.first_panel(u), pn1 = part.end_panel(u, panels);
      for (int pn = pn0; pn < pn1; ++pn) {
        const int nc = std::min(nr, g.out_c - pn * nr);
        const float* panel = packed.data.data() + pn * panel_size;
        for (int64_t t = t0; t < t1; ++t) {
          const int64_t p0 = t * mr;
          const int rows = static_cast<int>(std::min<int64_t>(mr, pixels - p0));
          kernel.fn(rows, nc, taps, g.in_c, a.data() + (t - t0) * taps * mr,
                    panel, lo, hi, output + p0 * g.out_c + pn * nr, g.out_c);
        }
      }
      if (epilogue_fn != nullptr) {
        RunEpilogue(epilogue_fn, *epilogue, output, g.out_c, t0 * mr,
                    std::min(pixels, t1 * mr), pn0 * nr,
                    std::min(g.out_c, pn1 * nr), part.panel_chunks == 1);
      }
    }
  });
}

}  // namespace detlite::kernels::optimized
