#include "runtime/ops/shape_xnnpack.h"

namespace detlite::runtime {
namespace {

const ir::Tensor* At(const ir::Subgraph& sg, const std::vector<int32_t>& ids, size_t i) {
  if (i >= ids.size() || ids[i] < 0 || static_cast<size_t>(ids[i]) >= sg.tensors.size()) {
    return nullptr;
  }
  return &sg.tensors[static_cast<size_t>(ids[i])];
}

bool SameQuant(const ir::Tensor& a, const ir::Tensor& b) {
  auto scale = [](const ir::Tensor& t) { return t.quant.scale.empty() ? 0.0f : t.quant.scale[0]; };
  auto zp = [](const ir::Tensor& t) { return t.quant.zero_point.empty() ? int64_t{0} : t.quant.zero_point[0]; };
  return scale(a) == scale(b) && zp(a) == zp(b);
}

bool Is8Bit(DType t) { return t == DType::kUInt8 || t == DType::kInt8; }

}  // namespace

bool ShapeOpBreaksXnnpackDelegate(const ir::Subgraph& sg, const ir::Operator& op) {
  const ir::Tensor* in = At(sg, op.inputs, 0);
  const ir::Tensor* out = At(sg, op.outputs, 0);
  if (in == nullptr || out == nullptr || !Is8Bit(in->dtype) || SameQuant(*in, *out)) return false;
  switch (op.kind) {
    case ir::OpKind::kPad:
      return true;
    case ir::OpKind::kDepthToSpace:
      return in->dtype == DType::kInt8;
    case ir::OpKind::kResizeBilinear: {
      const ir::Tensor* size = At(sg, op.inputs, 1);
      return size != nullptr && size->is_constant();
    }
    default:
      return false;
  }
}

}  // namespace detlite::runtime
