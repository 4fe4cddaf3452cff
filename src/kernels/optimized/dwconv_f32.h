// Float DEPTHWISE_CONV_2D (depth multiplier 1) with accumulators in
// registers: for each output row, groups of 8 (then 4, then 1) neighbouring
// output pixels share every filter-vector load, so each tap costs one input
// load and one FMA per pixel and vector of channels, and the accumulators
// start at the bias and are clamped before their one store. Border pixels
// take a checked path. Filter and bias are packed once (PackDepthwiseF32).
// One row function per instruction set (dwconv_f32_{portable,avx2,avx512}.cc,
// which share dwconv_f32_impl.inc).
#ifndef DETLITE_KERNELS_OPTIMIZED_DWCONV_F32_H_
#define DETLITE_KERNELS_OPTIMIZED_DWCONV_F32_H_

#include <cstdint>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/parallel.h"
#include "kernels/reference/conv_geometry.h"

namespace detlite::kernels::optimized {

// Channels rounded up to this in the packed layout (a multiple of every
// vector width).
inline constexpr int kDwChannelAlign = 16;

// Bias (zero when null) then filter_h * filter_w rows of weights, each
// padded to Cp = channels rounded up to kDwChannelAlign.
void PackDepthwiseF32(int taps, int channels, const float* filter,
                      const float* bias, std::vector<float>* out);

// One output row: `rows[ky]` is input row oy * stride - pad + ky * dilation
// of the image, or null when outside it.
struct DwRowArgs {
  const ConvGeometry* g = nullptr;
  const float* const* rows = nullptr;
  const float* packed = nullptr;
  float lo = 0, hi = 0;
  float* out = nullptr;
  // Channels [c_begin, c_end) of the row (c_end < 0: to the last);
  // c_begin a multiple of kDwChannelAlign.
  int c_begin = 0, c_end = -1;
};
using DwRowFn = void (*)(const DwRowArgs& args);

DwRowFn DwRowF32For(Isa isa);
DwRowFn DwRowF32Portable();
DwRowFn DwRowF32Avx2();
DwRowFn DwRowF32Avx512();

// g.depth_multiplier must be 1; `packed` from PackDepthwiseF32.
void DepthwiseFloatPacked(Isa isa, const ConvGeometry& g, const float* input,
                          const float* packed, float lo, float hi,
                          float* output, const Parallel& par);

}  // namespace detlite::kernels::optimized

#endif  // DETLITE_KERNELS_OPTIMIZED_DWCONV_F32_H_
