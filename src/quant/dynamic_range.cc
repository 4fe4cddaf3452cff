#include "quant/dynamic_range.h"

#include <map>

#include "ir/compact.h"
#include "quant/op_selection.h"
#include "quant/quantize_constants.h"

namespace detlite::quant {
namespace {

// The filter input and the axis of its output channels, or -1 for ops
// without a hybrid kernel.
int FilterAxis(ir::OpKind kind) {
  switch (kind) {
    case ir::OpKind::kConv2D: return 0;
    case ir::OpKind::kDepthwiseConv2D: return 3;
    case ir::OpKind::kFullyConnected: return 0;
    default: return -1;
  }
}

bool Dilated(const ir::Operator& op) {
  if (const auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) {
    return o->dilation_w != 1 || o->dilation_h != 1;
  }
  if (const auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) {
    return o->dilation_w != 1 || o->dilation_h != 1;
  }
  return false;
}

// Why `op` stays float (reason and detail), or false when it can be quantized.
bool Blocked(const ir::Subgraph& sg, const ir::Operator& op, const DynamicRangeOptions& options,
             KeptFloat* why) {
  why->reason = KeptFloat::Reason::kNotEligible;
  if (op.inputs.size() < 2 || op.inputs[0] < 0 || op.inputs[1] < 0) {
    why->detail = "has no filter";
    return true;
  }
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(op.inputs[0])];
  const ir::Tensor& w = sg.tensors[static_cast<size_t>(op.inputs[1])];
  if (in.dtype != DType::kFloat32) {
    why->detail = "input is not float32";
  } else if (!w.is_constant() || w.dtype != DType::kFloat32) {
    why->detail = "weights are not a float32 constant";
  } else if (w.sparsity) {
    why->detail = "weights are sparse";
  } else if (w.shape.NumElements() < options.min_elements) {
    why->detail = "weights have fewer than " + std::to_string(options.min_elements) + " values";
  } else if (Dilated(op)) {
    why->detail = "is dilated";  // TFLite's hybrid convolutions ignore dilation
  }
  if (!why->detail.empty()) return true;
  for (const std::string& p : options.keep_float) {
    if (KeepFloatMatches(p, sg, op)) {
      why->reason = KeptFloat::Reason::kKeepFloat;
      why->detail = "--keep-float " + p;
      return true;
    }
  }
  return false;
}

}  // namespace

Status QuantizeDynamicRange(ir::Model& model, const DynamicRangeOptions& options,
                            DynamicRangeStats* stats) {
  if (model.subgraphs.size() != 1) {
    return Unimplemented("models with " + std::to_string(model.subgraphs.size()) +
                         " subgraphs cannot be quantized yet");
  }
  ir::Subgraph& sg = model.subgraphs[0];
  std::map<int32_t, int32_t> quantized;  // float weights -> int8 copy
  for (ir::Operator& op : sg.ops) {
    const int axis = FilterAxis(op.kind);
    if (axis < 0) continue;
    KeptFloat why;
    if (Blocked(sg, op, options, &why)) {
      ++stats->ops_left_float;
      why.op = ir::OpKindName(op.kind);
      why.tensor = op.outputs.empty() || op.outputs[0] < 0
                       ? std::string()
                       : sg.tensors[static_cast<size_t>(op.outputs[0])].name;
      stats->kept_float.push_back(std::move(why));
      continue;
    }
    const int32_t w = op.inputs[1];
    auto it = quantized.find(w);
    if (it == quantized.end()) {
      // FULLY_CONNECTED per tensor: per-channel hybrid FC needs TFLite 2.13+.
      const bool per_tensor = op.kind == ir::OpKind::kFullyConnected;
      ASSIGN_OR_RETURN(ir::Tensor q, QuantizeWeights(sg.tensors[static_cast<size_t>(w)],
                                                     axis, per_tensor));
      it = quantized.emplace(w, sg.AddTensor(std::move(q))).first;
    }
    op.inputs[1] = it->second;
    if (auto* fc = std::get_if<ir::FullyConnectedOptions>(&op.options)) {
      fc->asymmetric_quantize_inputs = true;
    }
    ++stats->ops_quantized;
  }
  ir::CompactTensors(model, 0);
  return Status::Ok();
}

}  // namespace detlite::quant
