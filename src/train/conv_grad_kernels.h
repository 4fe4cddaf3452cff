// Backward kernels of the windowed ops on plain NHWC buffers, in the
// geometry of kernels/reference/conv_geometry.h. Each ADDS into the
// gradient buffers it is given (any may be null: not wanted). `dz` is the
// gradient of the pre-activation output (fused activation already masked).
//   conv:      filter [out_c, kh, kw, in_c / groups]
//   depthwise: filter [1, kh, kw, out_c], out channel = in channel * mult + m
//   transpose: filter [out_c, kh, kw, in_c], the window runs over the output
// The *Reference versions are plain loops over every tap; ConvBackward and
// DepthwiseBackward are the ones the tape calls (GEMM-based / vectorized).
#ifndef DETLITE_TRAIN_CONV_GRAD_KERNELS_H_
#define DETLITE_TRAIN_CONV_GRAD_KERNELS_H_

#include "kernels/reference/conv_geometry.h"

namespace detlite::train {

void ConvBackwardReference(const kernels::ConvGeometry& g, const float* x, const float* w,
                           const float* dz, float* dx, float* dw, float* db);
void ConvBackward(const kernels::ConvGeometry& g, const float* x, const float* w,
                  const float* dz, float* dx, float* dw, float* db);

void DepthwiseBackwardReference(const kernels::ConvGeometry& g, const float* x, const float* w,
                                const float* dz, float* dx, float* dw, float* db);
void DepthwiseBackward(const kernels::ConvGeometry& g, const float* x, const float* w,
                       const float* dz, float* dx, float* dw, float* db);

void TransposeConvBackward(const kernels::ConvGeometry& g, const float* x, const float* w,
                           const float* dz, float* dx, float* dw, float* db);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_CONV_GRAD_KERNELS_H_
