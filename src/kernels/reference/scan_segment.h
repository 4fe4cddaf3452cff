// Scans, segment reductions, scatters and diagonals (CUMSUM, SEGMENT_SUM,
// UNSORTED_SEGMENT_*, SCATTER_ND, MATRIX_DIAG, MATRIX_SET_DIAG, BUCKETIZE) on
// plain buffers. Sums run in element order, as TFLite's reference kernels
// do, so float results are the same bytes.
#ifndef DETLITE_KERNELS_REFERENCE_SCAN_SEGMENT_H_
#define DETLITE_KERNELS_REFERENCE_SCAN_SEGMENT_H_

#include <algorithm>
#include <cstdint>
#include <limits>

namespace detlite::kernels::reference {

// x viewed as [outer, n, inner], summed along n.
template <typename T>
void Cumsum(const T* x, int64_t outer, int64_t n, int64_t inner, bool exclusive, bool reverse,
            T* out) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k = 0; k < inner; ++k) {
      T acc = T(0);
      for (int64_t s = 0; s < n; ++s) {
        const int64_t i = reverse ? n - 1 - s : s;
        const int64_t at = (o * n + i) * inner + k;
        if (exclusive) {
          out[at] = acc;
          acc += x[at];
        } else {
          acc += x[at];
          out[at] = acc;
        }
      }
    }
  }
}

enum class SegmentReduce { kSum, kProd, kMax, kMin };

template <typename T>
T SegmentIdentity(SegmentReduce r) {
  switch (r) {
    case SegmentReduce::kSum: return T(0);
    case SegmentReduce::kProd: return T(1);
    case SegmentReduce::kMax: return std::numeric_limits<T>::lowest();
    case SegmentReduce::kMin: return std::numeric_limits<T>::max();
  }
  return T(0);
}

// out [segments, slice] = reduction of the rows of data [rows, slice] that
// ids sends there. Returns false (with *bad the row) when an id is outside
// [0, segments).
template <typename T>
bool SegmentReduceRows(const T* data, const int32_t* ids, int64_t rows, int64_t slice,
                       int64_t segments, SegmentReduce r, T* out, int64_t* bad) {
  std::fill(out, out + segments * slice, SegmentIdentity<T>(r));
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t s = ids[i];
    if (s < 0 || s >= segments) {
      *bad = i;
      return false;
    }
    T* o = out + s * slice;
    const T* d = data + i * slice;
    for (int64_t k = 0; k < slice; ++k) {
      switch (r) {
        case SegmentReduce::kSum: o[k] += d[k]; break;
        case SegmentReduce::kProd: o[k] *= d[k]; break;
        case SegmentReduce::kMax: o[k] = std::max(o[k], d[k]); break;
        case SegmentReduce::kMin: o[k] = std::min(o[k], d[k]); break;
      }
    }
  }
  return true;
}

// out (dims[0..rank)) zeroed, then updates[i, :] added at the element
// indices[i, 0..k) addresses; slice = elements per update row.
template <typename T>
bool ScatterNd(const int32_t* indices, int64_t count, int k, const T* updates, int64_t slice,
               const int32_t* dims, int rank, T* out, int64_t* bad) {
  int64_t total = 1;
  for (int d = 0; d < rank; ++d) total *= dims[d];
  std::fill(out, out + total, T(0));
  for (int64_t i = 0; i < count; ++i) {
    int64_t at = 0;
    for (int j = 0; j < k; ++j) {
      const int32_t v = indices[i * k + j];
      if (v < 0 || v >= dims[j]) {
        *bad = i;
        return false;
      }
      at = at * dims[j] + v;
    }
    T* o = out + at * slice;
    const T* u = updates + i * slice;
    for (int64_t e = 0; e < slice; ++e) o[e] += u[e];
  }
  return true;
}

// diag [batch, n] -> out [batch, n, n].
template <typename T>
void MatrixDiag(const T* diag, int64_t batch, int64_t n, T* out) {
  std::fill(out, out + batch * n * n, T(0));
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t i = 0; i < n; ++i) out[(b * n + i) * n + i] = diag[b * n + i];
  }
}

// x [batch, rows, cols] with its main diagonal replaced by diag [batch, min].
template <typename T>
void MatrixSetDiag(const T* x, const T* diag, int64_t batch, int64_t rows, int64_t cols, T* out) {
  std::copy(x, x + batch * rows * cols, out);
  const int64_t m = std::min(rows, cols);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t i = 0; i < m; ++i) out[(b * rows + i) * cols + i] = diag[b * m + i];
  }
}

// out[i] = the number of boundaries <= x[i] (boundaries ascending).
template <typename T>
void Bucketize(const T* x, int64_t n, const float* boundaries, int64_t nb, int32_t* out) {
  for (int64_t i = 0; i < n; ++i) {
    const float* p = std::upper_bound(boundaries, boundaries + nb, static_cast<float>(x[i]));
    out[i] = static_cast<int32_t>(p - boundaries);
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_SCAN_SEGMENT_H_
