#include "quant/fold_float_weights.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ir/compact.h"
#include "kernels/reference/densify.h"
#include "core/fp16.h"

namespace detlite::quant {
namespace {

Status FoldDensify(ir::Subgraph& sg, const ir::Operator& op) {
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(op.inputs[0])];
  ir::Tensor& out = sg.tensors[static_cast<size_t>(op.outputs[0])];
  if (!in.sparsity) return InvalidArgument("DENSIFY input '" + in.name + "' is not sparse");
  const size_t element = DTypeSize(in.dtype);
  if (element == 0) return InvalidArgument("DENSIFY input '" + in.name + "' has no fixed size");
  kernels::reference::DensifyPlan plan;
  Status s = kernels::reference::PlanDensify(in.shape, *in.sparsity, &plan);
  if (!s.ok()) return s.WithContext("tensor '" + in.name + "'");
  if (in.data->size() < static_cast<size_t>(plan.stored_values) * element) {
    return InvalidArgument("tensor '" + in.name + "' holds fewer values than its sparsity lists");
  }
  auto dense = std::make_shared<ir::Bytes>(static_cast<size_t>(in.shape.NumElements()) * element);
  kernels::reference::Densify(plan, *in.sparsity, in.data->data(), element, dense->data());
  out.data = std::move(dense);
  out.dtype = in.dtype;
  out.shape = in.shape;
  out.sparse_hint = LayoutOf(*in.sparsity);
  return Status::Ok();
}

Status FoldHalf(ir::Subgraph& sg, const ir::Operator& op) {
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(op.inputs[0])];
  ir::Tensor& out = sg.tensors[static_cast<size_t>(op.outputs[0])];
  const size_t n = static_cast<size_t>(in.shape.NumElements());
  if (in.data->size() != n * 2) {
    return InvalidArgument("float16 tensor '" + in.name + "' has " +
                           std::to_string(in.data->size()) + " bytes, expected " +
                           std::to_string(n * 2));
  }
  auto values = std::make_shared<ir::Bytes>(n * 4);
  for (size_t i = 0; i < n; ++i) {
    uint16_t h;
    std::memcpy(&h, in.data->data() + 2 * i, 2);
    const float f = HalfToFloat(h);
    std::memcpy(values->data() + 4 * i, &f, 4);
  }
  out.data = std::move(values);
  out.sparse_hint = in.sparse_hint;
  out.dtype = DType::kFloat32;
  out.quant = {};
  return Status::Ok();
}

Status Fold(ir::Model& model, bool half, int* folded) {
  *folded = 0;
  for (size_t si = 0; si < model.subgraphs.size(); ++si) {
    ir::Subgraph& sg = model.subgraphs[si];
    std::vector<ir::Operator> kept;
    for (ir::Operator& op : sg.ops) {
      const bool unary = op.inputs.size() == 1 && op.outputs.size() == 1 && op.inputs[0] >= 0;
      const bool const_in = unary && sg.tensors[static_cast<size_t>(op.inputs[0])].is_constant();
      if (const_in && op.kind == ir::OpKind::kDensify) {
        RETURN_IF_ERROR(FoldDensify(sg, op));
        ++*folded;
        continue;
      }
      if (const_in && half && op.kind == ir::OpKind::kDequantize) {
        const ir::Tensor& in = sg.tensors[static_cast<size_t>(op.inputs[0])];
        if (in.dtype != DType::kFloat16) {
          return FailedPrecondition("the model is already quantized (constant '" + in.name +
                                    "' is " + std::string(DTypeName(in.dtype)) +
                                    "); quantize its float original instead");
        }
        RETURN_IF_ERROR(FoldHalf(sg, op));
        ++*folded;
        continue;
      }
      kept.push_back(std::move(op));
    }
    sg.ops = std::move(kept);
    ir::CompactTensors(model, static_cast<int>(si));
  }
  return Status::Ok();
}

}  // namespace

Status FoldFloatWeights(ir::Model& model, int* folded) { return Fold(model, true, folded); }

Status FoldSparseWeights(ir::Model& model, int* folded) { return Fold(model, false, folded); }

}  // namespace detlite::quant
