// CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D, AVERAGE_POOL_2D (NCHW in ONNX,
// explicit pads computed from TFLite's SAME rule) and FULLY_CONNECTED (Gemm).
#include <algorithm>

#include "exporters/onnx/ops.h"

namespace detlite::onnx_export {
namespace {

struct Window {
  int32_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  ir::Padding padding = ir::Padding::kSame;
};

// TFLite's SAME padding puts the odd pixel after (ONNX's SAME_UPPER); the
// pads are written out so ONNX needs no rule of its own.
Status SetWindowAttributes(OnnxGraph& g, onnx::NodeProto* n, const ir::Tensor& in,
                           const ir::Tensor& out, const Window& w, bool dilations) {
  if (in.shape.rank() != 4 || out.shape.rank() != 4) {
    return InvalidArgument(g.where() + ": input and output must have rank 4");
  }
  if (w.kh < 1 || w.kw < 1 || w.sh < 1 || w.sw < 1 || w.dh < 1 || w.dw < 1) {
    return InvalidArgument(g.where() + ": filter size, strides and dilations must be positive");
  }
  auto pads = [&](int32_t in_size, int32_t out_size, int32_t k, int32_t s, int32_t d) {
    if (w.padding == ir::Padding::kValid) return std::pair<int64_t, int64_t>{0, 0};
    const int64_t total = std::max<int64_t>(
        int64_t{out_size - 1} * s + int64_t{k - 1} * d + 1 - in_size, 0);
    return std::pair<int64_t, int64_t>{total / 2, total - total / 2};
  };
  auto [top, bottom] = pads(in.shape.dim(1), out.shape.dim(1), w.kh, w.sh, w.dh);
  auto [left, right] = pads(in.shape.dim(2), out.shape.dim(2), w.kw, w.sw, w.dw);
  OnnxGraph::SetInts(n, "kernel_shape", {w.kh, w.kw});
  OnnxGraph::SetInts(n, "strides", {w.sh, w.sw});
  if (dilations) OnnxGraph::SetInts(n, "dilations", {w.dh, w.dw});
  OnnxGraph::SetInts(n, "pads", {top, left, bottom, right});
  return Status::Ok();
}

// Conv weights in ONNX's [O, I/group, KH, KW] from TFLite's [O, KH, KW, I]
// (conv) or [1, KH, KW, O] (depthwise, where I/group = 1).
StatusOr<std::string> ConvWeights(OnnxGraph& g, int32_t filter, bool depthwise) {
  const ir::Tensor& f = g.tensor(filter);
  ASSIGN_OR_RETURN(const std::vector<float>* v, g.FloatConstant(filter));
  if (v == nullptr) return Unimplemented(g.where() + ": the filter is not a constant");
  if (f.shape.rank() != 4 || static_cast<int64_t>(v->size()) != f.shape.NumElements() ||
      (depthwise && f.shape.dim(0) != 1)) {
    return InvalidArgument(g.where() + ": filter '" + f.name + "' has shape " + f.shape.ToString());
  }
  const int64_t o = depthwise ? f.shape.dim(3) : f.shape.dim(0);
  const int64_t kh = f.shape.dim(1), kw = f.shape.dim(2);
  const int64_t i = depthwise ? 1 : f.shape.dim(3);
  std::vector<float> w(v->size());
  for (int64_t a = 0; a < o; ++a)
    for (int64_t c = 0; c < i; ++c)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x) {
          const int64_t src = depthwise ? (y * kw + x) * o + a : ((a * kh + y) * kw + x) * i + c;
          w[static_cast<size_t>(((a * i + c) * kh + y) * kw + x)] = (*v)[static_cast<size_t>(src)];
        }
  return g.AddInitializer(f.name + "_oihw", {o, i, kh, kw}, w);
}

Status EmitConv(OnnxGraph& g, const ir::Operator& op, bool depthwise) {
  RETURN_IF_ERROR(CheckArity(g, op, 2, 3, 1));
  const ir::Tensor& in = g.tensor(op.inputs[0]);
  const ir::Tensor& filter = g.tensor(op.inputs[1]);
  const ir::Tensor& out = g.tensor(op.outputs[0]);
  if (in.shape.rank() != 4 || filter.shape.rank() != 4 || out.shape.rank() != 4) {
    return InvalidArgument(g.where() + ": input, filter and output must have rank 4");
  }
  Window w;
  ir::Activation act;
  int64_t group = 1;
  const int32_t channels = in.shape.dim(3);
  if (depthwise) {
    const auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options);
    if (!o) return InvalidArgument(g.where() + ": missing options");
    w = {filter.shape.dim(1), filter.shape.dim(2), o->stride_h, o->stride_w,
         o->dilation_h, o->dilation_w, o->padding};
    act = o->activation;
    group = channels;
    if (channels <= 0 || filter.shape.dim(3) % channels != 0) {
      return InvalidArgument(g.where() + ": " + std::to_string(filter.shape.dim(3)) +
                             " output channels for " + std::to_string(channels) + " input channels");
    }
  } else {
    const auto* o = std::get_if<ir::Conv2DOptions>(&op.options);
    if (!o) return InvalidArgument(g.where() + ": missing options");
    w = {filter.shape.dim(1), filter.shape.dim(2), o->stride_h, o->stride_w,
         o->dilation_h, o->dilation_w, o->padding};
    act = o->activation;
    if (filter.shape.dim(3) <= 0 || channels % filter.shape.dim(3) != 0) {
      return InvalidArgument(g.where() + ": filter depth " + std::to_string(filter.shape.dim(3)) +
                             " does not divide " + std::to_string(channels) + " input channels");
    }
    group = channels / filter.shape.dim(3);
  }
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kNchw));
  ASSIGN_OR_RETURN(std::string weights, ConvWeights(g, op.inputs[1], depthwise));
  std::vector<std::string> inputs = {x, weights};
  if (op.inputs.size() == 3 && op.inputs[2] >= 0) {
    ASSIGN_OR_RETURN(const std::vector<float>* b, g.FloatConstant(op.inputs[2]));
    if (b == nullptr) return Unimplemented(g.where() + ": the bias is not a constant");
    if (static_cast<int64_t>(b->size()) != out.shape.dim(3)) {
      return InvalidArgument(g.where() + ": bias of " + std::to_string(b->size()) + " for " +
                             std::to_string(out.shape.dim(3)) + " output channels");
    }
    inputs.push_back(g.AddInitializer(g.tensor(op.inputs[2]).name, {out.shape.dim(3)}, *b));
  }
  const std::string y = g.Produce(op.outputs[0], Layout::kNchw);
  const std::string pre = ActivationInput(g, act, y);
  onnx::NodeProto* n = g.AddNode("Conv", inputs, {pre});
  RETURN_IF_ERROR(SetWindowAttributes(g, n, in, out, w, true));
  OnnxGraph::SetInt(n, "group", group);
  return EmitActivation(g, act, pre, y);
}

Status EmitPool(OnnxGraph& g, const ir::Operator& op, const char* onnx_op) {
  RETURN_IF_ERROR(CheckArity(g, op, 1, 1, 1));
  const auto* o = std::get_if<ir::Pool2DOptions>(&op.options);
  if (!o) return InvalidArgument(g.where() + ": missing options");
  Window w{o->filter_h, o->filter_w, o->stride_h, o->stride_w, 1, 1, o->padding};
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kNchw));
  const std::string y = g.Produce(op.outputs[0], Layout::kNchw);
  const std::string pre = ActivationInput(g, o->activation, y);
  onnx::NodeProto* n = g.AddNode(onnx_op, {x}, {pre});
  // TFLite's average leaves padded cells out of the count, as ONNX's
  // default count_include_pad = 0 does.
  RETURN_IF_ERROR(SetWindowAttributes(g, n, g.tensor(op.inputs[0]), g.tensor(op.outputs[0]), w, false));
  return EmitActivation(g, o->activation, pre, y);
}

Status EmitFullyConnected(OnnxGraph& g, const ir::Operator& op) {
  RETURN_IF_ERROR(CheckArity(g, op, 2, 3, 1));
  const auto* o = std::get_if<ir::FullyConnectedOptions>(&op.options);
  if (!o || o->weights_format != 0) return Unimplemented(g.where() + ": shuffled weights");
  const ir::Tensor& wt = g.tensor(op.inputs[1]);
  const ir::Tensor& out = g.tensor(op.outputs[0]);
  ASSIGN_OR_RETURN(const std::vector<float>* wv, g.FloatConstant(op.inputs[1]));
  if (wv == nullptr) return Unimplemented(g.where() + ": the weights are not a constant");
  if (wt.shape.rank() != 2 || static_cast<int64_t>(wv->size()) != wt.shape.NumElements()) {
    return InvalidArgument(g.where() + ": weights of shape " + wt.shape.ToString());
  }
  const int64_t units = wt.shape.dim(0), depth = wt.shape.dim(1);
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kIr));
  std::string flat = g.FreshName(out.name + "_rows");
  g.AddNode("Reshape", {x, g.AddInt64Initializer(flat + "_shape", {2}, {-1, depth})}, {flat});
  std::vector<std::string> inputs = {flat, g.AddInitializer(wt.name, {units, depth}, *wv)};
  if (op.inputs.size() == 3 && op.inputs[2] >= 0) {
    ASSIGN_OR_RETURN(const std::vector<float>* b, g.FloatConstant(op.inputs[2]));
    if (b == nullptr || static_cast<int64_t>(b->size()) != units) {
      return Unimplemented(g.where() + ": the bias must be a constant of " + std::to_string(units));
    }
    inputs.push_back(g.AddInitializer(g.tensor(op.inputs[2]).name, {units}, *b));
  }
  const std::string y = g.Produce(op.outputs[0], Layout::kIr);
  std::string gemm = g.FreshName(out.name + "_gemm");
  onnx::NodeProto* n = g.AddNode("Gemm", inputs, {gemm});
  OnnxGraph::SetInt(n, "transB", 1);
  const std::string pre = ActivationInput(g, o->activation, y);
  std::vector<int64_t> dims(out.shape.dims().begin(), out.shape.dims().end());
  g.AddNode("Reshape", {gemm, g.AddInt64Initializer(y + "_shape", {static_cast<int64_t>(dims.size())}, dims)},
            {pre});
  return EmitActivation(g, o->activation, pre, y);
}

}  // namespace

StatusOr<bool> EmitConvFamily(OnnxGraph& g, const ir::Operator& op) {
  switch (op.kind) {
    case ir::OpKind::kConv2D: RETURN_IF_ERROR(EmitConv(g, op, false)); return true;
    case ir::OpKind::kDepthwiseConv2D: RETURN_IF_ERROR(EmitConv(g, op, true)); return true;
    case ir::OpKind::kMaxPool2D: RETURN_IF_ERROR(EmitPool(g, op, "MaxPool")); return true;
    case ir::OpKind::kAveragePool2D: RETURN_IF_ERROR(EmitPool(g, op, "AveragePool")); return true;
    case ir::OpKind::kFullyConnected: RETURN_IF_ERROR(EmitFullyConnected(g, op)); return true;
    default: return false;
  }
}

}  // namespace detlite::onnx_export
