#include "kernels/optimized/qgemm.h"

#include <algorithm>

#include "kernels/optimized/gemm_partition.h"
#include "kernels/optimized/im2col.h"
#include "kernels/optimized/indirection.h"

namespace detlite::kernels::optimized {

bool UsesQGemm(Isa isa) {
  return isa == Isa::kReference || isa == Isa::kAvx2Vnni ||
         isa == Isa::kAvx512Vnni;
}

QGemmKernel QGemmFor(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa == Isa::kAvx512Vnni) return QGemmAvx512Vnni();
  if (isa == Isa::kAvx2Vnni) return QGemmAvxVnni();
#endif
  return QGemmPortable();
}

namespace {

// weight_shift is t and input_shift s of the header comment.
template <typename FilterT>
void Pack(Isa isa, int out_c, int taps, int in_c, const FilterT* filter,
          int32_t filter_offset, const int32_t* bias, int32_t input_offset,
          int32_t weight_shift, int32_t input_shift, PackedConvQ8* out) {
  const int nr = QGemmFor(isa).nr;
  // The filter is [out_c][taps * in_c] either way: with few channels, pack it
  // as one tap of taps * in_c (see PackedConvQ8::im2col).
  out->im2col = taps > 1 && in_c < kIm2colBelowChannels;
  if (out->im2col) {
    in_c *= taps;
    taps = 1;
  }
  const int kq = (in_c + 3) / 4;
  const int panels = (out_c + nr - 1) / nr;
  out->isa = isa;
  out->out_c = out_c;
  out->taps = taps;
  out->in_c = in_c;
  out->nr = nr;
  out->panel_bytes = int64_t{taps} * kq * nr * 4;
  out->bias.assign(static_cast<size_t>(panels) * nr, 0);
  out->weights.assign(static_cast<size_t>(panels * out->panel_bytes), 0);
  out->input_xor = input_shift != 0 ? 0x80808080u : 0u;
  out->row_factor = weight_shift + filter_offset;
  for (int oc = 0; oc < out_c; ++oc) {
    const FilterT* row = filter + int64_t{oc} * taps * in_c;
    int8_t* panel = out->weights.data() + (oc / nr) * out->panel_bytes;
    const int n = oc % nr;
    // Unsigned arithmetic wraps like the reference's int32 accumulator.
    uint32_t sum = 0;  // sum over k of (w + f_off)
    for (int t = 0; t < taps; ++t) {
      for (int i = 0; i < in_c; ++i) {
        const int32_t w = row[int64_t{t} * in_c + i];
        sum += static_cast<uint32_t>(w + filter_offset);
        panel[((int64_t{t} * kq + i / 4) * nr + n) * 4 + i % 4] =
            static_cast<int8_t>(w - weight_shift);
      }
    }
    uint32_t b = bias != nullptr ? static_cast<uint32_t>(bias[oc]) : 0u;
    b += static_cast<uint32_t>(input_offset - input_shift) * sum;
    out->bias[oc] = static_cast<int32_t>(b);
  }
}


// row_add[r] = factor * (sum of the tile row's input bytes), wrapping.
void RowSums(RowSumFn row_sum, int mr, int taps, int in_c,
             const uint8_t* const* a, int32_t factor, int32_t* row_add) {
  for (int r = 0; r < mr; ++r) {
    uint32_t sum = 0;
    for (int t = 0; t < taps; ++t) {
      const uint8_t* p = a[t * mr + r];
      if (row_sum != nullptr) {
        sum += row_sum(p, in_c);
        continue;
      }
      uint32_t s = 0;
      for (int i = 0; i < in_c; ++i) s += p[i];
      sum += s;
    }
    row_add[r] = static_cast<int32_t>(sum * static_cast<uint32_t>(factor));
  }
}

}  // namespace

void PackConvQ8(Isa isa, int out_c, int taps, int in_c, const int8_t* filter,
                const int32_t* bias, int32_t input_offset, PackedConvQ8* out) {
  Pack(isa, out_c, taps, in_c, filter, 0, bias, input_offset, 0, 128, out);
}

void PackConvQ8(Isa isa, int out_c, int taps, int in_c, const uint8_t* filter,
                int32_t filter_offset, const int32_t* bias,
                int32_t input_offset, PackedConvQ8* out) {
  Pack(isa, out_c, taps, in_c, filter, filter_offset, bias, input_offset, 128,
       0, out);
}

void ConvQ8Igemm(const ConvGeometry& g, const uint8_t* input,
                 int32_t input_zero_point, const PackedConvQ8& packed,
                 const QGemmOutput& out, QGemmFinish finish,
                 const void* finish_ctx, const Parallel& par) {
  const QGemmKernel kernel = QGemmFor(packed.isa);
  const int mr = kernel.mr, nr = packed.nr;
  const int taps = g.filter_h * g.filter_w;
  // What the kernel sees: with im2col, one tap of a copied row per pixel.
  const int kernel_taps = packed.taps;
  const int kernel_in_c = packed.in_c;
  const int64_t col_stride = (int64_t{kernel_in_c} + 3) / 4 * 4;
  const int64_t pixels = int64_t{g.batches} * g.out_h * g.out_w;
  const int64_t tiles = (pixels + mr - 1) / mr;
  const int panels = (g.out_c + nr - 1) / nr;
  const bool fused = out.scale != nullptr;
  // Scales padded to whole panels, so kernels load full vectors.
  std::vector<float> scale;
  if (fused) {
    scale.assign(static_cast<size_t>(panels) * nr, 0.0f);
    std::copy(out.scale, out.scale + g.out_c, scale.begin());
  }
  // Tiles per block: their input rows (mr * taps * in_c bytes each) stay in
  // L2 while every panel passes over them.
  const GemmPartition part = PartitionGemm(
      par, tiles, panels,
      std::clamp<int64_t>(int64_t{128 * 1024} / (int64_t{mr} * taps * g.in_c),
                          1, 64),
      pixels * g.out_c * taps * g.in_c);
  // Not cut by panels when weight-heavy, unlike the float GEMM: with int8
  // weights, 2 threads on the int8 SSD measured faster cut by pixels (2.42
  // vs 2.63 ms, docs/RESULTS.md "Threads, round 4").
  const int64_t block = part.block;
  ParallelRanges(par, part.units(), part.min_units_per_task,
                 [&](int64_t u0, int64_t u1) {
    // The row padding taps read: the input zero point, over-allocated so a
    // kernel's last partial group of 4 stays inside it.
    const std::vector<uint8_t> pad_row(
        static_cast<size_t>(g.in_c) + 4, static_cast<uint8_t>(input_zero_point));
    std::vector<const uint8_t*> a(static_cast<size_t>(block * taps * mr));
    std::vector<uint8_t> cols(
        packed.im2col ? static_cast<size_t>(block * mr * col_stride) : 0);
    std::vector<int32_t> row_add(
        packed.row_factor != 0 ? static_cast<size_t>(block * mr) : 0);
    std::vector<int32_t> acc(fused ? 0 : static_cast<size_t>(mr) * nr);
    int64_t filled = -1;  // the block whose rows `a` holds
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t bi = part.block_of(u);
      const int64_t t0 = bi * block;
      const int64_t t1 = std::min(tiles, t0 + block);
      for (int64_t t = t0; t < t1 && filled != bi; ++t) {
        const int64_t p0 = t * mr;
        const int rows = static_cast<int>(std::min<int64_t>(mr, pixels - p0));
        if (packed.im2col) {
          // One copied row per pixel (kernel_taps == 1).
          FillIm2colRows(g, input, static_cast<uint8_t>(input_zero_point), p0,
                         rows, mr, cols.data() + (t - t0) * mr * col_stride,
                         col_stride, a.data() + (t - t0) * mr);
        } else {
          FillIndirection(g, input, pad_row.data(), p0, rows, mr,
                          a.data() + (t - t0) * taps * mr);
        }
        if (!row_add.empty()) {
          RowSums(kernel.row_sum, mr, kernel_taps, kernel_in_c,
                  a.data() + (t - t0) * kernel_taps * mr, packed.row_factor,
                  row_add.data() + (t - t0) * mr);
        }
      }
      filled = bi;
      const int pn1 = part.end_panel(u, panels);
      for (int pn = part.first_panel(u); pn < pn1; ++pn) {
        const int nc = std::min(nr, g.out_c - pn * nr);
        const int32_t* bias = packed.bias.data() + pn * nr;
        const int8_t* w = packed.weights.data() + pn * packed.panel_bytes;
        for (int64_t t = t0; t < t1; ++t) {
          const int64_t p0 = t * mr;
          const int rows = static_cast<int>(std::min<int64_t>(mr, pixels - p0));
          QGemmOutput o = out;
          if (fused) {
            o.scale = scale.data() + pn * nr;
            o.out = out.out + p0 * g.out_c + pn * nr;
            o.ldc = g.out_c;
          } else {
            o.acc = acc.data();
            o.ldc = nr;
          }
          kernel.fn(rows, nc, kernel_taps, kernel_in_c,
                    a.data() + (t - t0) * kernel_taps * mr,
                    bias, w,
                    row_add.empty() ? nullptr : row_add.data() + (t - t0) * mr,
                    packed.input_xor, o);
          if (!fused) finish(finish_ctx, p0, rows, pn * nr, nc, acc.data(), nr);
        }
      }
    }
  });
}

}  // namespace detlite::kernels::optimized
