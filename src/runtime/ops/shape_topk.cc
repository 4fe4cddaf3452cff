// TOPK_V2: input [..., n] (float32 or int32), k an int32 scalar known when
// the op is prepared; outputs values [..., k] and int32 indices [..., k].
#include <string>
#include <vector>

#include "kernels/reference/topk.h"
#include "runtime/op_registry.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

Status TopKPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 2));
  const TensorRef& in = *ctx.input(0);
  const TensorRef* k = ctx.input(1);
  if (in.dtype != DType::kFloat32 && in.dtype != DType::kInt32) {
    return shape::UnsupportedType(ctx, in.dtype, "input");
  }
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), in.dtype, "output 0"));
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(1), DType::kInt32, "output 1"));
  RETURN_IF_ERROR(CheckDType(ctx, k, DType::kInt32, "k"));
  if (in.shape.rank() < 1) return ctx.Error("input must have rank >= 1");
  if (k->NumElements() != 1) return ctx.Error("k must hold one value");
  if (!shape::HasValues(k)) {
    return Status(StatusCode::kUnimplemented, ctx.Error("k must be a constant").message());
  }
  const int32_t kv = k->Data<int32_t>()[0];
  const int32_t n = in.shape.dim(in.shape.rank() - 1);
  if (kv < 0 || kv > n) {
    return ctx.Error("k = " + std::to_string(kv) + " is outside 0.." + std::to_string(n));
  }
  std::vector<int32_t> dims = in.shape.dims();
  dims.back() = kv;
  ctx.SetOutputShape(0, Shape(dims));
  ctx.SetOutputShape(1, Shape(dims));
  return Status::Ok();
}

Status TopKEval(OpContext& ctx) {
  const TensorRef& in = *ctx.input(0);
  const int32_t n = in.shape.dim(in.shape.rank() - 1);
  const int32_t k = ctx.output(0)->shape.dim(in.shape.rank() - 1);
  const int64_t rows = n == 0 ? 0 : in.NumElements() / n;
  int32_t* indices = ctx.output(1)->MutableData<int32_t>();
  if (in.dtype == DType::kFloat32) {
    ref::TopK(in.Data<float>(), rows, n, k, ctx.output(0)->MutableData<float>(), indices);
  } else {
    ref::TopK(in.Data<int32_t>(), rows, n, k, ctx.output(0)->MutableData<int32_t>(), indices);
  }
  return Status::Ok();
}

}  // namespace

void RegisterShapeTopKOps(OpRegistry* r) {
  r->Add(ir::OpKind::kTopkV2, OpKernel{&TopKPrepare, &TopKEval});
}

}  // namespace detlite::runtime
