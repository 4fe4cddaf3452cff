// SPLIT, SPLIT_V and UNPACK: the input seen as [outer, axis, inner] is cut
// along the axis into consecutive pieces, one per output.
#ifndef DETLITE_KERNELS_REFERENCE_SPLIT_H_
#define DETLITE_KERNELS_REFERENCE_SPLIT_H_

#include <cstdint>
#include <cstring>
#include <vector>

namespace detlite::kernels::reference {

struct SplitGeometry {
  int64_t outer = 1;
  int64_t inner = 1;
  std::vector<int64_t> axis_sizes;  // one per output, summing to the axis
};

template <typename T>
void Split(const SplitGeometry& g, const T* input, T* const* outputs) {
  const T* in = input;
  for (int64_t o = 0; o < g.outer; ++o) {
    for (size_t i = 0; i < g.axis_sizes.size(); ++i) {
      const int64_t chunk = g.axis_sizes[i] * g.inner;
      std::memcpy(outputs[i] + o * chunk, in, static_cast<size_t>(chunk) * sizeof(T));
      in += chunk;
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_SPLIT_H_
