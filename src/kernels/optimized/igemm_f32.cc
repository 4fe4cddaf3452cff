#include "kernels/optimized/igemm_f32.h"

#include <algorithm>

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
  const int64_t block =
      std::clamp<int64_t>(int64_t{96 * 1024} / (int64_t{mr} * k * 4), 1, 64);
  const int64_t blocks = (tiles + block - 1) / block;
  ParallelRanges(par, blocks, 1, [&](int64_t b0, int64_t b1) {
    std::vector<float> zeros(static_cast<size_t>(g.in_c), 0.0f);
    std::vector<const float*> a(static_cast<size_t>(block * taps * mr));
    for (int64_t bi = b0; bi < b1; ++bi) {
      const int64_t t0 = bi * block;
      const int64_t t1 = std::min(tiles, t0 + block);
      for (int64_t t = t0; t < t1; ++t) {
        const int64_t p0 = t * mr;
        const int rows = static_cast<int>(std::min<int64_t>(mr, pixels - p0));
        FillIndirection(g, input, zeros.data(), p0, rows, mr,
                        a.data() + (t - t0) * taps * mr);
      }
      for (int pn = 0; pn < panels; ++pn) {
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
        const int64_t p0 = t0 * mr;
        EltwiseF32Args e = *epilogue;
        e.rows = std::min(pixels, t1 * mr) - p0;
        e.x = e.out = output + p0 * g.out_c;
        if (e.res != nullptr) e.res += p0 * e.res_c;
        epilogue_fn(e);
      }
    }
  });
}

}  // namespace detlite::kernels::optimized
