// TRANSPOSE: output dimension i is input dimension perm[i], any rank.
#ifndef DETLITE_KERNELS_REFERENCE_TRANSPOSE_H_
#define DETLITE_KERNELS_REFERENCE_TRANSPOSE_H_

#include <cstdint>
#include <vector>

namespace detlite::kernels::reference {

template <typename T>
void Transpose(const std::vector<int64_t>& input_dims,
               const std::vector<int>& perm, const T* input, T* output) {
  const int rank = static_cast<int>(input_dims.size());
  // Per output dimension: its size and the input step it makes.
  struct Axis {
    int64_t size;
    int64_t step;
  };
  std::vector<Axis> axes;
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    const int src = perm[static_cast<size_t>(i)];
    int64_t step = 1;
    for (int d = src + 1; d < rank; ++d) step *= input_dims[static_cast<size_t>(d)];
    axes.push_back({input_dims[static_cast<size_t>(src)], step});
    count *= input_dims[static_cast<size_t>(src)];
  }
  std::vector<int64_t> idx(axes.size(), 0);
  int64_t from = 0;
  for (int64_t o = 0; o < count; ++o) {
    output[o] = input[from];
    for (int d = rank - 1; d >= 0; --d) {
      const Axis& a = axes[static_cast<size_t>(d)];
      int64_t& i = idx[static_cast<size_t>(d)];
      from += a.step;
      if (++i < a.size) break;
      from -= a.step * i;
      i = 0;
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_TRANSPOSE_H_
