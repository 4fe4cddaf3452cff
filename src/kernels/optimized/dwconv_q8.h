// 8-bit DEPTHWISE_CONV_2D (depth multiplier 1) with accumulators in
// registers: for each output row, an indirection of taps row pointers per
// pixel (padding taps read a row of input zero points), then per vector of
// channels and group of 4 pixels, every tap is one widening load and one
// vpmaddwd (int16 pairs: the input byte, widened, times weight + filter
// offset, whose high half is 0) added to int32 accumulators that start at the
// bias. With the input offset folded into that bias at packing,
//   sum_t (x + in_off)(w + f_off) = sum_t x (w + f_off) + in_off sum_t (w + f_off)
// over all taps (a padding tap's x is the zero point, its terms cancel), the
// integers are exact, so outputs are bit-identical to
// kernels/reference/depthwise_conv.h. Requantization as in qgemm.h: fused for
// Fp32Requant, the functor otherwise. Row kernels per instruction set in
// dwconv_q8_{portable,avx2,avx512}.cc.
#ifndef DETLITE_KERNELS_OPTIMIZED_DWCONV_Q8_H_
#define DETLITE_KERNELS_OPTIMIZED_DWCONV_Q8_H_

#include <cstdint>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"
#include "kernels/optimized/qgemm.h"
#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::optimized {

// Channels padded to a multiple of 16; bias then taps rows of weights, each
// int32 holding (w + f_off) in its low 16 bits and 0 in its high ones.
struct PackedDwQ8 {
  int taps = 0, channels = 0, cp = 0;
  std::vector<int32_t> data;  // (taps + 1) * cp

  bool empty() const { return data.empty(); }
};

// filter: [taps][channels] (KH, KW, C); bias may be null.
void PackDepthwiseQ8(int taps, int channels, const uint8_t* filter,
                     int32_t filter_offset, const int32_t* bias,
                     int32_t input_offset, PackedDwQ8* out);
void PackDepthwiseQ8(int taps, int channels, const int8_t* filter,
                     const int32_t* bias, int32_t input_offset,
                     PackedDwQ8* out);

// One output row of n pixels: a[p * taps + t] points at pixel p's tap t
// (channels bytes); packed as above; is_signed: the input bytes are int8.
// out.out / out.acc point at the row's first pixel (ldc apart); out.scale is
// padded to cp.
using DwQ8RowFn = void (*)(int n, int taps, int channels, int cp,
                           const uint8_t* const* a, const int32_t* packed,
                           bool is_signed, const QGemmOutput& out);

DwQ8RowFn DwQ8RowFor(Isa isa);
DwQ8RowFn DwQ8RowPortable();
DwQ8RowFn DwQ8RowAvx2();
DwQ8RowFn DwQ8RowAvx512();
DwQ8RowFn DwQ8RowAvx512Vnni();  // vpdpwssd

// The whole op at `isa`; input_zero_point is the input's zero point as a
// byte; `out` and `finish` as for ConvQ8Igemm.
void DepthwiseQ8(Isa isa, const ConvGeometry& g, const uint8_t* input,
                 int32_t input_zero_point, bool is_signed,
                 const PackedDwQ8& packed, const QGemmOutput& out,
                 QGemmFinish finish, const void* finish_ctx,
                 const Parallel& par);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_DWCONV_Q8_H_
