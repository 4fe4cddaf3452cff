#include "kernels/optimized/dwconv_q8.h"

#include <algorithm>

namespace detlite::kernels::optimized {
namespace {

template <typename FilterT>
void Pack(int taps, int channels, const FilterT* filter, int32_t filter_offset,
          const int32_t* bias, int32_t input_offset, PackedDwQ8* out) {
  const int cp = (channels + 15) / 16 * 16;
  out->taps = taps;
  out->channels = channels;
  out->cp = cp;
  out->data.assign(static_cast<size_t>(taps + 1) * cp, 0);
  for (int c = 0; c < channels; ++c) {
    // Unsigned arithmetic wraps like the reference's int32 accumulator.
    uint32_t sum = 0;
    for (int t = 0; t < taps; ++t) {
      const int32_t w = static_cast<int32_t>(filter[int64_t{t} * channels + c]) +
                        filter_offset;  // in [-255, 255]
      sum += static_cast<uint32_t>(w);
      out->data[static_cast<size_t>(t + 1) * cp + c] =
          static_cast<int32_t>(static_cast<uint16_t>(w));
    }
    uint32_t b = bias != nullptr ? static_cast<uint32_t>(bias[c]) : 0u;
    b += static_cast<uint32_t>(input_offset) * sum;
    out->data[c] = static_cast<int32_t>(b);
  }
}

}  // namespace

void PackDepthwiseQ8(int taps, int channels, const uint8_t* filter,
                     int32_t filter_offset, const int32_t* bias,
                     int32_t input_offset, PackedDwQ8* out) {
  Pack(taps, channels, filter, filter_offset, bias, input_offset, out);
}

void PackDepthwiseQ8(int taps, int channels, const int8_t* filter,
                     const int32_t* bias, int32_t input_offset,
                     PackedDwQ8* out) {
  Pack(taps, channels, filter, 0, bias, input_offset, out);
}

DwQ8RowFn DwQ8RowFor(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa == Isa::kAvx512Vnni) return DwQ8RowAvx512Vnni();
  if (isa >= Isa::kAvx512) return DwQ8RowAvx512();
  if (isa >= Isa::kAvx2) return DwQ8RowAvx2();
#endif
  return DwQ8RowPortable();
}

void DepthwiseQ8(Isa isa, const ConvGeometry& g, const uint8_t* input,
                 int32_t input_zero_point, bool is_signed,
                 const PackedDwQ8& packed, const QGemmOutput& out,
                 QGemmFinish finish, const void* finish_ctx,
                 const Parallel& par) {
  const DwQ8RowFn row_fn = DwQ8RowFor(isa);
  const int taps = g.filter_h * g.filter_w;
  const int cp = packed.cp;
  const bool fused = out.scale != nullptr;
  std::vector<float> scale;
  if (fused) {
    scale.assign(static_cast<size_t>(cp), 0.0f);
    std::copy(out.scale, out.scale + g.out_c, scale.begin());
  }
  const int64_t out_rows = int64_t{g.batches} * g.out_h;
  const int64_t row_elems = int64_t{g.out_w} * g.out_c;
  // Rows per task: a few thousand outputs pay for a thread.
  const int64_t min_rows =
      std::max<int64_t>(1, 4096 / std::max<int64_t>(row_elems, 1));
  ParallelRanges(par, out_rows, min_rows, [&](int64_t r0, int64_t r1) {
    const std::vector<uint8_t> pad_row(static_cast<size_t>(cp) + 64,
                                       static_cast<uint8_t>(input_zero_point));
    std::vector<const uint8_t*> a(static_cast<size_t>(g.out_w) * taps);
    std::vector<int32_t> acc(fused ? 0 : static_cast<size_t>(g.out_w) * cp);
    for (int64_t r = r0; r < r1; ++r) {
      const int b = static_cast<int>(r / g.out_h);
      const int oy = static_cast<int>(r % g.out_h);
      const uint8_t* image = input + int64_t{b} * g.in_h * g.in_w * g.in_c;
      for (int ox = 0; ox < g.out_w; ++ox) {
        const int y0 = oy * g.stride_h - g.pad_h;
        const int x0 = ox * g.stride_w - g.pad_w;
        for (int ky = 0; ky < g.filter_h; ++ky) {
          const int iy = y0 + ky * g.dilation_h;
          for (int kx = 0; kx < g.filter_w; ++kx) {
            const int ix = x0 + kx * g.dilation_w;
            a[static_cast<size_t>(ox) * taps + ky * g.filter_w + kx] =
                (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w)
                    ? pad_row.data()
                    : image + (int64_t{iy} * g.in_w + ix) * g.in_c;
          }
        }
      }
      QGemmOutput o = out;
      if (fused) {
        o.scale = scale.data();
        o.out = out.out + r * row_elems;
        o.ldc = g.out_c;
      } else {
        o.acc = acc.data();
        o.ldc = cp;
      }
      row_fn(g.out_w, taps, g.out_c, cp, a.data(), packed.data.data(),
             is_signed, o);
      if (!fused) {
        finish(finish_ctx, r * g.out_w, g.out_w, 0, g.out_c, acc.data(), cp);
      }
    }
  });
}

}  // namespace detlite::kernels::optimized
