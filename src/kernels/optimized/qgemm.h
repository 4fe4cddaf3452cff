// 8-bit convolution as an indirect GEMM on 4-deep byte dot products (the
// shape of vpdpbusd: unsigned bytes times signed bytes, four per int32 lane).
// Like igemm_f32.h, each tile of output pixels reads per filter tap a pointer
// to that pixel's in_c input bytes (or to a row of input zero points for
// padding), so a 1x1 convolution reads the NHWC input in place.
//
// The exact integer sum of the reference, sum_k (x_k + in_off) * (w_k + f_off)
// (mod 2^32, as its int32 accumulator wraps), is rewritten so the operands fit
// the instruction and the rest is a per-channel constant computed at packing:
//  - activations become unsigned, u = x + s (s = 128 for int8, by flipping the
//    sign bit as they are loaded; s = 0 for uint8);
//  - weights become signed, e = w - t (t = 0 for int8; t = 128 for uint8,
//    whose w + f_off spans 511 values and cannot be one signed byte);
//  - sum (x + in_off)(w + f_off) = sum u*e + (t + f_off) * sum u
//                                 + (in_off - s) * sum (w + f_off).
// The last term joins the bias; the middle one (uint8 filters whose zero point
// is not 128 only) needs each pixel's input sum, taken once per tile.
// Padding taps read a row holding the input zero point, whose terms cancel.
// Integer sums are exact in any order, so outputs are bit-identical to
// kernels/reference/conv.h; requantization is the reference's (fused in the
// microkernel for Fp32Requant, through the functor otherwise).
#ifndef DETLITE_KERNELS_OPTIMIZED_QGEMM_H_
#define DETLITE_KERNELS_OPTIMIZED_QGEMM_H_

#include <cstdint>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"
#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::optimized {

// Where a microkernel call puts its mr x nc results.
struct QGemmOutput {
  // Fused XNNPACK requantization (kernels::Fp32Requant) when scale is set:
  // out[r * ldc + n] = byte of clamp(float(acc) * scale[n], lo, hi) rounded
  // to nearest even, plus zero_point (lo, hi already have it subtracted).
  const float* scale = nullptr;
  float lo = 0, hi = 0;
  int32_t zero_point = 0;
  uint8_t* out = nullptr;
  // Otherwise the int32 sums (bias included): acc[r * ldc + n].
  int32_t* acc = nullptr;
  int64_t ldc = 0;
};

// One instruction set's microkernel. a: taps * mr_max row pointers (rows >= mr
// repeat a valid one); bias: nr int32; w: the panel's weights, for each tap
// ceil(in_c / 4) groups of nr x 4 bytes; row_add: mr_max int32 added to each
// row, or null; input_xor: XORed onto every 4 input bytes (0x80808080 turns
// int8 into x + 128).
using QGemmFn = void (*)(int mr, int nc, int taps, int in_c,
                         const uint8_t* const* a, const int32_t* bias,
                         const int8_t* w, const int32_t* row_add,
                         uint32_t input_xor, const QGemmOutput& out);

// The sum of n input bytes (for the input sums of uint8 filters).
using RowSumFn = uint32_t (*)(const uint8_t* p, int n);

struct QGemmKernel {
  Isa isa = Isa::kReference;
  int mr = 0;  // rows (output pixels) per call
  int nr = 0;  // output channels per panel
  QGemmFn fn = nullptr;
  RowSumFn row_sum = nullptr;  // null: a plain loop
};

// Whether `isa`'s 8-bit convolutions use this GEMM (the reference level and
// the VNNI levels); the AVX2 and AVX-512 levels keep the int16 GEMM of
// gemm.h (vpmaddwd), which is exact without VNNI.
bool UsesQGemm(Isa isa);

// The kernel for `isa` (the portable one unless it is a VNNI level).
QGemmKernel QGemmFor(Isa isa);

// Defined in qgemm_{portable,avxvnni,avx512vnni}.cc.
QGemmKernel QGemmPortable();
QGemmKernel QGemmAvxVnni();
QGemmKernel QGemmAvx512Vnni();

// Convolutions with fewer input channels than this (an RGB stem) copy each
// pixel's taps into one row (im2col): a 3x3x3 window is then 7 groups of 4
// bytes instead of 9 groups of 3.
inline constexpr int kIm2colBelowChannels = 8;

// A filter [out_c][taps][in_c] packed for one kernel, with the constant terms
// folded into its bias (see the top of this file).
struct PackedConvQ8 {
  Isa isa = Isa::kReference;
  // What the microkernel sees: with im2col, taps 1 and in_c taps * in_c.
  int out_c = 0, taps = 0, in_c = 0, nr = 0;
  bool im2col = false;
  int64_t panel_bytes = 0;  // weight bytes per panel
  std::vector<int32_t> bias;  // panels * nr
  std::vector<int8_t> weights;
  uint32_t input_xor = 0;
  int32_t row_factor = 0;  // t + f_off; 0 when no input sums are needed

  bool Matches(Isa want) const { return !bias.empty() && isa == want; }
};

// input_offset = -input zero point, filter_offset = -filter zero point (0 for
// int8); bias may be null.
void PackConvQ8(Isa isa, int out_c, int taps, int in_c, const int8_t* filter,
                const int32_t* bias, int32_t input_offset, PackedConvQ8* out);
void PackConvQ8(Isa isa, int out_c, int taps, int in_c, const uint8_t* filter,
                int32_t filter_offset, const int32_t* bias,
                int32_t input_offset, PackedConvQ8* out);

// Called with each tile's int32 sums when there is no fused requantization:
// rows [p0, p0 + rows) of the output, channels [n0, n0 + nc).
using QGemmFinish = void (*)(const void* ctx, int64_t p0, int rows, int n0,
                             int nc, const int32_t* acc, int64_t ldc);

// CONV_2D (groups == 1) of 8-bit `input` (NHWC bytes) with weights packed for
// packed.isa. `out` carries the fused requantization (scale per output
// channel, out = the output tensor, ldc ignored); with out.scale null,
// finish(ctx, ...) receives the sums instead.
void ConvQ8Igemm(const ConvGeometry& g, const uint8_t* input,
                 int32_t input_zero_point, const PackedConvQ8& packed,
                 const QGemmOutput& out, QGemmFinish finish,
                 const void* finish_ctx, const Parallel& par);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_QGEMM_H_
