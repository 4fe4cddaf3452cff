// SOFTMAX over the last dimension with beta: float32, uint8 and int8 (output
// scale 1/256; TFLite requires zero point -128 for int8); LOG_SOFTMAX float32.
#include <cmath>
#include <cstdint>
#include <memory>

#include "kernels/reference/softmax.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

struct SoftmaxData : OpData {
  DType dtype = DType::kFloat32;
  float beta = 1.0f;
  int64_t outer = 0;
  int64_t depth = 0;
  ref::QuantizedSoftmaxParams q;
};

Status PrepareSoftmax(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, in, out, "output"));
  if (in.shape.rank() < 1) return ctx.Error("input must have rank >= 1");
  ASSIGN_OR_RETURN(const ir::SoftmaxOptions opts,
                   elementwise::OptionsOr<ir::SoftmaxOptions>(ctx));
  auto d = std::make_unique<SoftmaxData>();
  d->dtype = in.dtype;
  d->beta = opts.beta;
  d->depth = in.shape.dim(in.shape.rank() - 1);
  d->outer = in.shape.FlatSize(0, in.shape.rank() - 1);
  if (elementwise::IsQuantized8(in.dtype)) {
    RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, in, "input"));
    RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, out, "output"));
    if (in.dtype == DType::kInt8) {
      if (out.zero_point() != -128 ||
          std::abs(out.scale() - 1.0f / 256) > 0.001f / 256) {
        return ctx.Error("int8 output needs scale 1/256 and zero point -128");
      }
    }
    ref::PrepareQuantizedSoftmax(in.scale(), opts.beta, out.scale(),
                                 out.zero_point(), &d->q);
  } else if (in.dtype != DType::kFloat32) {
    return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, in.shape);
  return Status::Ok();
}

Status EvalSoftmax(OpContext& ctx) {
  const auto& d = ctx.data<SoftmaxData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  switch (d.dtype) {
    case DType::kFloat32:
      ref::SoftmaxFloat(d.beta, d.outer, d.depth, in.Data<float>(),
                        out.MutableData<float>());
      break;
    case DType::kUInt8:
      ref::QuantizedSoftmax(d.q, d.outer, d.depth, in.Data<uint8_t>(),
                            out.MutableData<uint8_t>());
      break;
    case DType::kInt8:
      ref::QuantizedSoftmax(d.q, d.outer, d.depth, in.Data<int8_t>(),
                            out.MutableData<int8_t>());
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

// LOG_SOFTMAX, float32, over the last dimension: x - max - log(sum(exp(x -
// max))).
Status PrepareLogSoftmax(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, in, *ctx.output(0), "output"));
  if (in.dtype != DType::kFloat32) return elementwise::UnsupportedType(ctx, in.dtype);
  if (in.shape.rank() < 1) return ctx.Error("input must have rank >= 1");
  ctx.SetOutputShape(0, in.shape);
  return Status::Ok();
}

Status EvalLogSoftmax(OpContext& ctx) {
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  const int64_t depth = in.shape.dim(in.shape.rank() - 1);
  ref::LogSoftmaxFloat(in.shape.FlatSize(0, in.shape.rank() - 1), depth, in.Data<float>(),
                       out.MutableData<float>());
  return Status::Ok();
}

}  // namespace

void RegisterElementwiseSoftmaxOps(OpRegistry* r) {
  r->Add(ir::OpKind::kSoftmax, OpKernel{&PrepareSoftmax, &EvalSoftmax});
  r->Add(ir::OpKind::kLogSoftmax, OpKernel{&PrepareLogSoftmax, &EvalLogSoftmax});
}

}  // namespace detlite::runtime
