// The small packed int16 GEMM behind the optimized 8-bit conv family. C = A * B
// where A holds one im2col row per output pixel and B the filter, packed by
// PackFilterI16 into blocks of kGemmNr output channels so the inner loop reads
// it linearly. The AVX2 paths are chosen at run time (HasAvx2Fma: ActiveIsa()
// of cpu.h is at least AVX2) so the binary still runs on CPUs without AVX2;
// the portable paths compute the same integers. Float kernels are in
// igemm_f32.h and dwconv_f32.h.
#ifndef DETLITE_KERNELS_OPTIMIZED_GEMM_H_
#define DETLITE_KERNELS_OPTIMIZED_GEMM_H_

#include <cstdint>

namespace detlite::kernels::optimized {

// Output channels per packed block of B.
inline constexpr int kGemmNr = 16;
// Rows of A per micro-tile; callers pad the row count to a multiple of it.
inline constexpr int kGemmMr = 4;

// True when ActiveIsa() (cpu.h) allows AVX2 + FMA.
bool HasAvx2Fma();

// rows % kGemmMr == 0, k % 2 == 0. a: rows x k int16 (row stride k).
// b: n_blocks packed blocks, each [k / 2][kGemmNr][2] int16.
// c: rows x (n_blocks * kGemmNr) int32, overwritten. Every product and pair
// sum must fit in int32 (true for operands within [-255, 255]); the k-sum
// wraps like the reference's int32 accumulator.
void GemmI16(int rows, int k, const int16_t* a, const int16_t* b,
             int n_blocks, int32_t* c);

// c[i] += (in[i] + input_offset) * (f[i] + filter_offset) for i < n: the
// depthwise inner loop over channels.
void MacU8(int n, const uint8_t* in, int32_t input_offset, const uint8_t* f,
           int32_t filter_offset, int32_t* c);
void MacI8(int n, const int8_t* in, int32_t input_offset, const int8_t* f,
           int32_t filter_offset, int32_t* c);
// XNNPACK-style requantization of n accumulators of consecutive channels,
// exactly as kernels::Fp32Requant computes each (float product, clamp, round
// half to even in the default rounding mode): out[c] from acc[c] + bias[c]
// (bias may be null) and scale[c].
void RequantFp32U8(int n, const int32_t* acc, const int32_t* bias,
                   const float* scale, int32_t zero_point, int32_t act_min,
                   int32_t act_max, uint8_t* out);
void RequantFp32I8(int n, const int32_t* acc, const int32_t* bias,
                   const float* scale, int32_t zero_point, int32_t act_min,
                   int32_t act_max, int8_t* out);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_GEMM_H_
