#include "exporters/onnx/ops.h"

namespace detlite::onnx_export {

Status CheckArity(const OnnxGraph& g, const ir::Operator& op, size_t min_in, size_t max_in,
                  size_t outs) {
  if (op.inputs.size() < min_in || op.inputs.size() > max_in || op.outputs.size() != outs) {
    return InvalidArgument(g.where() + ": " + std::to_string(op.inputs.size()) + " inputs and " +
                           std::to_string(op.outputs.size()) + " outputs");
  }
  const int32_t n = static_cast<int32_t>(g.sg().tensors.size());
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    if (op.inputs[i] >= n || (op.inputs[i] < 0 && i < min_in)) {
      return InvalidArgument(g.where() + ": input " + std::to_string(i) + " is not a tensor");
    }
  }
  for (int32_t t : op.outputs) {
    if (t < 0 || t >= n) return InvalidArgument(g.where() + ": an output is not a tensor");
  }
  return Status::Ok();
}

std::string ActivationInput(OnnxGraph& g, ir::Activation act, const std::string& out) {
  return act == ir::Activation::kNone ? out : g.FreshName(out + "_preact");
}

Status EmitActivation(OnnxGraph& g, ir::Activation act, const std::string& pre,
                      const std::string& out) {
  auto clip = [&](float lo, float hi) {
    std::string min = g.AddInitializer(out + "_min", {}, {lo});
    std::string max = g.AddInitializer(out + "_max", {}, {hi});
    g.AddNode("Clip", {pre, min, max}, {out});
  };
  switch (act) {
    case ir::Activation::kNone: return Status::Ok();
    case ir::Activation::kRelu: g.AddNode("Relu", {pre}, {out}); return Status::Ok();
    case ir::Activation::kRelu6: clip(0.0f, 6.0f); return Status::Ok();
    case ir::Activation::kReluN1To1: clip(-1.0f, 1.0f); return Status::Ok();
    case ir::Activation::kTanh: g.AddNode("Tanh", {pre}, {out}); return Status::Ok();
    default:
      return Unimplemented(g.where() + ": fused activation " +
                           std::to_string(static_cast<int>(act)) + " has no ONNX export");
  }
}

Status EmitOp(OnnxGraph& g, const ir::Operator& op) {
  // A quantized activation means a quantized model: ONNX export is float.
  for (int32_t t : op.inputs) {
    if (t < 0 || t >= static_cast<int32_t>(g.sg().tensors.size()) || g.IsConstant(t)) continue;
    const ir::Tensor& info = g.tensor(t);
    if (info.dtype != DType::kFloat32) {
      return Unimplemented(g.where() + ": input '" + info.name + "' is " +
                           std::string(DTypeName(info.dtype)) +
                           "; the ONNX exporter writes float models only (export the float model)");
    }
  }
  if (op.kind == ir::OpKind::kQuantize || op.kind == ir::OpKind::kDequantize) {
    return Unimplemented(g.where() + ": a quantized model (float tensors quantized at run time); "
                         "the ONNX exporter writes float models only (export the float model)");
  }
  if (op.kind == ir::OpKind::kCustom) {
    return Unimplemented(g.where() + ": custom op " + op.custom_code +
                         " has no ONNX equivalent; export the model without it" +
                         (op.custom_code == "TFLite_Detection_PostProcess"
                              ? " (its inputs, the raw box encodings and scores, are the "
                                "outputs to compare)"
                              : ""));
  }
  for (auto* family : {&EmitConvFamily, &EmitElementwise, &EmitShapeOp}) {
    ASSIGN_OR_RETURN(bool handled, family(g, op));
    if (handled) return Status::Ok();
  }
  return Unimplemented(g.where() + ": op " + std::string(ir::OpKindName(op.kind)) +
                       " has no ONNX export yet");
}

}  // namespace detlite::onnx_export
