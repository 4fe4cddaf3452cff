// Gradients of CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV: geometry from
// the forward run's shapes and the op's options, the arithmetic in
// conv_grad_kernels.h.
#include <vector>

#include "train/conv_grad_kernels.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

using kernels::ComputeAxisPadding;
using kernels::ConvGeometry;

int32_t Pad(ir::Padding p, int64_t in, int64_t filter, int64_t stride, int64_t dilation,
            int64_t out) {
  if (p == ir::Padding::kValid) return 0;
  return ComputeAxisPadding(in, filter, stride, dilation, out).before;
}

// Fills the NHWC sizes shared by conv and depthwise.
Status WindowGeometry(const OpGrad& g, ConvGeometry* geo) {
  const Shape& x = g.in_shape(0);
  const Shape& y = g.out_shape();
  if (x.rank() != 4 || y.rank() != 4 || g.in_shape(1).rank() != 4) {
    return g.Error("input, filter and output must be 4-D");
  }
  geo->batches = x.dim(0);
  geo->in_h = x.dim(1);
  geo->in_w = x.dim(2);
  geo->in_c = x.dim(3);
  geo->out_h = y.dim(1);
  geo->out_w = y.dim(2);
  geo->out_c = y.dim(3);
  geo->filter_h = g.in_shape(1).dim(1);
  geo->filter_w = g.in_shape(1).dim(2);
  return Status::Ok();
}

float* BiasGrad(const OpGrad& g, int input) {
  return static_cast<int>(g.in.size()) > input && g.in[static_cast<size_t>(input)] != nullptr
             ? g.dx(input) : nullptr;
}

Status Conv2DGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::Conv2DOptions o, GradOptions<ir::Conv2DOptions>(g));
  ConvGeometry geo;
  RETURN_IF_ERROR(WindowGeometry(g, &geo));
  const int32_t filter_in = g.in_shape(1).dim(3);
  if (filter_in <= 0 || geo.in_c % filter_in != 0) return g.Error("filter depth does not divide input depth");
  geo.groups = geo.in_c / filter_in;
  geo.stride_h = o.stride_h;
  geo.stride_w = o.stride_w;
  geo.dilation_h = o.dilation_h;
  geo.dilation_w = o.dilation_w;
  geo.pad_h = Pad(o.padding, geo.in_h, geo.filter_h, o.stride_h, o.dilation_h, geo.out_h);
  geo.pad_w = Pad(o.padding, geo.in_w, geo.filter_w, o.stride_w, o.dilation_w, geo.out_w);
  std::vector<float> scratch;
  ASSIGN_OR_RETURN(const float* dz, MaskFusedActivation(g, o.activation, g.y(), g.dy(),
                                                        g.out[0]->NumElements(), &scratch));
  ConvBackward(geo, g.x(0), g.x(1), dz, g.dx(0), g.dx(1), BiasGrad(g, 2));
  return Status::Ok();
}

Status DepthwiseGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::DepthwiseConv2DOptions o, GradOptions<ir::DepthwiseConv2DOptions>(g));
  ConvGeometry geo;
  RETURN_IF_ERROR(WindowGeometry(g, &geo));
  if (geo.in_c <= 0 || geo.out_c % geo.in_c != 0) return g.Error("output depth is not a multiple of input depth");
  geo.depth_multiplier = geo.out_c / geo.in_c;
  geo.stride_h = o.stride_h;
  geo.stride_w = o.stride_w;
  geo.dilation_h = o.dilation_h;
  geo.dilation_w = o.dilation_w;
  geo.pad_h = Pad(o.padding, geo.in_h, geo.filter_h, o.stride_h, o.dilation_h, geo.out_h);
  geo.pad_w = Pad(o.padding, geo.in_w, geo.filter_w, o.stride_w, o.dilation_w, geo.out_w);
  std::vector<float> scratch;
  ASSIGN_OR_RETURN(const float* dz, MaskFusedActivation(g, o.activation, g.y(), g.dy(),
                                                        g.out[0]->NumElements(), &scratch));
  DepthwiseBackward(geo, g.x(0), g.x(1), dz, g.dx(0), g.dx(1), BiasGrad(g, 2));
  return Status::Ok();
}

// Inputs: output_shape, weights [O, KH, KW, I], input [N, H, W, I], bias.
Status TransposeConvGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::TransposeConvOptions o, GradOptions<ir::TransposeConvOptions>(g));
  const Shape& x = g.in_shape(2);
  const Shape& w = g.in_shape(1);
  const Shape& y = g.out_shape();
  if (x.rank() != 4 || y.rank() != 4 || w.rank() != 4) return g.Error("tensors must be 4-D");
  ConvGeometry geo;
  geo.batches = x.dim(0);
  geo.in_h = x.dim(1);
  geo.in_w = x.dim(2);
  geo.in_c = x.dim(3);
  geo.out_h = y.dim(1);
  geo.out_w = y.dim(2);
  geo.out_c = y.dim(3);
  geo.filter_h = w.dim(1);
  geo.filter_w = w.dim(2);
  geo.stride_h = o.stride_h;
  geo.stride_w = o.stride_w;
  // As the runtime: the padding of the conv over the output this op inverts.
  const auto kind = o.padding == ir::Padding::kSame ? kernels::PaddingType::kSame
                                                    : kernels::PaddingType::kValid;
  geo.pad_h = Pad(o.padding, geo.out_h, geo.filter_h, o.stride_h, 1,
                  kernels::ConvOutputSize(kind, geo.out_h, geo.filter_h, o.stride_h, 1));
  geo.pad_w = Pad(o.padding, geo.out_w, geo.filter_w, o.stride_w, 1,
                  kernels::ConvOutputSize(kind, geo.out_w, geo.filter_w, o.stride_w, 1));
  std::vector<float> scratch;
  ASSIGN_OR_RETURN(const float* dz, MaskFusedActivation(g, o.activation, g.y(), g.dy(),
                                                        g.out[0]->NumElements(), &scratch));
  TransposeConvBackward(geo, g.x(2), g.x(1), dz, g.dx(2), g.dx(1), BiasGrad(g, 3));
  return Status::Ok();
}

}  // namespace

void RegisterConvGrads(GradRegistry* r) {
  r->Add(ir::OpKind::kConv2D, Conv2DGrad);
  r->Add(ir::OpKind::kDepthwiseConv2D, DepthwiseGrad);
  r->Add(ir::OpKind::kTransposeConv, TransposeConvGrad);
}

}  // namespace detlite::train
