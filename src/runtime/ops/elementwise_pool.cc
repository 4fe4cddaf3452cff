// MAX_POOL_2D and AVERAGE_POOL_2D on NHWC float32, uint8, int8 and int16.
//
// Quantized pooling works on raw values: TFLite assumes (and only checks in
// debug builds) that input and output share scale and zero point, and uses
// the output's only for the fused activation range. Mismatched parameters
// are therefore accepted and computed the same way here.
//
// Quantized MAX_POOL_2D with matching input and output quantization runs in
// XNNPACK in the real runtime; the maximum is the same, but XNNPACK rounds
// the fused activation's bounds half to even after adding the zero point
// (reference/xnnpack_quantized.h), which shows when e.g. 6 / scale is an odd
// multiple of 1/2. AVERAGE_POOL_2D stays with TFLite's kernel.
#include <cstdint>
#include <limits>
#include <memory>

#include "kernels/reference/pooling.h"
#include "kernels/reference/xnnpack_quantized.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_fast.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

struct PoolData : OpData {
  DType dtype = DType::kFloat32;
  bool is_max = true;
  ref::PoolParams p;
  float f_lo = 0.0f, f_hi = 0.0f;
  int32_t q_lo = 0, q_hi = 0;
};

Status PreparePool(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, in, out, "output"));
  RETURN_IF_ERROR(CheckRank(ctx, &in, 4, "input"));
  ASSIGN_OR_RETURN(const ir::Pool2DOptions opts,
                   elementwise::OptionsOr<ir::Pool2DOptions>(ctx));
  if (opts.stride_h < 1 || opts.stride_w < 1 || opts.filter_h < 1 ||
      opts.filter_w < 1) {
    return ctx.Error("filter and stride sizes must be positive");
  }
  auto d = std::make_unique<PoolData>();
  d->dtype = in.dtype;
  d->is_max = ctx.op().kind == ir::OpKind::kMaxPool2D;
  ref::PoolParams& p = d->p;
  p.batches = in.shape.dim(0);
  p.in_h = in.shape.dim(1);
  p.in_w = in.shape.dim(2);
  p.channels = in.shape.dim(3);
  p.filter_h = opts.filter_h;
  p.filter_w = opts.filter_w;
  p.stride_h = opts.stride_h;
  p.stride_w = opts.stride_w;
  const bool same = opts.padding == ir::Padding::kSame;
  ref::PoolOutputSize(same, p.in_h, p.filter_h, p.stride_h, &p.out_h, &p.pad_top);
  ref::PoolOutputSize(same, p.in_w, p.filter_w, p.stride_w, &p.out_w, &p.pad_left);
  if (p.out_h < 1 || p.out_w < 1) {
    return ctx.Error("filter " + std::to_string(p.filter_h) + "x" +
                     std::to_string(p.filter_w) + " does not fit input " +
                     in.shape.ToString() + " with VALID padding");
  }
  ASSIGN_OR_RETURN(const kernels::FusedActivation act,
                   elementwise::ToFusedActivation(ctx, opts.activation));
  switch (in.dtype) {
    case DType::kFloat32:
      elementwise::FloatActivationBounds(act, &d->f_lo, &d->f_hi);
      break;
    case DType::kUInt8:
    case DType::kInt8:
    case DType::kInt16:
      RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, in, "input"));
      RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, out, "output"));
      RETURN_IF_ERROR(elementwise::QuantizedActivationBounds(ctx, act, out,
                                                             &d->q_lo, &d->q_hi));
      if (d->is_max && in.scale() == out.scale() &&
          in.zero_point() == out.zero_point()) {
        if (in.dtype == DType::kUInt8) {
          ref::XnnpackActivationRange<uint8_t>(act, out.scale(), out.zero_point(),
                                               &d->q_lo, &d->q_hi);
        } else if (in.dtype == DType::kInt8) {
          ref::XnnpackActivationRange<int8_t>(act, out.scale(), out.zero_point(),
                                              &d->q_lo, &d->q_hi);
        }
      }
      break;
    default:
      return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetOutputShape(0, Shape({p.batches, p.out_h, p.out_w, p.channels}));
  ctx.SetData(std::move(d));
  return Status::Ok();
}

template <typename T>
void RunPool(const PoolData& d, T lo, T hi, const TensorRef& in, TensorRef& out) {
  if (d.is_max) {
    ref::MaxPool(d.p, lo, hi, in.Data<T>(), out.MutableData<T>());
  } else {
    ref::AveragePool(d.p, lo, hi, in.Data<T>(), out.MutableData<T>());
  }
}

Status EvalPool(OpContext& ctx) {
  const auto& d = ctx.data<PoolData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  switch (d.dtype) {
    case DType::kFloat32:
      if (d.is_max && elementwise::UseFastFloat()) {
        kernels::optimized::MaxPoolF32(kernels::optimized::ActiveIsa(), d.p,
                                       d.f_lo, d.f_hi, in.Data<float>(),
                                       out.MutableData<float>(),
                                       CurrentParallel());
        break;
      }
      RunPool<float>(d, d.f_lo, d.f_hi, in, out);
      break;
    case DType::kUInt8:
      RunPool<uint8_t>(d, static_cast<uint8_t>(d.q_lo),
                       static_cast<uint8_t>(d.q_hi), in, out);
      break;
    case DType::kInt8:
      RunPool<int8_t>(d, static_cast<int8_t>(d.q_lo), static_cast<int8_t>(d.q_hi),
                      in, out);
      break;
    case DType::kInt16:
      RunPool<int16_t>(d, static_cast<int16_t>(d.q_lo),
                       static_cast<int16_t>(d.q_hi), in, out);
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

}  // namespace

void RegisterElementwisePoolOps(OpRegistry* r) {
  r->Add(ir::OpKind::kMaxPool2D, OpKernel{&PreparePool, &EvalPool});
  r->Add(ir::OpKind::kAveragePool2D, OpKernel{&PreparePool, &EvalPool});
}

}  // namespace detlite::runtime
