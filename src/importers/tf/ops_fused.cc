// Grappler's fused convolutions, as TF.js graph models (and optimized
// frozen graphs) carry them: _FusedConv2D and FusedDepthwiseConv2dNative.
//
// Inputs are (input, filter, args...), num_args extra tensors consumed in
// order by the fused_ops list:
//   BiasAdd            1 arg: bias
//   FusedBatchNorm     4 args: scale, offset, mean, variance (attr epsilon)
//   Add                1 arg: a tensor added element-wise (residual)
//   Relu Relu6 Elu Tanh Sigmoid LeakyRelu (attr leakyrelu_alpha)
// Each step is mapped by the mapper of the unfused op, on a synthesized
// NodeDef, so the result is exactly what the unfused graph imports to; the
// tf_fuse_bias / tf_fold_batch_norm / tf_fuse_activation passes then fold
// the steps back into the convolution.
#include <string>
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

tf::NodeDef Step(const std::string& op, const std::string& name) {
  tf::NodeDef s;
  s.set_name(name);
  s.set_op(op);
  return s;
}

void CopyAttr(const tf::NodeDef& from, const std::string& key, tf::NodeDef* to,
              const std::string& as) {
  if (const tf::AttrValue* a = FindAttr(from, key)) (*to->mutable_attr())[as] = *a;
}

StatusOr<int32_t> RunStep(ImportContext& ctx, const tf::NodeDef& step, std::vector<int32_t> in) {
  ASSIGN_OR_RETURN(std::vector<int32_t> outs, OpMapperTable().at(step.op())(ctx, step, in));
  if (outs.empty()) return ctx.NodeError(step.name(), step.op(), "produced no output");
  return outs[0];
}

Outs FusedConv(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in,
               const std::string& base_op) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  std::vector<std::string> ops;
  if (const tf::AttrValue* a = FindAttr(n, "fused_ops"); a && a->has_list()) {
    ops.assign(a->list().s().begin(), a->list().s().end());
  }
  const int64_t num_args = AttrInt(n, "num_args", static_cast<int64_t>(in.size()) - 2);
  if (num_args < 0 || static_cast<size_t>(num_args) + 2 != in.size()) {
    return ctx.NodeError(n.name(), n.op(), "num_args " + std::to_string(num_args) + " but " +
                                               std::to_string(in.size()) + " inputs");
  }
  // The convolution itself, with the node's own attributes.
  tf::NodeDef conv = n;
  conv.set_op(base_op);
  conv.set_name(ops.empty() ? n.name() : n.name() + "/" + base_op);
  conv.clear_input();
  ASSIGN_OR_RETURN(int32_t x, RunStep(ctx, conv, {in[0], in[1]}));
  size_t arg = 2;
  auto take = [&](size_t count, const std::string& op) -> StatusOr<std::vector<int32_t>> {
    if (arg + count > in.size()) {
      return ctx.NodeError(n.name(), n.op(), "fused op " + op + " needs " +
                                                 std::to_string(count) + " more inputs");
    }
    std::vector<int32_t> v(in.begin() + static_cast<ptrdiff_t>(arg),
                           in.begin() + static_cast<ptrdiff_t>(arg + count));
    arg += count;
    return v;
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    const std::string& op = ops[i];
    const std::string name = i + 1 == ops.size() ? n.name() : n.name() + "/" + op;
    std::vector<int32_t> step_in = {x};
    tf::NodeDef s = Step(op, name);
    if (op == "BiasAdd" || op == "Add") {
      ASSIGN_OR_RETURN(std::vector<int32_t> a, take(1, op));
      step_in.push_back(a[0]);
      if (op == "Add") s.set_op("AddV2");
    } else if (op == "FusedBatchNorm" || op == "FusedBatchNormV3") {
      ASSIGN_OR_RETURN(std::vector<int32_t> a, take(4, op));
      step_in.insert(step_in.end(), a.begin(), a.end());
      s.set_op("FusedBatchNormV3");
      (*s.mutable_attr())["is_training"].set_b(false);
      CopyAttr(n, "epsilon", &s, "epsilon");
    } else if (op == "LeakyRelu") {
      CopyAttr(n, "leakyrelu_alpha", &s, "alpha");
    } else if (op != "Relu" && op != "Relu6" && op != "Elu" && op != "Tanh" && op != "Sigmoid") {
      return ctx.NodeError(n.name(), n.op(), "fused op '" + op + "' is not supported");
    }
    ASSIGN_OR_RETURN(x, RunStep(ctx, s, step_in));
  }
  if (arg != in.size()) {
    return ctx.NodeError(n.name(), n.op(), "fused_ops use " + std::to_string(arg - 2) +
                                               " of " + std::to_string(num_args) + " extra inputs");
  }
  return std::vector<int32_t>{x};
}

Outs FusedConv2D(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  return FusedConv(ctx, n, in, "Conv2D");
}

Outs FusedDepthwise(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  return FusedConv(ctx, n, in, "DepthwiseConv2dNative");
}

}  // namespace

void AddFusedMappers(OpMapperMap& m) {
  m["_FusedConv2D"] = FusedConv2D;
  m["FusedDepthwiseConv2dNative"] = FusedDepthwise;
}

}  // namespace detlite::tf_import
