#include "passes/tf_fold_residual_bias.h"

#include "passes/tf_fusion_util.h"

namespace detlite::passes {
namespace {

bool IsAddOrSub(const ir::Operator& op) {
  return (op.kind == ir::OpKind::kAdd || op.kind == ir::OpKind::kSub) &&
         op.inputs.size() == 2 && op.outputs.size() == 1;
}

// The conv-like op with a float bias and no activation that writes `t` and
// whose only reader is op `reader`; -1 if none.
int BiasedConvFeeding(const ir::Subgraph& sg, const std::vector<int>& uses,
                      const std::vector<int>& producers, int32_t t, int reader) {
  if (t < 0) return -1;
  const int p = producers[static_cast<size_t>(t)];
  if (p < 0 || SoleConsumer(sg, uses, t) != reader) return -1;
  const ir::Operator& conv = sg.ops[static_cast<size_t>(p)];
  if (!IsConvLike(conv) || conv.inputs.size() < 3 || conv.inputs[2] < 0 ||
      !NoActivation(conv)) {
    return -1;
  }
  return p;
}

bool FoldOne(ir::Subgraph& sg, PassContext& ctx) {
  const std::vector<int> uses = UseCounts(sg);
  const std::vector<int> producers = Producers(sg);
  for (size_t o = 0; o < sg.ops.size(); ++o) {
    const ir::Operator& outer = sg.ops[o];
    if (!IsAddOrSub(outer)) continue;
    const bool is_sub = outer.kind == ir::OpKind::kSub;
    // ADD(sum, c), ADD(c, sum) or SUB(sum, c), with c a constant.
    for (int side = 0; side < (is_sub ? 1 : 2); ++side) {
      const int32_t sum = outer.inputs[static_cast<size_t>(side)];
      const int32_t cst = outer.inputs[static_cast<size_t>(1 - side)];
      if (sum < 0 || cst < 0) continue;
      const int n = producers[static_cast<size_t>(sum)];
      if (n < 0 || SoleConsumer(sg, uses, sum) != static_cast<int>(o)) continue;
      const ir::Operator& inner = sg.ops[static_cast<size_t>(n)];
      if (inner.kind != ir::OpKind::kAdd || !IsAddOrSub(inner) || !NoActivation(inner)) continue;
      const Shape& out_shape = sg.tensors[static_cast<size_t>(outer.outputs[0])].shape;
      if (!(sg.tensors[static_cast<size_t>(sum)].shape == out_shape)) continue;
      int conv_at = -1;
      for (int32_t in : inner.inputs) {
        const int p = BiasedConvFeeding(sg, uses, producers, in, n);
        if (p >= 0 && sg.tensors[static_cast<size_t>(in)].shape == out_shape) {
          conv_at = p;
          break;
        }
      }
      if (conv_at < 0) continue;
      const ir::Operator& conv = sg.ops[static_cast<size_t>(conv_at)];
      const int32_t channels = OutputChannels(sg, conv);
      const ir::Tensor& ct = sg.tensors[static_cast<size_t>(cst)];
      if (ct.shape.rank() > out_shape.rank()) continue;
      const std::vector<float> v = PerChannelConstant(ct, channels);
      const ir::Tensor& bias = sg.tensors[static_cast<size_t>(conv.inputs[2])];
      std::vector<float> bv = FloatValues(bias);
      if (v.empty() || bv.size() != static_cast<size_t>(channels)) continue;
      for (size_t k = 0; k < bv.size(); ++k) bv[k] = is_sub ? bv[k] - v[k] : bv[k] + v[k];
      const int32_t nb = AddFloatConstant(sg, bias.name + "/residual_fused", bias.shape, bv);
      sg.ops[static_cast<size_t>(conv_at)].inputs[2] = nb;
      ir::Operator& inner2 = sg.ops[static_cast<size_t>(n)];
      inner2.outputs[0] = outer.outputs[0];
      inner2.options = outer.options;  // the outer ADD's activation, if any
      ctx.log.push_back("folded residual bias into " +
                        sg.tensors[static_cast<size_t>(conv.outputs[0])].name);
      sg.ops.erase(sg.ops.begin() + static_cast<std::ptrdiff_t>(o));
      return true;
    }
  }
  return false;
}

}  // namespace

Status TfFoldResidualBias::Run(ir::Model& model, PassContext& ctx, bool* changed) {
  *changed = false;
  for (ir::Subgraph& sg : model.subgraphs) {
    while (FoldOne(sg, ctx)) *changed = true;
  }
  return Status::Ok();
}

}  // namespace detlite::passes
