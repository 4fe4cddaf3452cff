// TILE: output dimension d repeats the input multiples[d] times.
#ifndef DETLITE_KERNELS_REFERENCE_TILE_H_
#define DETLITE_KERNELS_REFERENCE_TILE_H_

#include <cstdint>
#include <vector>

namespace detlite::kernels::reference {

template <typename T>
void Tile(const std::vector<int64_t>& input_dims,
          const std::vector<int64_t>& multiples, const T* input, T* output) {
  const size_t rank = input_dims.size();
  std::vector<int64_t> out_dims(rank);
  int64_t count = 1;
  for (size_t d = 0; d < rank; ++d) {
    out_dims[d] = input_dims[d] * multiples[d];
    count *= out_dims[d];
  }
  std::vector<int64_t> idx(rank, 0);
  for (int64_t o = 0; o < count; ++o) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d) src = src * input_dims[d] + idx[d] % input_dims[d];
    output[o] = input[src];
    for (size_t d = rank; d-- > 0;) {
      if (++idx[d] < out_dims[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_TILE_H_
