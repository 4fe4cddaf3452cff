// Tensors: type, shape, quantization, sparsity and constant data, each
// checked against the others before it is trusted.
#include <cstring>
#include <limits>

#include "importers/tflite/read_parts.h"

namespace detlite::tflite_import {
namespace {

Status ReadShape(const ReadContext& ctx, const fb::Tensor& t,
                 const std::string& who, bool ranks_explicit, ir::Tensor* out) {
  const auto* dims = t.shape();
  const size_t rank = dims ? dims->size() : 0;
  if (rank > static_cast<size_t>(kMaxRank)) {
    return ctx.Corrupt(who + " has rank " + std::to_string(rank) +
                       ", more than the " + std::to_string(kMaxRank) +
                       " detlite accepts");
  }
  out->shape = Shape(ToVector<int32_t>(dims));
  for (int32_t d : out->shape.dims()) {
    if (d < 0) {
      return ctx.Corrupt(who + " has shape " + out->shape.ToString() +
                         " with a negative dimension (only shape_signature "
                         "may mark dynamic dimensions)");
    }
  }
  if (out->shape.NumElements() < 0) {
    return ctx.Corrupt(who + " has shape " + out->shape.ToString() +
                       " whose element count overflows");
  }
  out->shape_signature = ToVector<int32_t>(t.shape_signature());
  if (!out->shape_signature.empty()) {
    if (out->shape_signature.size() != rank) {
      return ctx.Corrupt(who + " has shape " + out->shape.ToString() +
                         " but a shape_signature of rank " +
                         std::to_string(out->shape_signature.size()));
    }
    for (int32_t d : out->shape_signature) {
      if (d < -1) {
        return ctx.Corrupt(who + " has shape_signature dimension " +
                           std::to_string(d) + " (only -1 may be negative)");
      }
    }
  }
  out->has_rank = t.has_rank() || rank > 0 || !ranks_explicit;
  return Status::Ok();
}

// Bytes a dense tensor of `n` elements needs; 0 for types with no fixed
// element size.
uint64_t DenseBytes(DType type, int64_t n) {
  if (type == DType::kInt4) return (static_cast<uint64_t>(n) + 1) / 2;
  return static_cast<uint64_t>(n) * DTypeSize(type);
}

Status ReadQuant(ReadContext& ctx, const fb::Tensor& t, const std::string& who,
                 ir::Tensor* out) {
  const fb::QuantizationParameters* q = t.quantization();
  if (q == nullptr) return Status::Ok();
  QuantParams& qp = out->quant;
  qp.scale = ToVector<float>(q->scale());
  qp.zero_point = ToVector<int64_t>(q->zero_point());
  qp.min = ToVector<float>(q->min());
  qp.max = ToVector<float>(q->max());
  qp.quantized_dimension = q->quantized_dimension();
  if (q->details_type() != fb::QuantizationDetails::NONE) {
    if (q->details_type() != fb::QuantizationDetails::CustomQuantization) {
      return ctx.Corrupt(who + " has unknown quantization details type " +
                         std::to_string(static_cast<int>(q->details_type())));
    }
    ctx.NoteUnsupported(who + ": custom quantization details");
  }
  if (!qp.zero_point.empty() && qp.zero_point.size() != qp.scale.size()) {
    return ctx.Corrupt(who + " has " + std::to_string(qp.scale.size()) +
                       " quantization scales but " +
                       std::to_string(qp.zero_point.size()) + " zero points");
  }
  const int rank = out->shape.rank();
  const int32_t qd = qp.quantized_dimension;
  const bool qd_ok = qd == 0 || (qd > 0 && qd < rank);
  if (!qd_ok) {
    return ctx.Corrupt(who + " has quantized_dimension " + std::to_string(qd) +
                       " for a tensor of rank " + std::to_string(rank));
  }
  if (qp.scale.size() > 1) {
    if (rank == 0 || static_cast<int64_t>(qp.scale.size()) !=
                         out->shape.dim(qd)) {
      return ctx.Corrupt(
          who + " has " + std::to_string(qp.scale.size()) +
          " per-axis scales along dimension " + std::to_string(qd) +
          " of shape " + out->shape.ToString());
    }
  }
  return Status::Ok();
}

// A string tensor's buffer: int32 count N, N+1 int32 offsets from the start
// of the buffer, then the characters; offsets must rise to the buffer end.
Status CheckStringBuffer(const ReadContext& ctx, const ir::Bytes& b,
                         int64_t elements, const std::string& who) {
  auto read_i32 = [&b](size_t at) {
    int32_t v;
    std::memcpy(&v, b.data() + at, 4);
    return v;
  };
  const Status bad = ctx.Corrupt(who + " has a malformed string buffer of " +
                                 std::to_string(b.size()) + " bytes");
  if (b.size() < 4) return bad;
  const int64_t n = read_i32(0);
  if (n != elements) {
    return ctx.Corrupt(who + " holds " + std::to_string(n) +
                       " strings, its shape " + std::string("needs ") +
                       std::to_string(elements));
  }
  const uint64_t header = 4 * (static_cast<uint64_t>(n) + 2);
  if (header > b.size()) return bad;
  int64_t prev = static_cast<int64_t>(header);
  if (read_i32(4) != prev) return bad;
  for (int64_t i = 1; i <= n; ++i) {
    const int64_t off = read_i32(4 + 4 * static_cast<size_t>(i));
    if (off < prev) return bad;
    prev = off;
  }
  if (prev != static_cast<int64_t>(b.size())) return bad;
  return Status::Ok();
}

Status ReadData(ReadContext& ctx, const fb::Tensor& t, const std::string& who,
                int64_t stored_values, ir::Tensor* out) {
  ASSIGN_OR_RETURN(ir::ConstBytes bytes, ctx.Buffer(t.buffer(), who));
  if (bytes == nullptr) {
    if (out->sparsity) return ctx.Corrupt(who + " is sparse but has no data");
    return Status::Ok();
  }
  const int64_t n = out->sparsity ? stored_values : out->shape.NumElements();
  if (out->dtype == DType::kString) {
    RETURN_IF_ERROR(CheckStringBuffer(ctx, *bytes, n, who));
  } else if (DTypeSize(out->dtype) > 0 || out->dtype == DType::kInt4) {
    const uint64_t need = DenseBytes(out->dtype, n);
    if (bytes->size() != need) {
      return ctx.Corrupt(
          who + " has " + std::to_string(bytes->size()) + " bytes, " +
          (out->sparsity ? std::to_string(n) + " stored values of "
                         : "shape " + out->shape.ToString() + " ") +
          std::string(DTypeName(out->dtype)) + " needs " +
          std::to_string(need));
    }
  }
  out->data = std::move(bytes);
  return Status::Ok();
}

}  // namespace

StatusOr<DType> ReadDType(const ReadContext& ctx, fb::TensorType t,
                          const std::string& who) {
  switch (t) {
    case fb::TensorType::FLOAT32: return DType::kFloat32;
    case fb::TensorType::FLOAT16: return DType::kFloat16;
    case fb::TensorType::INT32: return DType::kInt32;
    case fb::TensorType::UINT8: return DType::kUInt8;
    case fb::TensorType::INT64: return DType::kInt64;
    case fb::TensorType::STRING: return DType::kString;
    case fb::TensorType::BOOL: return DType::kBool;
    case fb::TensorType::INT16: return DType::kInt16;
    case fb::TensorType::COMPLEX64: return DType::kComplex64;
    case fb::TensorType::INT8: return DType::kInt8;
    case fb::TensorType::FLOAT64: return DType::kFloat64;
    case fb::TensorType::COMPLEX128: return DType::kComplex128;
    case fb::TensorType::UINT64: return DType::kUInt64;
    case fb::TensorType::RESOURCE: return DType::kResource;
    case fb::TensorType::VARIANT: return DType::kVariant;
    case fb::TensorType::UINT32: return DType::kUInt32;
    case fb::TensorType::UINT16: return DType::kUInt16;
    case fb::TensorType::INT4: return DType::kInt4;
    case fb::TensorType::BFLOAT16: return DType::kBFloat16;
  }
  return ctx.Corrupt(who + " has unknown tensor type " +
                     std::to_string(static_cast<int>(t)));
}

StatusOr<ir::Tensor> ReadTensor(ReadContext& ctx, const fb::Tensor& t,
                                const std::string& who, bool ranks_explicit) {
  ir::Tensor out;
  out.name = ToString(t.name());
  ASSIGN_OR_RETURN(out.dtype, ReadDType(ctx, t.type(), who));
  RETURN_IF_ERROR(ReadShape(ctx, t, who, ranks_explicit, &out));
  // Compared as an element count so the byte count is never computed from
  // an unchecked product.
  const size_t elem = DTypeSize(out.dtype);
  const uint64_t max_elements =
      elem > 0 ? kMaxTensorBytes / elem : kMaxTensorBytes;
  if (static_cast<uint64_t>(out.shape.NumElements()) > max_elements) {
    return ctx.Unsupported(who + " of shape " + out.shape.ToString() + " " +
                           std::string(DTypeName(out.dtype)) +
                           " is larger than the 4 GiB detlite supports");
  }
  RETURN_IF_ERROR(ReadQuant(ctx, t, who, &out));
  out.is_variable = t.is_variable();
  int64_t stored = 0;
  if (t.sparsity() != nullptr) {
    ASSIGN_OR_RETURN(out.sparsity, ReadSparsity(ctx, *t.sparsity(), out.shape,
                                                who, &stored));
  }
  RETURN_IF_ERROR(ReadData(ctx, t, who, stored, &out));
  if (t.variant_tensors() != nullptr && t.variant_tensors()->size() > 0) {
    ctx.NoteUnsupported(who + ": variant sub-types");
  }
  return out;
}

}  // namespace detlite::tflite_import
