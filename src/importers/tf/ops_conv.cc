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

// NCHW (TensorFlow's GPU layout): TFLite's convolutions and pools are NHWC,
// so the input is transposed in, the op runs NHWC and its output is
// transposed back.
bool IsNchw(const tf::NodeDef& n) { return AttrString(n, "data_format", "NHWC") == "NCHW"; }

StatusOr<int32_t> ToLayout(ImportContext& ctx, const tf::NodeDef& n, int32_t t, bool to_nhwc) {
  if (ctx.tensor(t).shape.rank() != 4) return ctx.NodeError(n.name(), n.op(), "NCHW input must have rank 4");
  const int32_t perm = ctx.ConstI32(n.name() + (to_nhwc ? "/to_nhwc_perm" : "/to_nchw_perm"),
                                    to_nhwc ? std::vector<int32_t>{0, 2, 3, 1}
                                            : std::vector<int32_t>{0, 3, 1, 2});
  return ctx.Emit1(n.name() + (to_nhwc ? "/to_nhwc" : ""), ir::OpKind::kTranspose, {t, perm});
}

StatusOr<ir::Padding> PaddingOf(ImportContext& ctx, const tf::NodeDef& n) {
  const std::string p = AttrString(n, "padding", "");
  if (p == "SAME") return ir::Padding::kSame;
  if (p == "VALID") return ir::Padding::kValid;
  return ctx.NodeError(n.name(), n.op(), "padding '" + p + "' is not supported");
}

// [1, h, w, 1] attributes (strides, dilations, ksize; [1, 1, h, w] in
// NCHW); absent = all ones.
StatusOr<std::pair<int32_t, int32_t>> HW(ImportContext& ctx, const tf::NodeDef& n,
                                         const std::string& attr) {
  std::vector<int64_t> v = AttrInts(n, attr);
  if (v.empty()) return std::pair<int32_t, int32_t>{1, 1};
  if (v.size() == 4 && IsNchw(n)) v = {v[0], v[2], v[3], v[1]};
  if (v.size() != 4 || v[0] != 1 || v[3] != 1 || v[1] < 1 || v[2] < 1 || v[1] > 4096 ||
      v[2] > 4096) {
    return ctx.NodeError(n.name(), n.op(), "attribute '" + attr + "' must be [1,h,w,1]");
  }
  return std::pair<int32_t, int32_t>{static_cast<int32_t>(v[1]), static_cast<int32_t>(v[2])};
}

using Mapper = Outs (*)(ImportContext&, const tf::NodeDef&, const std::vector<int32_t>&);

// Runs the NHWC mapper `f` between transposes when the node is NCHW.
template <Mapper f>
Outs AnyLayout(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  if (!IsNchw(n)) return f(ctx, n, in);
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  std::vector<int32_t> nhwc_in = in;
  ASSIGN_OR_RETURN(nhwc_in[0], ToLayout(ctx, n, in[0], true));
  tf::NodeDef nhwc = n;
  nhwc.set_name(n.name() + "/nhwc");
  (*nhwc.mutable_attr())["data_format"].set_s("NHWC");
  for (const char* attr : {"strides", "dilations", "ksize"}) {
    std::vector<int64_t> v = AttrInts(n, attr);
    if (v.size() != 4) continue;
    auto* list = (*nhwc.mutable_attr())[attr].mutable_list();
    list->clear_i();
    for (int k : {0, 2, 3, 1}) list->add_i(v[static_cast<size_t>(k)]);
  }
  ASSIGN_OR_RETURN(std::vector<int32_t> out, f(ctx, nhwc, nhwc_in));
  ASSIGN_OR_RETURN(out[0], ToLayout(ctx, n, out[0], false));
  return out;
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
  // A copy: the constants added below may reallocate the tensor list.
  const Shape fs = ctx.tensor(in[1]).shape;
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

// Conv2DBackpropInput(input_sizes, filter [h, w, out, in], x): TFLite's
// TRANSPOSE_CONV(output_shape, weights [out, h, w, in], x).
Outs ConvTranspose(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 3));
  RETURN_IF_ERROR(Nhwc(ctx, n));
  if (ctx.tensor(in[1]).shape.rank() != 4) return ctx.NodeError(n.name(), n.op(), "filter must have rank 4");
  ir::TransposeConvOptions o;
  ASSIGN_OR_RETURN(o.padding, PaddingOf(ctx, n));
  ASSIGN_OR_RETURN(auto s, HW(ctx, n, "strides"));
  ASSIGN_OR_RETURN(auto d, HW(ctx, n, "dilations"));
  if (d.first != 1 || d.second != 1) return ctx.NodeError(n.name(), n.op(), "dilations are not supported");
  o.stride_h = s.first, o.stride_w = s.second;
  ASSIGN_OR_RETURN(int32_t sizes, Int32Const(ctx, n, in[0], "input_sizes"));
  const int32_t perm = ctx.ConstI32(n.name() + "/filter_perm", {2, 0, 1, 3});
  ASSIGN_OR_RETURN(int32_t filter,
                   ctx.Emit1(n.name() + "/filter", ir::OpKind::kTranspose, {in[1], perm}));
  ASSIGN_OR_RETURN(int32_t out,
                   ctx.Emit1As(n.name(), ir::OpKind::kTransposeConv, {sizes, filter, in[2]}, o,
                               ctx.tensor(in[2]).dtype));
  return std::vector<int32_t>{out};
}

Outs MatMul(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  if (ctx.tensor(in[1]).shape.rank() != 2) {
    return ctx.NodeError(n.name(), n.op(), "weights must have rank 2");
  }
  int32_t a = in[0];
  if (AttrBool(n, "transpose_a", false)) {
    if (ctx.tensor(a).shape.rank() != 2) return ctx.NodeError(n.name(), n.op(), "a must have rank 2");
    const int32_t perm = ctx.ConstI32(n.name() + "/a_perm", {1, 0});
    ASSIGN_OR_RETURN(a, ctx.Emit1(n.name() + "/a", ir::OpKind::kTranspose, {a, perm}));
  }
  int32_t w = in[1];
  if (!AttrBool(n, "transpose_b", false)) {
    const int32_t perm = ctx.ConstI32(n.name() + "/weights_perm", {1, 0});
    ASSIGN_OR_RETURN(w, ctx.Emit1(n.name() + "/weights", ir::OpKind::kTranspose, {w, perm}));
  }
  ASSIGN_OR_RETURN(int32_t bias, ZeroBias(ctx, n, ctx.tensor(w).shape.dim(0)));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kFullyConnected,
                                          {a, w, bias}, ir::FullyConnectedOptions{}));
  return std::vector<int32_t>{out};
}

Outs BiasAdd(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  int32_t bias = in[1];
  if (IsNchw(n)) {
    // [C] -> [C, 1, 1]: broadcast along the channel axis of [N, C, H, W].
    const Shape xs = ctx.tensor(in[0]).shape, bs = ctx.tensor(bias).shape;
    if (xs.rank() != 4 || bs.rank() != 1 || bs.dim(0) != xs.dim(1)) {
      return ctx.NodeError(n.name(), n.op(), "NCHW bias must be [C] of a [N, C, H, W] input");
    }
    const int32_t shape = ctx.ConstI32(n.name() + "/bias_shape", {bs.dim(0), 1, 1});
    ASSIGN_OR_RETURN(bias, ctx.Emit1(n.name() + "/bias", ir::OpKind::kReshape, {bias, shape},
                                     ir::ReshapeOptions{{bs.dim(0), 1, 1}}));
  } else {
    RETURN_IF_ERROR(Nhwc(ctx, n));
  }
  ASSIGN_OR_RETURN(int32_t out,
                   ctx.Emit1(n.name(), ir::OpKind::kAdd, {in[0], bias}, ir::ArithmeticOptions{}));
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
  m["Conv2D"] = AnyLayout<Conv2D>;
  m["DepthwiseConv2dNative"] = AnyLayout<Depthwise>;
  m["MatMul"] = MatMul;
  m["Conv2DBackpropInput"] = ConvTranspose;
  m["BiasAdd"] = BiasAdd;
  m["BiasAddV1"] = BiasAdd;
  m["MaxPool"] = AnyLayout<Pool<ir::OpKind::kMaxPool2D>>;
  m["AvgPool"] = AnyLayout<Pool<ir::OpKind::kAveragePool2D>>;
}

}  // namespace detlite::tf_import
