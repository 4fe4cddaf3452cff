// Encoding a dense constant into the sparse storage SparsityParams describes
// (the inverse of kernels/reference/densify.h), and the layout a tensor
// should be re-encoded with.
//
// A SparseLayout is SparsityParams without the index arrays: which levels
// are visited in which order, which dimensions are split into blocks of what
// size, and which levels are compressed (CSR). It is what a tensor that came
// in sparse, or was pruned, carries through passes that work on dense values
// (quantization), so it can be stored sparse again at the end.
#ifndef DETLITE_CORE_SPARSITY_H_
#define DETLITE_CORE_SPARSITY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/quant_params.h"
#include "core/shape.h"
#include "detlite/status.h"

namespace detlite {

struct SparseLayout {
  std::vector<int32_t> traversal_order;  // n + k levels
  std::vector<int32_t> block_map;        // original dimension of each block dimension
  std::vector<int32_t> block_size;       // size of each block dimension
  std::vector<bool> csr;                 // per level: compressed (true) or dense
  bool operator==(const SparseLayout&) const = default;
};

// Row-major levels, every dimension dense except the last one (CSR): what
// TFLite's converter writes for unstructured sparsity.
SparseLayout PlainCsrLayout(int rank);
// Blocks of `block_size` along dimension `dim` (the blocks' own level dense
// and last), CSR over the dimension holding the blocks.
SparseLayout BlockCsrLayout(int rank, int dim, int block_size);
// The layout `sp` was stored with.
SparseLayout LayoutOf(const SparsityParams& sp);

struct SparseEncoding {
  SparsityParams params;
  std::vector<uint8_t> values;  // the stored elements, in traversal order
  // Bytes of values plus index arrays (each array with its narrowest width).
  int64_t payload_bytes = 0;
};

// Encodes `dense` (shape.NumElements() elements of `element_size` bytes; an
// element is zero when all its bytes are zero) in `layout`. Fails when the
// layout does not fit the shape (a block that does not divide its dimension).
StatusOr<SparseEncoding> EncodeSparse(const Shape& shape, const SparseLayout& layout,
                                      const uint8_t* dense, size_t element_size);

}  // namespace detlite

#endif  // DETLITE_CORE_SPARSITY_H_
