// TensorFlow element types, shapes and TensorProto contents turned into
// detlite's types. Every size a proto declares is checked against the bytes
// it carries and against a cap, so a hostile file cannot make us allocate
// gigabytes or read past a buffer.
#ifndef DETLITE_IMPORTERS_TF_TF_TENSOR_H_
#define DETLITE_IMPORTERS_TF_TF_TENSOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"
#include "detlite/status.h"
#include "detlite/tf/tensor.pb.h"
#include "ir/graph.h"

namespace detlite::tf_import {

// Largest constant the importers materialize (elements), far above any
// detector's biggest weight but well below what would exhaust memory.
inline constexpr int64_t kMaxConstElements = int64_t{1} << 26;

// TensorFlow DataType code (reference types, +100, accepted) to DType.
StatusOr<DType> DTypeFromTf(int32_t code);

// A fully known shape; unknown rank or dims are errors naming `what`.
StatusOr<Shape> ShapeFromTf(const tf::TensorShapeProto& shape, const std::string& what);
// Dims with -1 for unknown ones; `known_rank` false for unknown rank.
std::vector<int64_t> PartialShapeFromTf(const tf::TensorShapeProto& shape, bool* known_rank);

// Constant tensor (dtype, shape, little-endian bytes) from a TensorProto,
// whether it stores tensor_content or the typed *_val lists (a list shorter
// than the shape repeats its last value, as TensorFlow does).
struct ConstTensor {
  DType dtype = DType::kFloat32;
  Shape shape;
  ir::Bytes bytes;
};
StatusOr<ConstTensor> TensorFromProto(const tf::TensorProto& proto, const std::string& what);

// Reads `raw` (little-endian elements of `dtype`, e.g. from a checkpoint) as
// a constant, checking the byte count against the shape.
StatusOr<ConstTensor> TensorFromRaw(DType dtype, Shape shape, const std::string& raw,
                                    const std::string& what);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_TF_TENSOR_H_
