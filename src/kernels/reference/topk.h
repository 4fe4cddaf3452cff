// TOPK_V2: the k largest values of each row (the last dimension) and their
// int32 indices, largest first; equal values keep the lower index first,
// as TFLite's and TensorFlow's kernels order them.
#ifndef DETLITE_KERNELS_REFERENCE_TOPK_H_
#define DETLITE_KERNELS_REFERENCE_TOPK_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <type_traits>
#include <vector>

namespace detlite::kernels::reference {

// NaN orders below every number (keeps the comparison a strict weak order).
template <typename T>
bool Greater(T x, T y) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(x)) return false;
    if (std::isnan(y)) return true;
  }
  return x > y;
}

template <typename T>
void TopK(const T* input, int64_t rows, int32_t row_size, int32_t k, T* values,
          int32_t* indices) {
  std::vector<int32_t> order(static_cast<size_t>(row_size));
  for (int64_t r = 0; r < rows; ++r) {
    const T* row = input + r * row_size;
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [row](int32_t a, int32_t b) {
      if (Greater(row[a], row[b])) return true;
      if (Greater(row[b], row[a])) return false;
      return a < b;
    });
    for (int32_t i = 0; i < k; ++i) {
      indices[r * k + i] = order[static_cast<size_t>(i)];
      values[r * k + i] = row[order[static_cast<size_t>(i)]];
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_TOPK_H_
