#include "passes/tf_fusion_util.h"

#include <cstring>
#include <memory>

namespace detlite::passes {

std::vector<int> UseCounts(const ir::Subgraph& sg) {
  std::vector<int> uses(sg.tensors.size(), 0);
  for (const ir::Operator& op : sg.ops) {
    for (int32_t t : op.inputs) if (t >= 0) ++uses[static_cast<size_t>(t)];
  }
  for (int32_t t : sg.outputs) ++uses[static_cast<size_t>(t)];
  return uses;
}

std::vector<int> Producers(const ir::Subgraph& sg) {
  std::vector<int> prod(sg.tensors.size(), -1);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t t : sg.ops[i].outputs) if (t >= 0) prod[static_cast<size_t>(t)] = static_cast<int>(i);
  }
  return prod;
}

int SoleConsumer(const ir::Subgraph& sg, const std::vector<int>& uses, int32_t t) {
  if (uses[static_cast<size_t>(t)] != 1) return -1;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t in : sg.ops[i].inputs) if (in == t) return static_cast<int>(i);
  }
  return -1;  // the one use is as a subgraph output
}

bool IsConvLike(const ir::Operator& op) {
  return op.kind == ir::OpKind::kConv2D || op.kind == ir::OpKind::kDepthwiseConv2D ||
         op.kind == ir::OpKind::kFullyConnected;
}

std::vector<float> FloatValues(const ir::Tensor& t) {
  if (!t.is_constant() || t.dtype != DType::kFloat32 || t.sparsity) return {};
  const int64_t n = t.shape.NumElements();
  if (n < 0 || t.data->size() != static_cast<size_t>(n) * 4) return {};
  std::vector<float> v(static_cast<size_t>(n));
  if (n > 0) std::memcpy(v.data(), t.data->data(), t.data->size());
  return v;
}

std::vector<float> PerChannelConstant(const ir::Tensor& t, int32_t channels) {
  std::vector<float> v = FloatValues(t);
  if (v.empty() || channels <= 0) return {};
  for (int i = 0; i + 1 < t.shape.rank(); ++i) {
    if (t.shape.dim(i) != 1) return {};
  }
  if (v.size() == 1) return std::vector<float>(static_cast<size_t>(channels), v[0]);
  if (v.size() != static_cast<size_t>(channels)) return {};
  return v;
}

int32_t AddFloatConstant(ir::Subgraph& sg, const std::string& name, Shape shape,
                         const std::vector<float>& values) {
  ir::Tensor t;
  t.name = name;
  t.dtype = DType::kFloat32;
  t.shape = std::move(shape);
  ir::Bytes bytes(values.size() * 4);
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  t.data = std::make_shared<const ir::Bytes>(std::move(bytes));
  return sg.AddTensor(std::move(t));
}

int32_t OutputChannels(const ir::Subgraph& sg, const ir::Operator& op) {
  if (op.outputs.empty() || op.outputs[0] < 0) return -1;
  const Shape& s = sg.tensors[static_cast<size_t>(op.outputs[0])].shape;
  return s.rank() == 0 ? -1 : s.dim(s.rank() - 1);
}

bool NoActivation(const ir::Operator& op) {
  if (auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) return o->activation == ir::Activation::kNone;
  if (auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) return o->activation == ir::Activation::kNone;
  if (auto* o = std::get_if<ir::FullyConnectedOptions>(&op.options)) return o->activation == ir::Activation::kNone;
  if (auto* o = std::get_if<ir::ArithmeticOptions>(&op.options)) return o->activation == ir::Activation::kNone;
  return true;
}

}  // namespace detlite::passes
