// Elementwise ops keep the layout their activations arrive in (so a residual
// ADD between two NCHW convs stays NCHW); constants broadcast against an
// NCHW activation are permuted to match (onnx_graph.cc). SOFTMAX runs on the
// IR's last axis.
#include "exporters/onnx/ops.h"

namespace detlite::onnx_export {
namespace {

// NCHW when every non-constant input is rank 4, one of them already NCHW,
// and the output is rank 4; the IR's own layout otherwise.
Layout ChooseLayout(OnnxGraph& g, const ir::Operator& op) {
  bool any_nchw = false;
  for (int32_t t : op.inputs) {
    if (t < 0) continue;
    const ir::Tensor& info = g.tensor(t);
    if (g.IsConstant(t)) {
      if (info.shape.rank() > 4) return Layout::kIr;
      continue;
    }
    if (info.shape.rank() != 4) return Layout::kIr;
    any_nchw = any_nchw || g.LayoutOf(t) == Layout::kNchw;
  }
  return any_nchw && g.tensor(op.outputs[0]).shape.rank() == 4 ? Layout::kNchw : Layout::kIr;
}

StatusOr<std::vector<std::string>> Inputs(OnnxGraph& g, const ir::Operator& op, Layout layout) {
  std::vector<std::string> names;
  for (int32_t t : op.inputs) {
    ASSIGN_OR_RETURN(std::string n, g.Value(t, layout));
    names.push_back(std::move(n));
  }
  return names;
}

ir::Activation FusedActivation(const ir::Operator& op) {
  if (const auto* o = std::get_if<ir::ArithmeticOptions>(&op.options)) return o->activation;
  return ir::Activation::kNone;
}

Status EmitBinary(OnnxGraph& g, const ir::Operator& op, const char* onnx_op) {
  RETURN_IF_ERROR(CheckArity(g, op, 2, 2, 1));
  const Layout layout = ChooseLayout(g, op);
  ASSIGN_OR_RETURN(std::vector<std::string> in, Inputs(g, op, layout));
  const ir::Activation act = FusedActivation(op);
  const std::string y = g.Produce(op.outputs[0], layout);
  const std::string pre = ActivationInput(g, act, y);
  g.AddNode(onnx_op, in, {pre});
  return EmitActivation(g, act, pre, y);
}

Status EmitUnary(OnnxGraph& g, const ir::Operator& op) {
  RETURN_IF_ERROR(CheckArity(g, op, 1, 1, 1));
  const Layout layout = ChooseLayout(g, op);
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], layout));
  const std::string y = g.Produce(op.outputs[0], layout);
  switch (op.kind) {
    case ir::OpKind::kLogistic: g.AddNode("Sigmoid", {x}, {y}); break;
    case ir::OpKind::kTanh: g.AddNode("Tanh", {x}, {y}); break;
    case ir::OpKind::kExp: g.AddNode("Exp", {x}, {y}); break;
    case ir::OpKind::kLog: g.AddNode("Log", {x}, {y}); break;
    case ir::OpKind::kSqrt: g.AddNode("Sqrt", {x}, {y}); break;
    case ir::OpKind::kAbs: g.AddNode("Abs", {x}, {y}); break;
    case ir::OpKind::kNeg: g.AddNode("Neg", {x}, {y}); break;
    case ir::OpKind::kRelu: return EmitActivation(g, ir::Activation::kRelu, x, y);
    case ir::OpKind::kRelu6: return EmitActivation(g, ir::Activation::kRelu6, x, y);
    case ir::OpKind::kReluN1To1: return EmitActivation(g, ir::Activation::kReluN1To1, x, y);
    case ir::OpKind::kLeakyRelu: {
      const auto* o = std::get_if<ir::LeakyReluOptions>(&op.options);
      if (!o) return InvalidArgument(g.where() + ": missing options");
      OnnxGraph::SetFloat(g.AddNode("LeakyRelu", {x}, {y}), "alpha", o->alpha);
      break;
    }
    case ir::OpKind::kHardSwish: {
      // x * relu6(x + 3) / 6, as x * HardSigmoid(x) with alpha 1/6, beta 1/2.
      std::string gate = g.FreshName(y + "_gate");
      onnx::NodeProto* n = g.AddNode("HardSigmoid", {x}, {gate});
      OnnxGraph::SetFloat(n, "alpha", 1.0f / 6.0f);
      OnnxGraph::SetFloat(n, "beta", 0.5f);
      g.AddNode("Mul", {x, gate}, {y});
      break;
    }
    default:
      return Internal(g.where() + ": not a unary op");
  }
  return Status::Ok();
}

Status EmitSoftmax(OnnxGraph& g, const ir::Operator& op) {
  RETURN_IF_ERROR(CheckArity(g, op, 1, 1, 1));
  const auto* o = std::get_if<ir::SoftmaxOptions>(&op.options);
  const float beta = o ? o->beta : 1.0f;
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kIr));
  const std::string y = g.Produce(op.outputs[0], Layout::kIr);
  if (beta != 1.0f) {
    std::string scaled = g.FreshName(y + "_scaled");
    g.AddNode("Mul", {x, g.AddInitializer(y + "_beta", {}, {beta})}, {scaled});
    x = scaled;
  }
  OnnxGraph::SetInt(g.AddNode("Softmax", {x}, {y}), "axis", -1);
  return Status::Ok();
}

}  // namespace

StatusOr<bool> EmitElementwise(OnnxGraph& g, const ir::Operator& op) {
  switch (op.kind) {
    case ir::OpKind::kAdd: RETURN_IF_ERROR(EmitBinary(g, op, "Add")); return true;
    case ir::OpKind::kSub: RETURN_IF_ERROR(EmitBinary(g, op, "Sub")); return true;
    case ir::OpKind::kMul: RETURN_IF_ERROR(EmitBinary(g, op, "Mul")); return true;
    case ir::OpKind::kDiv: RETURN_IF_ERROR(EmitBinary(g, op, "Div")); return true;
    case ir::OpKind::kMaximum: RETURN_IF_ERROR(EmitBinary(g, op, "Max")); return true;
    case ir::OpKind::kMinimum: RETURN_IF_ERROR(EmitBinary(g, op, "Min")); return true;
    case ir::OpKind::kPrelu: RETURN_IF_ERROR(EmitBinary(g, op, "PRelu")); return true;
    case ir::OpKind::kLogistic:
    case ir::OpKind::kTanh:
    case ir::OpKind::kExp:
    case ir::OpKind::kLog:
    case ir::OpKind::kSqrt:
    case ir::OpKind::kAbs:
    case ir::OpKind::kNeg:
    case ir::OpKind::kRelu:
    case ir::OpKind::kRelu6:
    case ir::OpKind::kReluN1To1:
    case ir::OpKind::kLeakyRelu:
    case ir::OpKind::kHardSwish:
      RETURN_IF_ERROR(EmitUnary(g, op));
      return true;
    case ir::OpKind::kSoftmax: RETURN_IF_ERROR(EmitSoftmax(g, op)); return true;
    default: return false;
  }
}

}  // namespace detlite::onnx_export
