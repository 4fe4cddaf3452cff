#include "quant/conv_layer.h"

#include <cstring>
#include <memory>

namespace detlite::quant {
namespace {

bool PlainFloat(const ir::Tensor& t) {
  return t.is_constant() && t.dtype == DType::kFloat32 && !t.sparsity && t.has_rank &&
         t.data->size() == static_cast<size_t>(t.shape.NumElements()) * 4;
}

}  // namespace

std::optional<ConvLayer> AsConvLayer(const ir::Subgraph& sg, int op_index) {
  const ir::Operator& op = sg.ops.at(static_cast<size_t>(op_index));
  if (op.kind != ir::OpKind::kConv2D && op.kind != ir::OpKind::kDepthwiseConv2D &&
      op.kind != ir::OpKind::kFullyConnected) {
    return std::nullopt;
  }
  if (op.inputs.size() < 2 || op.inputs[1] < 0 || op.outputs.size() != 1) return std::nullopt;
  ConvLayer l;
  l.op = op_index;
  l.kind = op.kind;
  l.weights = op.inputs[1];
  const ir::Tensor& w = sg.tensors[static_cast<size_t>(l.weights)];
  if (!PlainFloat(w)) return std::nullopt;
  const Shape& s = w.shape;
  if (op.kind == ir::OpKind::kFullyConnected) {
    if (s.rank() != 2) return std::nullopt;
    l.out_channels = s.dim(0);
    l.in_channels = s.dim(1);
  } else {
    if (s.rank() != 4) return std::nullopt;
    l.taps = s.dim(1) * s.dim(2);
    if (op.kind == ir::OpKind::kConv2D) {
      l.out_channels = s.dim(0);
      l.in_channels = s.dim(3);
    } else {
      const auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options);
      if (o == nullptr || o->depth_multiplier <= 0 || s.dim(0) != 1 ||
          s.dim(3) % o->depth_multiplier != 0) {
        return std::nullopt;
      }
      l.multiplier = o->depth_multiplier;
      l.out_channels = s.dim(3);
      l.in_channels = s.dim(3) / o->depth_multiplier;
    }
  }
  if (l.out_channels <= 0 || l.in_channels <= 0 || l.taps <= 0) return std::nullopt;
  if (op.inputs.size() > 2 && op.inputs[2] >= 0) {
    l.bias = op.inputs[2];
    const ir::Tensor& b = sg.tensors[static_cast<size_t>(l.bias)];
    if (!PlainFloat(b) || b.shape.NumElements() != l.out_channels) return std::nullopt;
  }
  return l;
}

ir::Activation FusedActivation(const ir::Operator& op) {
  if (const auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) return o->activation;
  if (const auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) return o->activation;
  if (const auto* o = std::get_if<ir::FullyConnectedOptions>(&op.options)) return o->activation;
  return ir::Activation::kNone;
}

void SetFusedActivation(ir::Operator& op, ir::Activation a) {
  if (auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) o->activation = a;
  if (auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) o->activation = a;
  if (auto* o = std::get_if<ir::FullyConnectedOptions>(&op.options)) o->activation = a;
}

std::vector<float> ReadFloats(const ir::Tensor& t) {
  std::vector<float> v(t.data ? t.data->size() / 4 : 0);
  if (!v.empty()) std::memcpy(v.data(), t.data->data(), v.size() * 4);
  return v;
}

void WriteFloats(ir::Tensor& t, const std::vector<float>& values) {
  auto b = std::make_shared<ir::Bytes>(values.size() * 4);
  if (!values.empty()) std::memcpy(b->data(), values.data(), b->size());
  t.data = std::move(b);
}

int UseCount(const ir::Subgraph& sg, int32_t t) {
  int n = 0;
  for (const ir::Operator& op : sg.ops) {
    for (int32_t x : op.inputs) n += x == t ? 1 : 0;
  }
  for (int32_t y : sg.outputs) n += y == t ? 1 : 0;
  return n;
}

}  // namespace detlite::quant
