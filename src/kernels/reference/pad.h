// PAD / PADV2 (constant value) and MIRROR_PAD (REFLECT or SYMMETRIC), any
// rank. Paddings are (before, after) per dimension, never negative.
#ifndef DETLITE_KERNELS_REFERENCE_PAD_H_
#define DETLITE_KERNELS_REFERENCE_PAD_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace detlite::kernels::reference {

struct PadGeometry {
  std::vector<int64_t> input_dims;
  std::vector<int64_t> before;
  std::vector<int64_t> after;
  std::vector<int64_t> OutputDims() const {
    std::vector<int64_t> d(input_dims.size());
    for (size_t i = 0; i < d.size(); ++i) d[i] = before[i] + input_dims[i] + after[i];
    return d;
  }
};

// Fills the output with `value`, then copies each innermost input row to its
// place.
template <typename T>
void PadConstant(const PadGeometry& g, T value, const T* input, T* output) {
  const std::vector<int64_t> out_dims = g.OutputDims();
  const size_t rank = out_dims.size();
  int64_t out_count = 1, rows = 1;
  for (size_t d = 0; d < rank; ++d) out_count *= out_dims[d];
  std::fill(output, output + out_count, value);
  if (rank == 0) {
    output[0] = input[0];
    return;
  }
  for (size_t d = 0; d + 1 < rank; ++d) rows *= g.input_dims[d];
  const int64_t row_len = g.input_dims[rank - 1];
  if (row_len == 0) return;
  std::vector<int64_t> idx(rank, 0);  // over input rows
  for (int64_t r = 0; r < rows; ++r) {
    int64_t off = 0;
    for (size_t d = 0; d < rank; ++d) {
      const int64_t i = d + 1 < rank ? idx[d] : 0;
      off = off * out_dims[d] + i + g.before[d];
    }
    std::memcpy(output + off, input + r * row_len, static_cast<size_t>(row_len) * sizeof(T));
    for (size_t d = rank - 1; d-- > 0;) {
      if (++idx[d] < g.input_dims[d]) break;
      idx[d] = 0;
    }
  }
}

// TFLite's mapping from a padded index to the input index it mirrors; the
// min() keeps oversized paddings in range (they repeat the edge element)
// instead of reading out of bounds. offset is 1 for REFLECT (edge not
// repeated), 0 for SYMMETRIC.
inline int64_t MirrorSourceIndex(int64_t padded, int64_t before, int64_t size,
                                 int64_t offset) {
  if (padded < before) {
    const int64_t origin = before + offset - 1;
    return origin - std::min(padded, origin - offset);
  }
  padded -= before;
  if (padded >= size) {
    padded -= size;
    const int64_t origin = size - (1 + offset);
    return origin - std::min(padded, origin);
  }
  return padded;
}

template <typename T>
void MirrorPad(const PadGeometry& g, bool symmetric, const T* input, T* output) {
  const std::vector<int64_t> out_dims = g.OutputDims();
  const size_t rank = out_dims.size();
  const int64_t offset = symmetric ? 0 : 1;
  int64_t out_count = 1;
  for (int64_t d : out_dims) out_count *= d;
  std::vector<int64_t> idx(rank, 0);
  for (int64_t o = 0; o < out_count; ++o) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d) {
      src = src * g.input_dims[d] +
            MirrorSourceIndex(idx[d], g.before[d], g.input_dims[d], offset);
    }
    output[o] = input[src];
    for (size_t d = rank; d-- > 0;) {
      if (++idx[d] < out_dims[d]) break;
      idx[d] = 0;
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_PAD_H_
