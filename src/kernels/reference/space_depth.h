// SPACE_TO_DEPTH and DEPTH_TO_SPACE on NHWC tensors (TFLite's layout: the
// block offset (by, bx) is the slow part of the depth index, by * block + bx
// times the depth of the spatial tensor, then the channel).
#ifndef DETLITE_KERNELS_REFERENCE_SPACE_DEPTH_H_
#define DETLITE_KERNELS_REFERENCE_SPACE_DEPTH_H_

#include <cstdint>
#include <cstring>

namespace detlite::kernels::reference {

// Dims of the spatial (large) tensor: [batches, height, width, depth].
struct SpaceDepthGeometry {
  int32_t batches = 1, height = 1, width = 1, depth = 1, block = 1;
};

// spatial [N, H, W, C] -> deep [N, H/b, W/b, C*b*b] when `to_depth`, the
// inverse otherwise.
template <typename T>
void SpaceDepth(const SpaceDepthGeometry& g, bool to_depth, const T* input, T* output) {
  const int32_t bs = g.block;
  const int32_t oh = g.height / bs, ow = g.width / bs;
  const size_t run = static_cast<size_t>(g.depth) * sizeof(T);
  for (int32_t n = 0; n < g.batches; ++n) {
    for (int32_t y = 0; y < oh; ++y) {
      for (int32_t x = 0; x < ow; ++x) {
        for (int32_t by = 0; by < bs; ++by) {
          for (int32_t bx = 0; bx < bs; ++bx) {
            const int64_t spatial =
                ((static_cast<int64_t>(n) * g.height + y * bs + by) * g.width + x * bs + bx) * g.depth;
            const int64_t deep =
                ((static_cast<int64_t>(n) * oh + y) * ow + x) * g.depth * bs * bs +
                (static_cast<int64_t>(by) * bs + bx) * g.depth;
            if (to_depth) {
              std::memcpy(output + deep, input + spatial, run);
            } else {
              std::memcpy(output + spatial, input + deep, run);
            }
          }
        }
      }
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_SPACE_DEPTH_H_
