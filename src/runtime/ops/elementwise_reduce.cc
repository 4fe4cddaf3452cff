// MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD and REDUCE_ANY (bool) over constant int32 axes (negative axes count from the end,
// repeats are ignored), with keep_dims. Types: float32 and int32; uint8 and
// int8 MEAN with requantization (the three routes of reference/reduce.h).
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/reference/reduce.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

struct ReduceData : OpData {
  DType dtype = DType::kFloat32;
  ir::OpKind kind = ir::OpKind::kMean;
  bool is_mean = true;
  ref::ReduceGeometry geometry;
  ref::QuantizedMeanParams q;
};

ref::QuantizedMeanRoute ChooseMeanRoute(const TensorRef& in,
                                        const TensorRef& out,
                                        const std::vector<bool>& reduced) {
  // The axis sets XNNPACK takes over in the real runtime, for the scale
  // ratios it accepts.
  const float ratio = in.scale() / out.scale();
  if (in.shape.rank() == 4 && !reduced[0] && !reduced[3] && reduced[2] &&
      ratio >= 0x1.0p-8f && ratio < 0x1.0p+8f) {
    return ref::QuantizedMeanRoute::kRescaleEven;
  }
  if (in.scale() == out.scale() && in.zero_point() == out.zero_point()) {
    return ref::QuantizedMeanRoute::kTruncate;
  }
  return ref::QuantizedMeanRoute::kRescaleAway;
}

Status PrepareReduce(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& axes = *ctx.input(1);
  const TensorRef& out = *ctx.output(0);
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, in, out, "output"));
  RETURN_IF_ERROR(CheckDType(ctx, &axes, DType::kInt32, "axis"));
  if (!axes.is_constant) {
    return Status(StatusCode::kUnimplemented,
                  ctx.Error("axis tensor must be constant").message());
  }
  ASSIGN_OR_RETURN(const ir::ReducerOptions opts,
                   elementwise::OptionsOr<ir::ReducerOptions>(ctx));
  auto d = std::make_unique<ReduceData>();
  d->dtype = in.dtype;
  d->kind = ctx.op().kind;
  d->is_mean = d->kind == ir::OpKind::kMean;
  const bool max_min = d->kind == ir::OpKind::kReduceMax || d->kind == ir::OpKind::kReduceMin;

  const int rank = in.shape.rank();
  std::vector<bool> reduced(static_cast<size_t>(rank), false);
  const int32_t* axis = axes.Data<int32_t>();
  for (int64_t i = 0; i < axes.NumElements(); ++i) {
    int32_t a = axis[i];
    if (a < -rank || a >= rank) {
      return ctx.Error("axis " + std::to_string(a) + " is out of range for " +
                       in.shape.ToString());
    }
    if (a < 0) a += rank;
    reduced[static_cast<size_t>(a)] = true;
  }
  std::vector<int32_t> out_dims;
  for (int i = 0; i < rank; ++i) {
    if (!reduced[static_cast<size_t>(i)]) {
      out_dims.push_back(in.shape.dim(i));
    } else if (opts.keep_dims) {
      out_dims.push_back(1);
    }
  }
  d->geometry = ref::MakeReduceGeometry(in.shape, reduced);
  if ((d->is_mean || max_min) && d->geometry.reduced_count == 0) {
    return ctx.Error("reduction over an empty axis");
  }

  const bool any = d->kind == ir::OpKind::kReduceAny;
  if (any != (in.dtype == DType::kBool)) return elementwise::UnsupportedType(ctx, in.dtype);
  switch (in.dtype) {
    case DType::kFloat32:
    case DType::kInt32:
    case DType::kBool:
      break;
    case DType::kUInt8:
    case DType::kInt8:
      if (!d->is_mean) return elementwise::UnsupportedType(ctx, in.dtype);
      RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, in, "input"));
      RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, out, "output"));
      d->q.route = ChooseMeanRoute(in, out, reduced);
      d->q.input_scale = in.scale();
      d->q.input_zero_point = in.zero_point();
      d->q.output_scale = out.scale();
      d->q.output_zero_point = out.zero_point();
      break;
    default:
      return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, Shape(std::move(out_dims)));
  return Status::Ok();
}

Status EvalReduce(OpContext& ctx) {
  const auto& d = ctx.data<ReduceData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  switch (d.dtype) {
    case DType::kBool:
      ref::ReduceAny(d.geometry, in.Data<bool>(), out.MutableData<bool>());
      break;
    case DType::kFloat32:
      if (d.kind == ir::OpKind::kReduceProd) {
        ref::ReduceProd(d.geometry, in.Data<float>(), out.MutableData<float>());
      } else if (d.kind == ir::OpKind::kReduceMax || d.kind == ir::OpKind::kReduceMin) {
        ref::ReduceMaxMin(d.geometry, d.kind == ir::OpKind::kReduceMax, in.Data<float>(),
                          out.MutableData<float>());
      } else if (d.is_mean) {
        ref::MeanFloat(d.geometry, in.Data<float>(), out.MutableData<float>());
      } else {
        ref::SumFloat(d.geometry, in.Data<float>(), out.MutableData<float>());
      }
      break;
    case DType::kInt32:
      if (d.kind == ir::OpKind::kReduceProd) {
        ref::ReduceProd(d.geometry, in.Data<int32_t>(), out.MutableData<int32_t>());
      } else if (d.kind == ir::OpKind::kReduceMax || d.kind == ir::OpKind::kReduceMin) {
        ref::ReduceMaxMin(d.geometry, d.kind == ir::OpKind::kReduceMax, in.Data<int32_t>(),
                          out.MutableData<int32_t>());
      } else if (d.is_mean) {
        ref::MeanInt32(d.geometry, in.Data<int32_t>(), out.MutableData<int32_t>());
      } else {
        ref::SumInt32(d.geometry, in.Data<int32_t>(), out.MutableData<int32_t>());
      }
      break;
    case DType::kUInt8:
      ref::QuantizedMean(d.q, d.geometry, in.Data<uint8_t>(),
                         out.MutableData<uint8_t>());
      break;
    case DType::kInt8:
      ref::QuantizedMean(d.q, d.geometry, in.Data<int8_t>(),
                         out.MutableData<int8_t>());
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

}  // namespace

void RegisterElementwiseReduceOps(OpRegistry* r) {
  r->Add(ir::OpKind::kMean, OpKernel{&PrepareReduce, &EvalReduce});
  r->Add(ir::OpKind::kSum, OpKernel{&PrepareReduce, &EvalReduce});
  r->Add(ir::OpKind::kReduceMax, OpKernel{&PrepareReduce, &EvalReduce});
  r->Add(ir::OpKind::kReduceMin, OpKernel{&PrepareReduce, &EvalReduce});
  r->Add(ir::OpKind::kReduceProd, OpKernel{&PrepareReduce, &EvalReduce});
  r->Add(ir::OpKind::kReduceAny, OpKernel{&PrepareReduce, &EvalReduce});
}

}  // namespace detlite::runtime
