// Sparse 1x1 convolution / FULLY_CONNECTED on NHWC buffers (after XNNPACK's
// sparse inference, Elsen et al. 2020, "Fast Sparse ConvNets"): the weights
// [out_c][in_c] are packed once per output channel as their nonzero values
// and the input channels they read; the kernel then skips every zero.
//
// Vectors run across pixels, not channels: a block of up to kernel.pb pixels
// is first transposed into a [in_c][pb] tile (in registers, kWidth x kWidth
// at a time), so each nonzero weight w[oc][ic] is one broadcast and
// pb / kWidth fused multiply-adds over tile row ic. The input channels are
// taken in chunks of `chunk` rows (16 KiB of the tile, so the rows a chunk
// reads stay in L1 while every output channel passes over them; measured
// at 70% zeros: 1.8-2.6x slower without chunks on 576-1280 channels),
// the sums of every output channel kept in a [out_c][pb] tile between
// chunks. At the end they are clamped (float) and transposed back into the
// NHWC output kWidth channels at a time. Threads take pixel blocks, or
// output channels when there are fewer blocks than threads.
//
// float32: any weights. int8: int8 weights with zero point 0 (per-tensor or
// per-channel) and int8 activations with any zero point; the input offset
// times each channel's weight sum joins its int32 bias at packing, so the
// int32 sums equal the dense kernels' exactly (mod 2^32, as theirs wrap),
// and the requantization is theirs (the caller's epilogue).
#ifndef DETLITE_KERNELS_OPTIMIZED_SPMM_H_
#define DETLITE_KERNELS_OPTIMIZED_SPMM_H_

#include <cstdint>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"

namespace detlite::kernels::optimized {

// Weights [out_c][in_c] packed for one instruction set, ordered by input
// chunk, then output channel. `offset` holds the input channel of each
// nonzero times pb (its row in the transposed tile).
//
// block 4: the unit is a 4x1 block (output channels 4g..4g+3, one input
// channel) with any nonzero; start and offset count blocks of groups
// g = 0..ceil(out_c / 4) - 1 instead of channels, the values hold 4 weights
// a block (0 past out_c) and the biases are padded to 4 * groups.
struct PackedSparse {
  Isa isa = Isa::kReference;
  int block = 1;  // 1 or 4
  int out_c = 0, in_c = 0, pb = 0;
  int chunk = 0, chunks = 0;  // input channels per chunk, chunk count
  int64_t nonzeros = 0;  // weights stored (4 a block for block 4)
  // chunks * out_c + 1: the nonzeros of chunk k and channel oc are
  // [start[k * out_c + oc], start[k * out_c + oc + 1]).
  std::vector<int32_t> start;
  std::vector<int32_t> offset;  // nonzeros
  std::vector<float> value_f32;  // float weights
  std::vector<int32_t> value_i32;  // int8 weights, as int16 in the low half
  std::vector<float> bias_f32;     // out_c
  std::vector<int32_t> bias_i32;   // out_c: bias + input_offset * sum(w)

  bool Matches(Isa want, int want_block = 1) const {
    return !start.empty() && isa == want && block == want_block;
  }
};

// One block of pixels for a block kernel.
struct SpmmBlockArgs {
  int rows = 0;            // pixels in the block, 1..pb
  const void* input = nullptr;  // the block's first pixel (float or int8)
  int oc0 = 0, oc1 = 0;    // output channels to compute
  void* scratch = nullptr;  // (in_c + out_c rounded up to the block) * pb floats
  // float: the block's first output pixel, row stride ldo.
  float lo = 0, hi = 0;
  float* out = nullptr;
  // int8: the int32 sums, acc[p * ldo + (oc - oc0)].
  int32_t* acc = nullptr;
  int64_t ldo = 0;
};

using SpmmBlockFn = void (*)(const PackedSparse& w, const SpmmBlockArgs& a);

struct SpmmKernel {
  Isa isa = Isa::kReference;
  int width = 0;  // lanes per vector
  int pb = 0;     // pixels per block
  SpmmBlockFn f32 = nullptr;
  SpmmBlockFn q8 = nullptr;
};

// The kernel for `isa`; defined in spmm_{portable,avx2,avx512}.cc.
SpmmKernel SpmmFor(Isa isa);
SpmmKernel SpmmPortable();
SpmmKernel SpmmAvx2();
SpmmKernel SpmmAvx512();

// The share of zeros in `n` weights.
float ZeroShare(const float* w, int64_t n);
float ZeroShare(const int8_t* w, int64_t n);

// The share of 4x1 blocks (output channels 4g..4g+3 at one input channel;
// the last group may be shorter) of [out_c][in_c] weights that are all zero.
float BlockZeroShare(const float* w, int out_c, int in_c);
float BlockZeroShare(const int8_t* w, int out_c, int in_c);

// bias may be null; block 1 (single weights) or 4 (4x1 blocks, any zeros:
// a block is stored whole if one of its weights is not zero).
void PackSparseF32(Isa isa, int out_c, int in_c, const float* filter,
                   const float* bias, PackedSparse* out, int block = 1);
// input_offset = -input zero point; bias may be null.
void PackSparseQ8(Isa isa, int out_c, int in_c, const int8_t* filter,
                  const int32_t* bias, int32_t input_offset,
                  PackedSparse* out, int block = 1);

// output[p][oc] = clamp(bias[oc] + sum_ic input[p][ic] * w[oc][ic], lo, hi)
// for `pixels` rows of in_c floats.
void SpmmF32(int64_t pixels, const float* input, const PackedSparse& w,
             float lo, float hi, float* output, const Parallel& par);

// The int32 sums of int8 data go to finish(ctx, p0, rows, oc0, nc, acc, ldc)
// one tile at a time: acc[r * ldc + n] for pixel p0 + r, channel oc0 + n.
using SpmmFinish = void (*)(const void* ctx, int64_t p0, int rows, int oc0,
                            int nc, const int32_t* acc, int64_t ldc);
void SpmmQ8(int64_t pixels, const int8_t* input, const PackedSparse& w,
            SpmmFinish finish, const void* finish_ctx, const Parallel& par);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_SPMM_H_
