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

#include <algorithm>
#include <cstdint>

#include "kernels/reference/conv_geometry.h"
#include "runtime/thread_pool.h"

namespace detlite::train {

// Calls fn(begin, end) over [0, count) in fixed chunks of `chunk`, on the
// threads of the current Backward call. The chunks do not depend on the
// thread count, so results are bit-identical however many threads run.
template <typename Fn>
void ForChunks(int64_t count, int64_t chunk, Fn&& fn) {
  const int64_t n = (count + chunk - 1) / chunk;
  auto one = [&](int i) { fn(i * chunk, std::min(count, (i + 1) * chunk)); };
  const auto& par = runtime::CurrentParallel();
  if (par.run && par.num_threads > 1 && n > 1) {
    par.run(static_cast<int>(n), one);
  } else {
    for (int64_t i = 0; i < n; ++i) one(static_cast<int>(i));
  }
}

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
