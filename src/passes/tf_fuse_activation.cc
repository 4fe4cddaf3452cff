#include "passes/tf_fuse_activation.h"

#include "passes/tf_fusion_util.h"

namespace detlite::passes {
namespace {

ir::Activation* MutableActivation(ir::Operator& op) {
  if (auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) return &o->activation;
  if (auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) return &o->activation;
  if (auto* o = std::get_if<ir::FullyConnectedOptions>(&op.options)) return &o->activation;
  if (op.kind == ir::OpKind::kAdd || op.kind == ir::OpKind::kSub || op.kind == ir::OpKind::kMul ||
      op.kind == ir::OpKind::kDiv) {
    if (auto* o = std::get_if<ir::ArithmeticOptions>(&op.options)) return &o->activation;
  }
  return nullptr;
}

bool ActivationFor(ir::OpKind kind, ir::Activation* a) {
  switch (kind) {
    case ir::OpKind::kRelu: *a = ir::Activation::kRelu; return true;
    case ir::OpKind::kRelu6: *a = ir::Activation::kRelu6; return true;
    case ir::OpKind::kReluN1To1: *a = ir::Activation::kReluN1To1; return true;
    default: return false;
  }
}

bool FuseOne(ir::Subgraph& sg, PassContext& ctx) {
  const std::vector<int> uses = UseCounts(sg);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    ir::Operator& op = sg.ops[i];
    ir::Activation* act = MutableActivation(op);
    if (!act || *act != ir::Activation::kNone || op.outputs.size() != 1) continue;
    if (sg.tensors[static_cast<size_t>(op.outputs[0])].dtype != DType::kFloat32) continue;
    const int c = SoleConsumer(sg, uses, op.outputs[0]);
    if (c < 0) continue;
    ir::Activation fused;
    if (!ActivationFor(sg.ops[static_cast<size_t>(c)].kind, &fused)) continue;
    *act = fused;
    op.outputs[0] = sg.ops[static_cast<size_t>(c)].outputs[0];
    ctx.log.push_back("fused " + std::string(ir::OpKindName(sg.ops[static_cast<size_t>(c)].kind)) +
                      " into " + sg.tensors[static_cast<size_t>(op.outputs[0])].name);
    sg.ops.erase(sg.ops.begin() + c);
    return true;
  }
  return false;
}

}  // namespace

Status TfFuseActivation::Run(ir::Model& model, PassContext& ctx, bool* changed) {
  *changed = false;
  for (ir::Subgraph& sg : model.subgraphs) {
    while (FuseOne(sg, ctx)) *changed = true;
  }
  return Status::Ok();
}

}  // namespace detlite::passes
