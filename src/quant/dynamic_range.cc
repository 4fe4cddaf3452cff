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

// Why `op` stays float, or "" when it can be quantized.
std::string Blocker(const ir::Subgraph& sg, const ir::Operator& op,
                    const DynamicRangeOptions& options) {
  if (op.inputs.size() < 2 || op.inputs[0] < 0 || op.inputs[1] < 0) return "has no filter";
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(op.inputs[0])];
  const ir::Tensor& w = sg.tensors[static_cast<size_t>(op.inputs[1])];
  if (in.dtype != DType::kFloat32) return "input is not float32";
  if (!w.is_constant() || w.dtype != DType::kFloat32) return "weights are not a float32 constant";
  if (w.sparsity) return "weights are sparse";
  if (w.shape.NumElements() < options.min_elements) {
    return "weights have fewer than " + std::to_string(options.min_elements) + " values";
  }
  // TFLite's hybrid convolutions ignore dilation.
  if (Dilated(op)) return "is dilated";
  for (const std::string& p : options.keep_float) {
    if (KeepFloatMatches(p, sg, op)) return "matches --keep-float " + p;
  }
  return "";
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
  std::map<std::string, int> left;       // reason -> count
  for (ir::Operator& op : sg.ops) {
    const int axis = FilterAxis(op.kind);
    if (axis < 0) continue;
    const std::string why = Blocker(sg, op, options);
    if (!why.empty()) {
      ++stats->ops_left_float;
      ++left[std::string(ir::OpKindName(op.kind)) + " " + why];
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
  for (const auto& [reason, n] : left) {
    stats->notes.push_back("left float: " + std::to_string(n) + "x " + reason);
  }
  ir::CompactTensors(model, 0);
  return Status::Ok();
}

}  // namespace detlite::quant
