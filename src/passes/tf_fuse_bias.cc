#include "passes/tf_fuse_bias.h"

#include "passes/tf_fusion_util.h"

namespace detlite::passes {
namespace {

bool FuseOne(ir::Subgraph& sg, PassContext& ctx) {
  const std::vector<int> uses = UseCounts(sg);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& conv = sg.ops[i];
    if (!IsConvLike(conv) || conv.inputs.size() < 3 || conv.inputs[2] < 0 || !NoActivation(conv)) continue;
    const int32_t channels = OutputChannels(sg, conv);
    const ir::Tensor& bias = sg.tensors[static_cast<size_t>(conv.inputs[2])];
    std::vector<float> bv = FloatValues(bias);
    if (bv.size() != static_cast<size_t>(channels)) continue;
    const int c = SoleConsumer(sg, uses, conv.outputs[0]);
    if (c < 0) continue;
    const ir::Operator& add = sg.ops[static_cast<size_t>(c)];
    const bool is_sub = add.kind == ir::OpKind::kSub;
    if ((add.kind != ir::OpKind::kAdd && !is_sub) || add.inputs.size() != 2 || !NoActivation(add)) continue;
    // SUB only folds as conv - c, not c - conv.
    if (is_sub && add.inputs[0] != conv.outputs[0]) continue;
    const int32_t other = add.inputs[0] == conv.outputs[0] ? add.inputs[1] : add.inputs[0];
    const ir::Tensor& ot = sg.tensors[static_cast<size_t>(other)];
    // The constant must not change the output's shape by broadcasting.
    if (ot.shape.rank() > sg.tensors[static_cast<size_t>(conv.outputs[0])].shape.rank()) continue;
    std::vector<float> v = PerChannelConstant(ot, channels);
    if (v.empty()) continue;
    for (size_t k = 0; k < bv.size(); ++k) bv[k] = is_sub ? bv[k] - v[k] : bv[k] + v[k];
    const int32_t nb = AddFloatConstant(sg, bias.name + "/fused", bias.shape, bv);
    const int32_t out = add.outputs[0];
    ir::Operator& conv2 = sg.ops[i];
    conv2.inputs[2] = nb;
    conv2.outputs[0] = out;
    ctx.log.push_back("fused bias into " + sg.tensors[static_cast<size_t>(out)].name);
    sg.ops.erase(sg.ops.begin() + c);
    return true;
  }
  return false;
}

}  // namespace

Status TfFuseBias::Run(ir::Model& model, PassContext& ctx, bool* changed) {
  *changed = false;
  for (ir::Subgraph& sg : model.subgraphs) {
    while (FuseOne(sg, ctx)) *changed = true;
  }
  return Status::Ok();
}

}  // namespace detlite::passes
