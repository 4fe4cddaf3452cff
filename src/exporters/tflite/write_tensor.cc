// Tensors: type, shape, quantization and sparse layout.
#include <algorithm>

#include "exporters/tflite/write_parts.h"

namespace detlite::tflite_export {
namespace {

// The recorded width when every value fits it, else the next that does, so
// an edited tensor still writes correctly.
int IndexWidth(const std::vector<int32_t>& v, int recorded) {
  int32_t lo = 0, hi = 0;
  if (!v.empty()) {
    lo = *std::min_element(v.begin(), v.end());
    hi = *std::max_element(v.begin(), v.end());
  }
  if (lo >= 0 && hi <= 0xff && recorded <= 8) return 8;
  if (lo >= 0 && hi <= 0xffff && recorded <= 16) return 16;
  return 32;
}

std::pair<fb::SparseIndexVector, Offset<void>> IndexVector(
    Builder& b, const std::vector<int32_t>& v, int recorded_width) {
  switch (IndexWidth(v, recorded_width)) {
    case 8: {
      std::vector<uint8_t> n(v.begin(), v.end());
      return {fb::SparseIndexVector::Uint8Vector,
              fb::CreateUint8VectorDirect(b, &n).Union()};
    }
    case 16: {
      std::vector<uint16_t> n(v.begin(), v.end());
      return {fb::SparseIndexVector::Uint16Vector,
              fb::CreateUint16VectorDirect(b, &n).Union()};
    }
    default:
      return {fb::SparseIndexVector::Int32Vector,
              fb::CreateInt32VectorDirect(b, &v).Union()};
  }
}

Offset<fb::SparsityParameters> WriteSparsity(Builder& b,
                                             const SparsityParams& sp) {
  std::vector<Offset<fb::DimensionMetadata>> dims;
  for (const auto& d : sp.dim_metadata) {
    if (!d.sparse_csr) {
      dims.push_back(fb::CreateDimensionMetadata(
          b, fb::DimensionType::DENSE, d.dense_size));
      continue;
    }
    auto [seg_type, seg] = IndexVector(b, d.array_segments, d.segments_width);
    auto [idx_type, idx] = IndexVector(b, d.array_indices, d.indices_width);
    dims.push_back(fb::CreateDimensionMetadata(b, fb::DimensionType::SPARSE_CSR,
                                               d.dense_size, seg_type, seg,
                                               idx_type, idx));
  }
  return fb::CreateSparsityParametersDirect(
      b, &sp.traversal_order, sp.block_map.empty() ? nullptr : &sp.block_map,
      &dims);
}

Offset<fb::QuantizationParameters> WriteQuant(Builder& b, const QuantParams& q) {
  if (q.empty() && q.quantized_dimension == 0) return 0;
  auto opt = [](const auto& v) { return v.empty() ? nullptr : &v; };
  return fb::CreateQuantizationParametersDirect(
      b, opt(q.min), opt(q.max), opt(q.scale), opt(q.zero_point),
      fb::QuantizationDetails::NONE, 0, q.quantized_dimension);
}

}  // namespace

fb::TensorType ToTensorType(DType t) {
  switch (t) {
    case DType::kFloat32: return fb::TensorType::FLOAT32;
    case DType::kFloat16: return fb::TensorType::FLOAT16;
    case DType::kFloat64: return fb::TensorType::FLOAT64;
    case DType::kInt4: return fb::TensorType::INT4;
    case DType::kInt8: return fb::TensorType::INT8;
    case DType::kInt16: return fb::TensorType::INT16;
    case DType::kInt32: return fb::TensorType::INT32;
    case DType::kInt64: return fb::TensorType::INT64;
    case DType::kUInt8: return fb::TensorType::UINT8;
    case DType::kUInt16: return fb::TensorType::UINT16;
    case DType::kUInt32: return fb::TensorType::UINT32;
    case DType::kUInt64: return fb::TensorType::UINT64;
    case DType::kBool: return fb::TensorType::BOOL;
    case DType::kString: return fb::TensorType::STRING;
    case DType::kComplex64: return fb::TensorType::COMPLEX64;
    case DType::kComplex128: return fb::TensorType::COMPLEX128;
    case DType::kResource: return fb::TensorType::RESOURCE;
    case DType::kVariant: return fb::TensorType::VARIANT;
    case DType::kBFloat16: return fb::TensorType::BFLOAT16;
  }
  return fb::TensorType::FLOAT32;  // unreachable: validated before writing
}

Offset<fb::Tensor> WriteTensor(Builder& b, const ir::Tensor& t,
                               uint32_t buffer) {
  auto shape = b.CreateVector(t.shape.dims());
  // std::string overload: a name may hold any bytes, NUL included.
  auto name = t.name.empty() ? 0 : b.CreateString(t.name);
  auto quant = WriteQuant(b, t.quant);
  auto sparsity = t.sparsity ? WriteSparsity(b, *t.sparsity) : 0;
  auto signature =
      t.shape_signature.empty() ? 0 : b.CreateVector(t.shape_signature);
  return fb::CreateTensor(b, shape, ToTensorType(t.dtype), buffer, name, quant,
                          t.is_variable, sparsity, signature, t.has_rank);
}

}  // namespace detlite::tflite_export
