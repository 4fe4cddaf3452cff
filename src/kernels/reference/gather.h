// GATHER with axis and batch_dims. The input is seen as
// [batch, outer, axis, inner] (batch = dims before batch_dims, outer = dims
// from batch_dims to axis) and the indices as [batch, coords]; the output is
// [batch, outer, coords, inner].
#ifndef DETLITE_KERNELS_REFERENCE_GATHER_H_
#define DETLITE_KERNELS_REFERENCE_GATHER_H_

#include <cstdint>
#include <cstring>

namespace detlite::kernels::reference {

struct GatherGeometry {
  int64_t batch = 1;
  int64_t outer = 1;
  int64_t axis_size = 0;
  int64_t inner = 1;
  int64_t coords = 1;  // indices per batch
};

// Returns false (output partly written) if an index is outside
// [0, axis_size): TFLite fails the invocation then.
template <typename T, typename Index>
bool Gather(const GatherGeometry& g, const T* input, const Index* indices,
            T* output) {
  for (int64_t b = 0; b < g.batch; ++b) {
    for (int64_t o = 0; o < g.outer; ++o) {
      for (int64_t c = 0; c < g.coords; ++c) {
        const int64_t idx = static_cast<int64_t>(indices[b * g.coords + c]);
        if (idx < 0 || idx >= g.axis_size) return false;
        const int64_t src = ((b * g.outer + o) * g.axis_size + idx) * g.inner;
        const int64_t dst = ((b * g.outer + o) * g.coords + c) * g.inner;
        std::memcpy(output + dst, input + src, static_cast<size_t>(g.inner) * sizeof(T));
      }
    }
  }
  return true;
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_GATHER_H_
