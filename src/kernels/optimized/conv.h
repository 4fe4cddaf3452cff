// Optimized 8-bit CONV_2D: im2col of a group of output pixels, a packed GEMM
// (gemm.h) for the accumulators, then exactly the reference's bias add and
// requantization functor. Integer accumulators are exact whatever the
// summation order, so quantized outputs are bit-identical to
// kernels/reference/conv.h. Float convolutions use igemm_f32.h.
#ifndef DETLITE_KERNELS_OPTIMIZED_CONV_H_
#define DETLITE_KERNELS_OPTIMIZED_CONV_H_

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "kernels/optimized/gemm.h"
#include "kernels/optimized/parallel.h"
#include "kernels/reference/conv_geometry.h"
#include "kernels/reference/requantize.h"

namespace detlite::kernels::optimized {

inline int ConvDepth(const ConvGeometry& g) {
  return g.filter_h * g.filter_w * g.in_c;
}
inline int EvenUp(int k) { return (k + 1) & ~1; }
inline int NumBlocks(int n) { return (n + kGemmNr - 1) / kGemmNr; }

// Packs an [out_c, k] filter (rows of filter_h * filter_w * in_c) with its
// offset added, zero-padded to whole blocks and an even depth.
template <typename FilterT>
void PackFilterI16(int out_c, int k, const FilterT* filter,
                   int32_t filter_offset, std::vector<int16_t>* packed) {
  const int kp = EvenUp(k);
  const int nb = NumBlocks(out_c);
  packed->assign(static_cast<size_t>(nb) * kp * kGemmNr, 0);
  int16_t* dst = packed->data();
  for (int oc = 0; oc < out_c; ++oc) {
    const FilterT* row = filter + int64_t{oc} * k;
    int16_t* block = dst + int64_t{oc / kGemmNr} * kp * kGemmNr;
    const int n = oc % kGemmNr;
    for (int i = 0; i < k; ++i) {
      block[(i / 2) * 2 * kGemmNr + 2 * n + (i % 2)] =
          static_cast<int16_t>(static_cast<int32_t>(row[i]) + filter_offset);
    }
  }
}

// Writes the im2col row of output pixel `pixel` (b, oy, ox flattened) to
// dst[0, k_padded): convert(x) per in-bounds input value, zero for padding
// taps and the tail, which is what "skip the tap" means once the input
// offset is folded in.
template <typename InT, typename OutT, typename Convert>
void Im2colRow(const ConvGeometry& g, const InT* input, int64_t pixel,
               int k_padded, const Convert& convert, OutT* dst) {
  const int64_t per_image = int64_t{g.out_h} * g.out_w;
  const int b = static_cast<int>(pixel / per_image);
  const int oy = static_cast<int>(pixel % per_image / g.out_w);
  const int ox = static_cast<int>(pixel % g.out_w);
  const int in_y0 = oy * g.stride_h - g.pad_h;
  const int in_x0 = ox * g.stride_w - g.pad_w;
  OutT* p = dst;
  for (int ky = 0; ky < g.filter_h; ++ky) {
    const int iy = in_y0 + ky * g.dilation_h;
    for (int kx = 0; kx < g.filter_w; ++kx, p += g.in_c) {
      const int ix = in_x0 + kx * g.dilation_w;
      if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
        std::fill(p, p + g.in_c, OutT{0});
        continue;
      }
      const InT* src = input + ((int64_t{b} * g.in_h + iy) * g.in_w + ix) * g.in_c;
      for (int c = 0; c < g.in_c; ++c) p[c] = convert(src[c]);
    }
  }
  std::fill(p, dst + k_padded, OutT{0});
}

// Requantizes one row of accumulators (channels 0..n-1) to out: the vector
// path for XNNPACK-style Fp32Requant, the functor otherwise. Both compute
// exactly the reference's per-element result.
template <typename BiasT, typename OutT, typename Requant>
void RequantRow(int n, const int32_t* acc, const BiasT* bias,
                const Requant& requant, OutT* out) {
  if constexpr (std::is_same_v<Requant, Fp32Requant> &&
                std::is_same_v<BiasT, int32_t> && sizeof(OutT) == 1) {
    if constexpr (std::is_same_v<OutT, uint8_t>) {
      RequantFp32U8(n, acc, bias, requant.scale, requant.output_zero_point,
                    requant.act_min, requant.act_max, out);
    } else {
      RequantFp32I8(n, acc, bias, requant.scale, requant.output_zero_point,
                    requant.act_min, requant.act_max, out);
    }
  } else {
    for (int c = 0; c < n; ++c) {
      int32_t v = acc[c];
      if (bias != nullptr) {
        v = static_cast<int32_t>(static_cast<uint32_t>(v) +
                                 static_cast<uint32_t>(bias[c]));
      }
      out[c] = static_cast<OutT>(requant(v, c));
    }
  }
}

// Output pixels per GEMM call: enough to amortize a block of B, few enough
// that the im2col rows stay in L2.
inline int PixelGroup(int k_padded, int elem_size) {
  int rows = 65536 / std::max(1, k_padded * elem_size);
  rows = std::clamp(rows, kGemmMr, 64);
  return rows / kGemmMr * kGemmMr;
}

// Runs the GEMM over all output pixels and hands each accumulator row to
// finish(pixel, acc_row). A/C are the im2col and accumulator element types.
template <typename A, typename C, typename Fill, typename Gemm,
          typename Finish>
void ConvDriver(const ConvGeometry& g, int k_padded, const Parallel& par,
                const Fill& fill, const Gemm& gemm, const Finish& finish) {
  const int64_t pixels = int64_t{g.batches} * g.out_h * g.out_w;
  const int group = PixelGroup(k_padded, sizeof(A));
  const int ldc = NumBlocks(g.out_c) * kGemmNr;
  const int64_t groups = (pixels + group - 1) / group;
  ParallelRanges(par, groups, 1, [&](int64_t g0, int64_t g1) {
    std::vector<A> a(static_cast<size_t>(group) * k_padded);
    std::vector<C> c(static_cast<size_t>(group) * ldc);
    for (int64_t gi = g0; gi < g1; ++gi) {
      const int64_t p0 = gi * group;
      const int rows = static_cast<int>(std::min<int64_t>(group, pixels - p0));
      const int rows_padded = (rows + kGemmMr - 1) / kGemmMr * kGemmMr;
      for (int r = 0; r < rows; ++r) fill(p0 + r, a.data() + int64_t{r} * k_padded);
      std::fill(a.begin() + int64_t{rows} * k_padded,
                a.begin() + int64_t{rows_padded} * k_padded, A{0});
      gemm(rows_padded, a.data(), c.data());
      for (int r = 0; r < rows; ++r) finish(p0 + r, c.data() + int64_t{r} * ldc);
    }
  });
}

// Quantized CONV_2D with a filter packed by PackFilterI16 (offset included).
// 8-bit inputs only: the int16 operands must stay within [-255, 255].
template <typename InT, typename BiasT, typename OutT, typename Requant>
void ConvQuantized(const ConvGeometry& g, int32_t input_offset,
                   const InT* input, const int16_t* packed, const BiasT* bias,
                   const Requant& requant, OutT* output, const Parallel& par) {
  static_assert(sizeof(InT) == 1, "8-bit activations only");
  const int kp = EvenUp(ConvDepth(g));
  const int nb = NumBlocks(g.out_c);
  auto convert = [input_offset](InT x) {
    return static_cast<int16_t>(static_cast<int32_t>(x) + input_offset);
  };
  ConvDriver<int16_t, int32_t>(
      g, kp, par,
      [&](int64_t pixel, int16_t* row) {
        Im2colRow(g, input, pixel, kp, convert, row);
      },
      [&](int rows, const int16_t* a, int32_t* c) {
        GemmI16(rows, kp, a, packed, nb, c);
      },
      [&](int64_t pixel, const int32_t* acc) {
        RequantRow(g.out_c, acc, bias, requant, output + pixel * g.out_c);
      });
}

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_CONV_H_
