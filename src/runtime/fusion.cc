#include "runtime/fusion.h"

#include <cstdint>
#include <limits>

#include "runtime/ops/elementwise_common.h"

namespace detlite::runtime {
namespace {

struct Graph {
  std::vector<int> producer;               // per tensor, -1 if none
  std::vector<std::vector<int>> consumers;  // per tensor
  std::vector<bool> is_output;
};

Graph Index(const ir::Subgraph& sg, const std::vector<bool>& folded) {
  Graph g;
  g.producer.assign(sg.tensors.size(), -1);
  g.consumers.resize(sg.tensors.size());
  g.is_output.assign(sg.tensors.size(), false);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t t : sg.ops[i].inputs) {
      if (t >= 0) g.consumers[static_cast<size_t>(t)].push_back(static_cast<int>(i));
    }
    if (folded[i]) continue;
    for (int32_t t : sg.ops[i].outputs) g.producer[static_cast<size_t>(t)] = static_cast<int>(i);
  }
  for (int32_t t : sg.outputs) g.is_output[static_cast<size_t>(t)] = true;
  return g;
}

// The one op reading `t`, when nothing else (nor the caller) sees it.
int SoleConsumer(const Graph& g, int32_t t) {
  const auto& c = g.consumers[static_cast<size_t>(t)];
  return c.size() == 1 && !g.is_output[static_cast<size_t>(t)] ? c[0] : -1;
}

bool ReadyBefore(const Graph& g, int32_t t, int op) {
  return g.producer[static_cast<size_t>(t)] < op;
}

// PAD's input when `pad` only appends zero channels to a float tensor.
int32_t ChannelPadSource(const ir::Operator& pad,
                         const std::vector<TensorRef>& tensors) {
  if (pad.kind != ir::OpKind::kPad || pad.inputs.size() != 2) return -1;
  const TensorRef& in = tensors[static_cast<size_t>(pad.inputs[0])];
  const TensorRef& p = tensors[static_cast<size_t>(pad.inputs[1])];
  const int rank = in.shape.rank();
  if (in.dtype != DType::kFloat32 || rank < 1 || !p.is_constant ||
      p.NumElements() != 2 * rank) {
    return -1;
  }
  for (int i = 0; i < 2 * rank; ++i) {
    int64_t v;
    if (p.dtype == DType::kInt32) {
      v = p.Data<int32_t>()[i];
    } else if (p.dtype == DType::kInt64) {
      v = p.Data<int64_t>()[i];
    } else {
      return -1;
    }
    // Only the last dimension's "after" may be non-zero.
    if (v != 0 && i != 2 * rank - 1) return -1;
    if (v < 0) return -1;
  }
  return pad.inputs[0];
}

// The clamp of a standalone float activation op, as its kernel applies it.
bool ClampOf(ir::OpKind kind, float* lo, float* hi) {
  const float inf = std::numeric_limits<float>::infinity();
  switch (kind) {
    case ir::OpKind::kRelu: *lo = 0.0f; *hi = inf; return true;
    case ir::OpKind::kRelu6: *lo = 0.0f; *hi = 6.0f; return true;
    case ir::OpKind::kReluN1To1: *lo = -1.0f; *hi = 1.0f; return true;
    case ir::OpKind::kRelu0To1: *lo = 0.0f; *hi = 1.0f; return true;
    default: return false;
  }
}

// The ADD's own fused activation, with the bounds its kernel uses.
bool AddActivation(const ir::Operator& add, float* lo, float* hi,
                   bool* has_activation) {
  ir::Activation a = ir::Activation::kNone;
  if (const auto* o = std::get_if<ir::ArithmeticOptions>(&add.options)) {
    a = o->activation;
  } else if (!std::holds_alternative<std::monostate>(add.options)) {
    return false;
  }
  kernels::FusedActivation act;
  switch (a) {
    case ir::Activation::kNone: act = kernels::FusedActivation::kNone; break;
    case ir::Activation::kRelu: act = kernels::FusedActivation::kRelu; break;
    case ir::Activation::kRelu6: act = kernels::FusedActivation::kRelu6; break;
    case ir::Activation::kReluN1To1: act = kernels::FusedActivation::kReluN1To1; break;
    default: return false;
  }
  elementwise::FloatActivationBounds(act, lo, hi);
  *has_activation = a != ir::Activation::kNone;
  return true;
}

// (top, left) of a PAD that pads only the middle two dimensions of a rank-4
// float tensor with zeros; false otherwise.
bool SpatialPad(const ir::Operator& pad, const std::vector<TensorRef>& tensors,
                int32_t* top, int32_t* left) {
  if (pad.kind != ir::OpKind::kPad || pad.inputs.size() != 2) return false;
  const TensorRef& in = tensors[static_cast<size_t>(pad.inputs[0])];
  const TensorRef& p = tensors[static_cast<size_t>(pad.inputs[1])];
  if (in.dtype != DType::kFloat32 || in.shape.rank() != 4 || !p.is_constant ||
      p.NumElements() != 8 || (p.dtype != DType::kInt32 && p.dtype != DType::kInt64)) {
    return false;
  }
  int64_t v[8];
  for (int i = 0; i < 8; ++i) {
    v[i] = p.dtype == DType::kInt32 ? p.Data<int32_t>()[i] : p.Data<int64_t>()[i];
    if (v[i] < 0 || v[i] > 64) return false;
  }
  if (v[0] != 0 || v[1] != 0 || v[6] != 0 || v[7] != 0) return false;
  *top = static_cast<int32_t>(v[2]);
  *left = static_cast<int32_t>(v[4]);
  return true;
}

// A zero spatial PAD whose only reader is a float CONV_2D or
// DEPTHWISE_CONV_2D: the conv reads the PAD's input with the padding in its
// window geometry (OpData::AbsorbSpatialPad), and the PAD is not run.
void FusePadsIntoConvs(const ir::Subgraph& sg, std::vector<TensorRef>& tensors,
                       std::vector<std::unique_ptr<OpContext>>& contexts,
                       const std::vector<bool>& folded, const Graph& g,
                       FusionPlan* plan) {
  for (size_t p = 0; p < sg.ops.size(); ++p) {
    const ir::Operator& pad = sg.ops[p];
    int32_t top = 0, left = 0;
    if (folded[p] || plan->skipped[p] || !SpatialPad(pad, tensors, &top, &left)) continue;
    const int ci = SoleConsumer(g, pad.outputs[0]);
    if (ci < 0 || folded[static_cast<size_t>(ci)]) continue;
    const ir::Operator& conv = sg.ops[static_cast<size_t>(ci)];
    if ((conv.kind != ir::OpKind::kConv2D &&
         conv.kind != ir::OpKind::kDepthwiseConv2D) ||
        conv.inputs.empty() || conv.inputs[0] != pad.outputs[0]) {
      continue;
    }
    const int32_t source = pad.inputs[0];
    TensorRef& src = tensors[static_cast<size_t>(source)];
    OpContext& ctx = *contexts[static_cast<size_t>(ci)];
    OpData* data = ctx.mutable_op_data();
    if (data == nullptr ||
        !data->AbsorbSpatialPad(top, left, src.shape.dim(1), src.shape.dim(2))) {
      continue;
    }
    ctx.RedirectInput(0, &src);
    plan->skipped[p] = true;
    // The PAD runs before the conv's own work and any residual it absorbed.
    plan->absorbed[static_cast<size_t>(ci)].insert(0, "+PAD");
    plan->extra_uses[static_cast<size_t>(ci)].push_back(source);
    ++plan->fused_pads;
  }
}

}  // namespace

FusionPlan FuseConvResiduals(const ir::Subgraph& sg,
                             std::vector<TensorRef>& tensors,
                             std::vector<std::unique_ptr<OpContext>>& contexts,
                             const std::vector<bool>& folded) {
  FusionPlan plan;
  plan.skipped.assign(sg.ops.size(), false);
  plan.extra_uses.resize(sg.ops.size());
  plan.absorbed.resize(sg.ops.size());
  const Graph g = Index(sg, folded);
  auto tensor = [&](int32_t t) -> TensorRef& { return tensors[static_cast<size_t>(t)]; };
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& conv = sg.ops[i];
    const int ci = static_cast<int>(i);
    if (conv.kind != ir::OpKind::kConv2D || folded[i] || plan.skipped[i] ||
        conv.inputs.size() < 2 || conv.outputs.size() != 1) {
      continue;
    }
    const int32_t out = conv.outputs[0];
    if (tensor(conv.inputs[0]).dtype != DType::kFloat32 ||
        tensor(conv.inputs[1]).dtype != DType::kFloat32 ||
        tensor(out).dtype != DType::kFloat32) {
      continue;
    }
    const int ai = SoleConsumer(g, out);
    if (ai < 0 || folded[static_cast<size_t>(ai)]) continue;
    const ir::Operator& add = sg.ops[static_cast<size_t>(ai)];
    if (add.kind != ir::OpKind::kAdd || add.inputs.size() != 2 ||
        add.inputs[0] == add.inputs[1]) {
      continue;
    }
    FusedResidual f;
    bool add_has_activation = false;
    if (!AddActivation(add, &f.lo, &f.hi, &add_has_activation)) continue;
    const int32_t other = add.inputs[0] == out ? add.inputs[1] : add.inputs[0];
    const int32_t add_out = add.outputs[0];
    const Shape& shape = tensor(out).shape;
    if (tensor(other).dtype != DType::kFloat32 || tensor(add_out).shape != shape) continue;
    if (tensor(other).shape != shape) continue;
    // A residual through a channel PAD nothing else reads: skip the PAD and
    // read its input, the padded channels adding zero.
    int32_t source = other;
    int pad_op = g.producer[static_cast<size_t>(other)];
    const int32_t unpadded =
        pad_op >= 0 && SoleConsumer(g, other) == ai
            ? ChannelPadSource(sg.ops[static_cast<size_t>(pad_op)], tensors)
            : -1;
    if (unpadded >= 0 && tensor(unpadded).shape.rank() == shape.rank()) {
      const Shape& s = tensor(unpadded).shape;
      bool fits = true;
      for (int d = 0; d + 1 < s.rank(); ++d) fits = fits && s.dim(d) == shape.dim(d);
      if (fits) source = unpadded;
    }
    if (source == other) pad_op = -1;
    if (!ReadyBefore(g, source, ci)) continue;
    f.residual = &tensor(source);
    f.res_c = tensor(source).shape.dim(shape.rank() - 1);
    // An activation op right after an ADD without its own.
    int32_t final_out = add_out;
    int act_op = -1;
    const int ki = SoleConsumer(g, add_out);
    if (!add_has_activation && ki >= 0 &&
        !folded[static_cast<size_t>(ki)]) {
      const ir::Operator& act = sg.ops[static_cast<size_t>(ki)];
      float lo, hi;
      if (ClampOf(act.kind, &lo, &hi) && act.inputs.size() == 1 &&
          tensor(act.outputs[0]).dtype == DType::kFloat32) {
        f.lo = lo;
        f.hi = hi;
        act_op = ki;
      } else if (act.kind == ir::OpKind::kPrelu && act.inputs.size() == 2 &&
                 act.inputs[0] == add_out) {
        const TensorRef& alpha = tensor(act.inputs[1]);
        const Shape& a = alpha.shape;
        bool per_channel = alpha.is_constant && alpha.dtype == DType::kFloat32 &&
                           a.rank() >= 1 && a.dim(a.rank() - 1) == shape.dim(shape.rank() - 1);
        for (int d = 0; per_channel && d + 1 < a.rank(); ++d) per_channel = a.dim(d) == 1;
        if (per_channel) {
          f.alpha = &alpha;
          act_op = ki;
        }
      }
      if (act_op >= 0) final_out = sg.ops[static_cast<size_t>(act_op)].outputs[0];
    }
    if (tensor(final_out).shape != shape) continue;
    contexts[i]->SetFusedResidual(f, &tensor(final_out));
    plan.skipped[static_cast<size_t>(ai)] = true;
    if (pad_op >= 0) plan.skipped[static_cast<size_t>(pad_op)] = true;
    if (act_op >= 0) plan.skipped[static_cast<size_t>(act_op)] = true;
    plan.extra_uses[i].push_back(source);
    plan.extra_uses[i].push_back(final_out);
    std::string& label = plan.absorbed[i];
    if (pad_op >= 0) label += "+PAD";
    label += "+ADD";
    if (act_op >= 0) {
      label += "+";
      label += ir::OpKindName(sg.ops[static_cast<size_t>(act_op)].kind);
    }
    ++plan.fused_convs;
  }
  FusePadsIntoConvs(sg, tensors, contexts, folded, g, &plan);
  return plan;
}

}  // namespace detlite::runtime
