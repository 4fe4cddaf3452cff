// Stores constants that carry a sparse hint (they came in sparse, or were
// pruned) in sparse form behind a DENSIFY op, where that makes the model
// smaller: the constant becomes the op's dense output, its sparse values a new
// constant with the same dtype and quantization.
//
//   w [dense, hint] -> CONV_2D      becomes   w_sparse -> DENSIFY -> w -> CONV_2D
//   w16 [dense, hint] -> DEQUANTIZE becomes   w16_sparse -> DENSIFY -> w16 -> DEQUANTIZE
//
// Only dtypes TFLite's DENSIFY takes (float32, float16, int8) and, for int8,
// zero points of 0 (stored zeros must mean 0). The encoding tried are the
// hint's layout and a plain CSR one; the smaller wins, and the tensor stays
// dense unless the sparse one saves more than the op and tensor cost.
#ifndef DETLITE_PASSES_STORE_SPARSE_H_
#define DETLITE_PASSES_STORE_SPARSE_H_

#include <cstdint>

#include "passes/pass.h"

namespace detlite::passes {

// Bytes a DENSIFY op, its extra tensor and the sparsity tables cost in a
// .tflite beyond the stored arrays (measured on written files, rounded up).
inline constexpr int64_t kSparseOverheadBytes = 256;

struct StoreSparseStats {
  int tensors = 0;
  int64_t dense_bytes = 0;   // of the tensors stored sparse, before
  int64_t sparse_bytes = 0;  // their values and index arrays after
};

class StoreSparse : public Pass {
 public:
  std::string_view name() const override { return "store-sparse"; }
  Status Run(ir::Model& model, PassContext& ctx, bool* changed) override;
  const StoreSparseStats& stats() const { return stats_; }

 private:
  StoreSparseStats stats_;
};

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_STORE_SPARSE_H_
