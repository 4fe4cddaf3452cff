#include "passes/tf_fold_batch_norm.h"

#include "passes/tf_fusion_util.h"

namespace detlite::passes {
namespace {

ir::Activation ActivationOf(const ir::Operator& op) {
  if (auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) return o->activation;
  if (auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) return o->activation;
  if (auto* o = std::get_if<ir::FullyConnectedOptions>(&op.options)) return o->activation;
  if (auto* o = std::get_if<ir::ArithmeticOptions>(&op.options)) return o->activation;
  return ir::Activation::kNone;
}

// One fold; returns whether it found one.
bool FoldOne(ir::Subgraph& sg, PassContext& ctx) {
  const std::vector<int> uses = UseCounts(sg);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    ir::Operator& conv = sg.ops[i];
    if (!IsConvLike(conv) || conv.inputs.size() < 3 || conv.inputs[2] < 0 ||
        ActivationOf(conv) != ir::Activation::kNone) {
      continue;
    }
    const int32_t channels = OutputChannels(sg, conv);
    const ir::Tensor& w = sg.tensors[static_cast<size_t>(conv.inputs[1])];
    std::vector<float> wv = FloatValues(w);
    std::vector<float> bv = FloatValues(sg.tensors[static_cast<size_t>(conv.inputs[2])]);
    if (wv.empty() || bv.size() != static_cast<size_t>(channels) || w.shape.rank() < 2) continue;
    const int c = SoleConsumer(sg, uses, conv.outputs[0]);
    if (c < 0) continue;
    ir::Operator& mul = sg.ops[static_cast<size_t>(c)];
    if (mul.kind != ir::OpKind::kMul || mul.inputs.size() != 2 ||
        ActivationOf(mul) != ir::Activation::kNone) {
      continue;
    }
    const int32_t other = mul.inputs[0] == conv.outputs[0] ? mul.inputs[1] : mul.inputs[0];
    std::vector<float> s = PerChannelConstant(sg.tensors[static_cast<size_t>(other)], channels);
    if (s.empty()) continue;
    // Output channel of a weight element: the last dim for depthwise
    // ([1,H,W,C]), the first for conv (OHWI) and fully connected ([O,I]).
    const bool depthwise = conv.kind == ir::OpKind::kDepthwiseConv2D;
    const size_t inner = depthwise ? 1 : wv.size() / static_cast<size_t>(w.shape.dim(0));
    if (depthwise ? w.shape.dim(w.shape.rank() - 1) != channels : w.shape.dim(0) != channels) continue;
    for (size_t k = 0; k < wv.size(); ++k) {
      const size_t ch = depthwise ? k % static_cast<size_t>(channels) : k / inner;
      wv[k] *= s[ch];
    }
    for (size_t k = 0; k < bv.size(); ++k) bv[k] *= s[k];
    const std::string wname = w.name, bname = sg.tensors[static_cast<size_t>(conv.inputs[2])].name;
    const Shape wshape = w.shape, bshape = sg.tensors[static_cast<size_t>(conv.inputs[2])].shape;
    const int32_t nw = AddFloatConstant(sg, wname + "/bn_folded", wshape, wv);
    const int32_t nb = AddFloatConstant(sg, bname + "/bn_folded", bshape, bv);
    ir::Operator& conv2 = sg.ops[i];
    conv2.inputs[1] = nw;
    conv2.inputs[2] = nb;
    conv2.outputs[0] = sg.ops[static_cast<size_t>(c)].outputs[0];
    ctx.log.push_back("folded MUL into " + sg.tensors[static_cast<size_t>(conv2.outputs[0])].name);
    sg.ops.erase(sg.ops.begin() + c);
    return true;
  }
  return false;
}

}  // namespace

Status TfFoldBatchNorm::Run(ir::Model& model, PassContext& ctx, bool* changed) {
  *changed = false;
  for (ir::Subgraph& sg : model.subgraphs) {
    while (FoldOne(sg, ctx)) *changed = true;
  }
  return Status::Ok();
}

}  // namespace detlite::passes
