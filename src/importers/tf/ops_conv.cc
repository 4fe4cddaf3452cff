// Convolutions, matrix multiply, bias and pooling. TensorFlow keeps filters
// as HWIO (Conv2D) and HWIM (depthwise); TFLite wants OHWI and [1,H,W,I*M],
// so the mappers emit TRANSPOSE/RESHAPE on the filter, which folds away for
// constant weights. Bias inputs start as zeros for BiasAdd fusion to fill.
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

Status Nhwc(ImportContext& ctx, const tf::NodeDef& n) {
  const std::string fmt = AttrString(n, "data_format", "NHWC");
  if (fmt != "NHWC") {
    return ctx.NodeError(n.name(), n.op(), "data_format " + fmt + " is not supported (NHWC only)");
  }
  return Status::Ok();
}

StatusOr<ir::Padding> PaddingOf(ImportContext& ctx, const tf::NodeDef& n) {
  const std::string p = AttrString(n, "padding", "");
  if (p == "SAME") return ir::Padding::kSame;
  if (p == "VALID") return ir::Padding::kValid;
  return ctx.NodeError(n.name(), n.op(), "padding '" + p + "' is not supported");
}

// [1, h, w, 1] attributes (strides, dilations, ksize); absent = all ones.
StatusOr<std::pair<int32_t, int32_t>> HW(ImportContext& ctx, const tf::NodeDef& n,
                                         const std::string& attr) {
  std::vector<int64_t> v = AttrInts(n, attr);
  if (v.empty()) return std::pair<int32_t, int32_t>{1, 1};
  if (v.size() != 4 || v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1 || v[1] > 4096 ||
      v[2] > 4096) {
    return ctx.NodeError(n.name(), n.op(), "attribute '" + attr + "' must be [1,h,w,1]");
  }
  return std::pair<int32_t, int32_t>{static_cast<int32_t>(v[1]), static_cast<int32_t>(v[2])};
}

StatusOr<int32_t> ZeroBias(ImportContext& ctx, const tf::NodeDef& n, int32_t channels) {
  if (channels <= 0) return ctx.NodeError(n.name(), n.op(), "filter has no output channels");
  return ctx.ConstF32(n.name() + "/bias", Shape{channels},
                      std::vector<float>(static_cast<size_t>(channels), 0.0f));
}

Outs Conv2D(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  RETURN_IF_ERROR(Nhwc(ctx, n));
  if (ctx.tensor(in[1]).shape.rank() != 4) {
    return ctx.NodeError(n.name(), n.op(), "filter must have rank 4");
  }
  ir::Conv2DOptions o;
  ASSIGN_OR_RETURN(o.padding, PaddingOf(ctx, n));
  ASSIGN_OR_RETURN(auto s, HW(ctx, n, "strides"));
  ASSIGN_OR_RETURN(auto d, HW(ctx, n, "dilations"));
  o.stride_h = s.first, o.stride_w = s.second;
  o.dilation_h = d.first, o.dilation_w = d.second;
  const int32_t perm = ctx.ConstI32(n.name() + "/filter_perm", {3, 0, 1, 2});
  ASSIGN_OR_RETURN(int32_t filter,
                   ctx.Emit1(n.name() + "/filter", ir::OpKind::kTranspose, {in[1], perm}));
  ASSIGN_OR_RETURN(int32_t bias, ZeroBias(ctx, n, ctx.tensor(filter).shape.dim(0)));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kConv2D, {in[0], filter, bias}, o));
  return std::vector<int32_t>{out};
}

Outs Depthwise(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  RETURN_IF_ERROR(Nhwc(ctx, n));
  const Shape fs = ctx.tensor(in[1]).shape;  // a copy: Emit and ConstI32 grow the tensor list
  if (fs.rank() != 4) return ctx.NodeError(n.name(), n.op(), "filter must have rank 4");
  ir::DepthwiseConv2DOptions o;
  ASSIGN_OR_RETURN(o.padding, PaddingOf(ctx, n));
  ASSIGN_OR_RETURN(auto s, HW(ctx, n, "strides"));
  ASSIGN_OR_RETURN(auto d, HW(ctx, n, "dilations"));
  o.stride_h = s.first, o.stride_w = s.second;
  o.dilation_h = d.first, o.dilation_w = d.second;
  o.depth_multiplier = fs.dim(3);
  // HWIM -> [1,H,W,I*M]: output channel i*M+m, the same order TFLite uses.
  const int32_t shape = ctx.ConstI32(n.name() + "/filter_shape",
                                     {1, fs.dim(0), fs.dim(1), fs.dim(2) * fs.dim(3)});
  ir::ReshapeOptions ro;
  ro.new_shape = {1, fs.dim(0), fs.dim(1), fs.dim(2) * fs.dim(3)};
  ASSIGN_OR_RETURN(int32_t filter,
                   ctx.Emit1(n.name() + "/filter", ir::OpKind::kReshape, {in[1], shape}, ro));
  ASSIGN_OR_RETURN(int32_t bias, ZeroBias(ctx, n, fs.dim(2) * fs.dim(3)));
  ASSIGN_OR_RETURN(int32_t out,
                   ctx.Emit1(n.name(), ir::OpKind::kDepthwiseConv2D, {in[0], filter, bias}, o));
  return std::vector<int32_t>{out};
}

Outs MatMul(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  if (AttrBool(n, "transpose_a", false)) {
    return ctx.NodeError(n.name(), n.op(), "transpose_a is not supported");
  }
  if (ctx.tensor(in[1]).shape.rank() != 2) {
    return ctx.NodeError(n.name(), n.op(), "weights must have rank 2");
  }
  int32_t w = in[1];
  if (!AttrBool(n, "transpose_b", false)) {
    const int32_t perm = ctx.ConstI32(n.name() + "/weights_perm", {1, 0});
    ASSIGN_OR_RETURN(w, ctx.Emit1(n.name() + "/weights", ir::OpKind::kTranspose, {w, perm}));
  }
  ASSIGN_OR_RETURN(int32_t bias, ZeroBias(ctx, n, ctx.tensor(w).shape.dim(0)));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kFullyConnected,
                                          {in[0], w, bias}, ir::FullyConnectedOptions{}));
  return std::vector<int32_t>{out};
}

Outs BiasAdd(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  RETURN_IF_ERROR(Nhwc(ctx, n));
  ASSIGN_OR_RETURN(int32_t out,
                   ctx.Emit1(n.name(), ir::OpKind::kAdd, {in[0], in[1]}, ir::ArithmeticOptions{}));
  return std::vector<int32_t>{out};
}

template <ir::OpKind kKind>
Outs Pool(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  RETURN_IF_ERROR(Nhwc(ctx, n));
  ir::Pool2DOptions o;
  ASSIGN_OR_RETURN(o.padding, PaddingOf(ctx, n));
  ASSIGN_OR_RETURN(auto s, HW(ctx, n, "strides"));
  ASSIGN_OR_RETURN(auto k, HW(ctx, n, "ksize"));
  o.stride_h = s.first, o.stride_w = s.second;
  o.filter_h = k.first, o.filter_w = k.second;
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0]}, o));
  return std::vector<int32_t>{out};
}

}  // namespace

void AddConvMappers(OpMapperMap& m) {
  m["Conv2D"] = Conv2D;
  m["DepthwiseConv2dNative"] = Depthwise;
  m["MatMul"] = MatMul;
  m["BiasAdd"] = BiasAdd;
  m["BiasAddV1"] = BiasAdd;
  m["MaxPool"] = Pool<ir::OpKind::kMaxPool2D>;
  m["AvgPool"] = Pool<ir::OpKind::kAveragePool2D>;
}

}  // namespace detlite::tf_import
