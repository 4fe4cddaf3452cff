// RESIZE_NEAREST_NEIGHBOR on NHWC tensors, TFLite's index rule (the same for
// every type; values are copied, never rescaled).
#ifndef DETLITE_KERNELS_REFERENCE_RESIZE_NEAREST_NEIGHBOR_H_
#define DETLITE_KERNELS_REFERENCE_RESIZE_NEAREST_NEIGHBOR_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/reference/resize_bilinear.h"

namespace detlite::kernels::reference {

// Source index for output index `o`: floor((o + offset) * scale), or rounded
// half away from zero with align_corners; clamped to the input.
inline int32_t NearestSourceIndex(int32_t o, int32_t in, int32_t out, bool align,
                                  bool half) {
  const float scale = (align && out > 1)
                          ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                          : static_cast<float>(in) / static_cast<float>(out);
  const float offset = half ? 0.5f : 0.0f;
  const float pos = (static_cast<float>(o) + offset) * scale;
  int32_t i = align ? static_cast<int32_t>(std::round(pos))
                    : static_cast<int32_t>(std::floor(pos));
  i = std::min(i, in - 1);
  if (half) i = std::max(i, 0);
  return i;
}

template <typename T>
void ResizeNearestNeighbor(const ResizeGeometry& g, const T* input, T* output) {
  std::vector<int32_t> ys(static_cast<size_t>(g.out_h)), xs(static_cast<size_t>(g.out_w));
  for (int32_t o = 0; o < g.out_h; ++o) {
    ys[static_cast<size_t>(o)] = NearestSourceIndex(o, g.in_h, g.out_h, g.align_corners, g.half_pixel_centers);
  }
  for (int32_t o = 0; o < g.out_w; ++o) {
    xs[static_cast<size_t>(o)] = NearestSourceIndex(o, g.in_w, g.out_w, g.align_corners, g.half_pixel_centers);
  }
  const size_t pixel = static_cast<size_t>(g.depth) * sizeof(T);
  for (int32_t b = 0; b < g.batches; ++b) {
    const T* image = input + static_cast<int64_t>(b) * g.in_h * g.in_w * g.depth;
    for (int32_t y : ys) {
      for (int32_t x : xs) {
        std::memcpy(output, image + (static_cast<int64_t>(y) * g.in_w + x) * g.depth, pixel);
        output += g.depth;
      }
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_RESIZE_NEAREST_NEIGHBOR_H_
