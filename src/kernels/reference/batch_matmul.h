// BATCH_MATMUL: out[..., i, j] = sum_k lhs[..., i, k] * rhs[..., k, j] over
// row-major operands whose leading (batch) dimensions broadcast NumPy-style.
// adj_x reads lhs as stored [..., depth, rows] and adj_y reads rhs as stored
// [..., cols, depth], i.e. each operand is transposed in its last two
// dimensions before the product. The sum runs over k in order, one
// accumulator per output, as TFLite's reference kernel does.
#ifndef DETLITE_KERNELS_REFERENCE_BATCH_MATMUL_H_
#define DETLITE_KERNELS_REFERENCE_BATCH_MATMUL_H_

#include <cstdint>
#include <vector>

namespace detlite::kernels::reference {

struct BatchMatMulShape {
  // The output's batch dimensions and, per dimension, how far each operand
  // moves (in elements) for one step along it: 0 where it broadcasts.
  std::vector<int32_t> batch_dims;
  std::vector<int64_t> lhs_batch_stride, rhs_batch_stride;
  int32_t rows = 0, cols = 0, depth = 0;
  bool adj_x = false, adj_y = false;
};

// Calls body(lhs_offset, rhs_offset, out_offset) once per output matrix.
template <typename Body>
void ForEachBatch(const BatchMatMulShape& s, Body&& body) {
  const int rank = static_cast<int>(s.batch_dims.size());
  for (int32_t d : s.batch_dims) {
    if (d <= 0) return;
  }
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  const int64_t matrix = int64_t{s.rows} * s.cols;
  int64_t lhs = 0, rhs = 0, out = 0;
  while (true) {
    body(lhs, rhs, out);
    out += matrix;
    int d = rank - 1;
    for (; d >= 0; --d) {
      const auto u = static_cast<size_t>(d);
      lhs += s.lhs_batch_stride[u];
      rhs += s.rhs_batch_stride[u];
      if (++index[u] < s.batch_dims[u]) break;
      lhs -= s.lhs_batch_stride[u] * s.batch_dims[u];
      rhs -= s.rhs_batch_stride[u] * s.batch_dims[u];
      index[u] = 0;
    }
    if (d < 0) return;
  }
}

// Element (i, k) of the lhs matrix and (k, j) of the rhs matrix.
inline int64_t LhsIndex(const BatchMatMulShape& s, int i, int k) {
  return s.adj_x ? int64_t{k} * s.rows + i : int64_t{i} * s.depth + k;
}
inline int64_t RhsIndex(const BatchMatMulShape& s, int k, int j) {
  return s.adj_y ? int64_t{j} * s.depth + k : int64_t{k} * s.cols + j;
}

inline void BatchMatMulFloat(const BatchMatMulShape& s, const float* lhs,
                             const float* rhs, float* out) {
  ForEachBatch(s, [&](int64_t lo, int64_t ro, int64_t oo) {
    for (int i = 0; i < s.rows; ++i) {
      for (int j = 0; j < s.cols; ++j) {
        float acc = 0.0f;
        for (int k = 0; k < s.depth; ++k)
          acc += lhs[lo + LhsIndex(s, i, k)] * rhs[ro + RhsIndex(s, k, j)];
        out[oo + int64_t{i} * s.cols + j] = acc;
      }
    }
  });
}

// Quantized: offsets are minus the zero points; `requant` (requantize.h)
// maps (int32 accumulator, channel 0) to the clamped output value.
template <typename T, typename Requant>
void BatchMatMulQuantized(const BatchMatMulShape& s, int32_t lhs_offset,
                          int32_t rhs_offset, const T* lhs, const T* rhs,
                          const Requant& requant, T* out) {
  ForEachBatch(s, [&](int64_t lo, int64_t ro, int64_t oo) {
    for (int i = 0; i < s.rows; ++i) {
      for (int j = 0; j < s.cols; ++j) {
        int32_t acc = 0;
        for (int k = 0; k < s.depth; ++k) {
          acc += (static_cast<int32_t>(lhs[lo + LhsIndex(s, i, k)]) +
                  lhs_offset) *
                 (static_cast<int32_t>(rhs[ro + RhsIndex(s, k, j)]) +
                  rhs_offset);
        }
        out[oo + int64_t{i} * s.cols + j] = static_cast<T>(requant(acc, 0));
      }
    }
  });
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_BATCH_MATMUL_H_
