// Constants as the ONNX graph stores them: fp32 only. fp16 weights, the
// DEQUANTIZE that widens them (or dequantizes int8 weights) and the DENSIFY
// that expands sparse ones are computed here once, so the ONNX graph holds
// plain fp32 initializers and none of those ops.
#include <cstring>

#include "core/fp16.h"
#include "exporters/onnx/onnx_graph.h"
#include "kernels/reference/densify.h"

namespace detlite::onnx_export {
namespace {

// The tensor's dense bytes (sparse storage expanded), size-checked.
StatusOr<ir::Bytes> DenseBytes(const ir::Tensor& t, const std::string& where) {
  const size_t width = DTypeSize(t.dtype);
  const int64_t n = t.shape.NumElements();
  if (width == 0 || n < 0) {
    return InvalidArgument(where + ": constant '" + t.name + "' has type " +
                           std::string(DTypeName(t.dtype)) + " or shape " + t.shape.ToString() +
                           " the ONNX exporter cannot read");
  }
  if (!t.sparsity) {
    if (t.data->size() != static_cast<size_t>(n) * width) {
      return InvalidArgument(where + ": constant '" + t.name + "' holds " +
                             std::to_string(t.data->size()) + " bytes, its shape " +
                             t.shape.ToString() + " needs " + std::to_string(n * width));
    }
    return *t.data;
  }
  kernels::reference::DensifyPlan plan;
  Status s = kernels::reference::PlanDensify(t.shape, *t.sparsity, &plan);
  if (!s.ok()) return s.WithContext(where + ": constant '" + t.name + "'");
  if (t.data->size() != static_cast<size_t>(plan.stored_values) * width) {
    return InvalidArgument(where + ": sparse constant '" + t.name + "' holds " +
                           std::to_string(t.data->size()) + " bytes, its sparsity needs " +
                           std::to_string(plan.stored_values * static_cast<int64_t>(width)));
  }
  ir::Bytes dense(static_cast<size_t>(n) * width);
  kernels::reference::Densify(plan, *t.sparsity, t.data->data(), width, dense.data());
  return dense;
}

std::vector<float> BytesToFloat(const ir::Bytes& b, DType dtype) {
  std::vector<float> out;
  if (dtype == DType::kFloat32) {
    out.resize(b.size() / 4);
    std::memcpy(out.data(), b.data(), out.size() * 4);
  } else {  // kFloat16
    out.resize(b.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
      uint16_t h;
      std::memcpy(&h, b.data() + 2 * i, 2);
      out[i] = HalfToFloat(h);
    }
  }
  return out;
}

// (q - zero_point) * scale, per tensor or per axis.
StatusOr<std::vector<float>> Dequantize(const ir::Tensor& t, const ir::Bytes& b,
                                        const std::string& where) {
  const QuantParams& q = t.quant;
  const int rank = t.shape.rank();
  const size_t channels = q.scale.size();
  if (channels == 0 || q.zero_point.size() != channels ||
      (channels > 1 && (q.quantized_dimension < 0 || q.quantized_dimension >= rank ||
                        static_cast<size_t>(t.shape.dim(q.quantized_dimension)) != channels))) {
    return InvalidArgument(where + ": constant '" + t.name + "' has inconsistent quantization");
  }
  const int64_t n = t.shape.NumElements();
  const int64_t inner = channels > 1 ? t.shape.FlatSize(q.quantized_dimension + 1, rank) : 1;
  std::vector<float> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    int64_t v;
    switch (t.dtype) {
      case DType::kInt8: v = static_cast<int8_t>(b[static_cast<size_t>(i)]); break;
      case DType::kUInt8: v = b[static_cast<size_t>(i)]; break;
      case DType::kInt16: {
        int16_t x;
        std::memcpy(&x, b.data() + 2 * i, 2);
        v = x;
        break;
      }
      default:
        return Unimplemented(where + ": DEQUANTIZE of a " + std::string(DTypeName(t.dtype)) + " constant");
    }
    const size_t c = channels > 1 ? static_cast<size_t>((i / inner) % static_cast<int64_t>(channels)) : 0;
    out[static_cast<size_t>(i)] = static_cast<float>(v - q.zero_point[c]) * q.scale[c];
  }
  return out;
}

}  // namespace

bool OnnxGraph::IsConstant(int32_t t) const {
  return folded_.count(t) != 0 || tensor(t).data != nullptr;
}

StatusOr<const std::vector<float>*> OnnxGraph::FloatConstant(int32_t t) {
  if (auto it = folded_.find(t); it != folded_.end()) return &it->second;
  const ir::Tensor& info = tensor(t);
  if (!info.data) return static_cast<const std::vector<float>*>(nullptr);
  if (info.dtype != DType::kFloat32 && info.dtype != DType::kFloat16) {
    return Unimplemented(where_ + ": constant '" + info.name + "' is " +
                         std::string(DTypeName(info.dtype)) +
                         " (a quantized model); the ONNX exporter writes float models only");
  }
  ASSIGN_OR_RETURN(ir::Bytes dense, DenseBytes(info, where_));
  return &(folded_[t] = BytesToFloat(dense, info.dtype));
}

StatusOr<std::vector<int64_t>> OnnxGraph::IntConstant(int32_t t) const {
  const ir::Tensor& info = tensor(t);
  if (!info.data || (info.dtype != DType::kInt32 && info.dtype != DType::kInt64)) {
    return Unimplemented(where_ + ": tensor '" + info.name + "' must be a constant int32 or int64");
  }
  ASSIGN_OR_RETURN(ir::Bytes dense, DenseBytes(info, where_));
  const size_t width = DTypeSize(info.dtype);
  std::vector<int64_t> out(dense.size() / width);
  for (size_t i = 0; i < out.size(); ++i) {
    if (width == 4) {
      int32_t v;
      std::memcpy(&v, dense.data() + 4 * i, 4);
      out[i] = v;
    } else {
      std::memcpy(&out[i], dense.data() + 8 * i, 8);
    }
  }
  return out;
}

StatusOr<bool> OnnxGraph::FoldConstantOp(const ir::Operator& op) {
  const bool dequantize = op.kind == ir::OpKind::kDequantize;
  if ((!dequantize && op.kind != ir::OpKind::kDensify) || op.inputs.size() != 1 ||
      op.outputs.size() != 1 || op.inputs[0] < 0 || !IsConstant(op.inputs[0])) {
    return false;
  }
  const int32_t in = op.inputs[0];
  const ir::Tensor& info = tensor(in);
  if (folded_.count(in) == 0 && IsQuantizedIntType(info.dtype)) {
    if (!dequantize) return Unimplemented(where_ + ": DENSIFY of a quantized constant");
    ASSIGN_OR_RETURN(ir::Bytes dense, DenseBytes(info, where_));
    ASSIGN_OR_RETURN(folded_[op.outputs[0]], Dequantize(info, dense, where_));
    return true;
  }
  ASSIGN_OR_RETURN(const std::vector<float>* v, FloatConstant(in));
  const ir::Tensor& out = tensor(op.outputs[0]);
  if (static_cast<int64_t>(v->size()) != out.shape.NumElements()) {
    return InvalidArgument(where_ + ": '" + out.name + "' has shape " + out.shape.ToString() +
                           " but its constant input holds " + std::to_string(v->size()) + " values");
  }
  folded_[op.outputs[0]] = *v;
  return true;
}

}  // namespace detlite::onnx_export
