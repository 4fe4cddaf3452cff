#include "importers/tf/tf_tensor.h"

#include <cstring>

namespace detlite::tf_import {
namespace {

template <typename T, typename Src>
void FillFromList(const Src& list, int64_t n, ir::Bytes* out) {
  out->resize(static_cast<size_t>(n) * sizeof(T));
  T* dst = reinterpret_cast<T*>(out->data());
  const int size = list.size();
  for (int64_t i = 0; i < n; ++i) {
    // TensorFlow writes a constant-filled tensor as one value (or a short
    // list) and repeats the last one.
    const int j = i < size ? static_cast<int>(i) : size - 1;
    dst[i] = size == 0 ? T{} : static_cast<T>(list.Get(j));
  }
}

}  // namespace

StatusOr<DType> DTypeFromTf(int32_t code) {
  if (code > 100) code -= 100;
  switch (code) {
    case tf::DT_FLOAT: return DType::kFloat32;
    case tf::DT_DOUBLE: return DType::kFloat64;
    case tf::DT_INT32: return DType::kInt32;
    case tf::DT_UINT8: return DType::kUInt8;
    case tf::DT_INT16: return DType::kInt16;
    case tf::DT_INT8: return DType::kInt8;
    case tf::DT_STRING: return DType::kString;
    case tf::DT_INT64: return DType::kInt64;
    case tf::DT_BOOL: return DType::kBool;
    case tf::DT_HALF: return DType::kFloat16;
    case tf::DT_BFLOAT16: return DType::kBFloat16;
    case tf::DT_UINT16: return DType::kUInt16;
    case tf::DT_UINT32: return DType::kUInt32;
    case tf::DT_UINT64: return DType::kUInt64;
    case tf::DT_RESOURCE: return DType::kResource;
    case tf::DT_VARIANT: return DType::kVariant;
    default:
      return Unimplemented("TensorFlow data type " + std::to_string(code) + " is not supported");
  }
}

std::vector<int64_t> PartialShapeFromTf(const tf::TensorShapeProto& shape, bool* known_rank) {
  *known_rank = !shape.unknown_rank();
  std::vector<int64_t> dims;
  for (const auto& d : shape.dim()) dims.push_back(d.size() < 0 ? -1 : d.size());
  return dims;
}

StatusOr<Shape> ShapeFromTf(const tf::TensorShapeProto& shape, const std::string& what) {
  if (shape.unknown_rank()) return InvalidArgument(what + ": shape has unknown rank");
  if (shape.dim_size() > 8) {
    return InvalidArgument(what + ": rank " + std::to_string(shape.dim_size()) + " is too high");
  }
  Shape s;
  int64_t n = 1;
  for (const auto& d : shape.dim()) {
    if (d.size() < 0) return InvalidArgument(what + ": shape has an unknown dimension");
    if (d.size() > INT32_MAX) {
      return InvalidArgument(what + ": dimension " + std::to_string(d.size()) + " is too large");
    }
    n *= d.size();
    if (n > kMaxConstElements) {
      return InvalidArgument(what + ": declared shape holds more than " +
                             std::to_string(kMaxConstElements) + " elements");
    }
    s.dims().push_back(static_cast<int32_t>(d.size()));
  }
  return s;
}

StatusOr<ConstTensor> TensorFromRaw(DType dtype, Shape shape, const std::string& raw,
                                    const std::string& what) {
  const size_t elem = DTypeSize(dtype);
  if (elem == 0 || dtype == DType::kResource || dtype == DType::kVariant) {
    return Unimplemented(what + ": constant of type " + std::string(DTypeName(dtype)) +
                         " is not supported");
  }
  const int64_t n = shape.NumElements();
  if (n < 0 || static_cast<uint64_t>(n) * elem != raw.size()) {
    return DataLoss(what + ": " + std::to_string(raw.size()) + " bytes do not hold a " +
                    std::string(DTypeName(dtype)) + " tensor of shape " + shape.ToString());
  }
  ConstTensor t{dtype, std::move(shape), ir::Bytes(raw.begin(), raw.end())};
  return t;
}

StatusOr<ConstTensor> TensorFromProto(const tf::TensorProto& proto, const std::string& what) {
  auto dtype_or = DTypeFromTf(proto.dtype());
  if (!dtype_or.ok()) return dtype_or.status().WithContext(what);
  const DType dtype = *dtype_or;
  ASSIGN_OR_RETURN(Shape shape, ShapeFromTf(proto.tensor_shape(), what));
  if (!proto.tensor_content().empty()) {
    return TensorFromRaw(dtype, std::move(shape), proto.tensor_content(), what);
  }
  const int64_t n = shape.NumElements();
  ConstTensor t{dtype, shape, {}};
  switch (dtype) {
    case DType::kFloat32: FillFromList<float>(proto.float_val(), n, &t.bytes); break;
    case DType::kFloat64: FillFromList<double>(proto.double_val(), n, &t.bytes); break;
    case DType::kInt32: FillFromList<int32_t>(proto.int_val(), n, &t.bytes); break;
    case DType::kInt16: FillFromList<int16_t>(proto.int_val(), n, &t.bytes); break;
    case DType::kInt8: FillFromList<int8_t>(proto.int_val(), n, &t.bytes); break;
    case DType::kUInt8: FillFromList<uint8_t>(proto.int_val(), n, &t.bytes); break;
    case DType::kUInt16: FillFromList<uint16_t>(proto.int_val(), n, &t.bytes); break;
    case DType::kInt64: FillFromList<int64_t>(proto.int64_val(), n, &t.bytes); break;
    case DType::kUInt32: FillFromList<uint32_t>(proto.uint32_val(), n, &t.bytes); break;
    case DType::kUInt64: FillFromList<uint64_t>(proto.uint64_val(), n, &t.bytes); break;
    case DType::kBool: FillFromList<bool>(proto.bool_val(), n, &t.bytes); break;
    case DType::kFloat16:
    case DType::kBFloat16: FillFromList<uint16_t>(proto.half_val(), n, &t.bytes); break;
    default:
      return Unimplemented(what + ": constant of type " + std::string(DTypeName(dtype)) +
                           " is not supported");
  }
  return t;
}

}  // namespace detlite::tf_import
