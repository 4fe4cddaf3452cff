// POW (float32 and int32, broadcasting; an int32 negative exponent is an
// error, as in TFLite) and ZEROS_LIKE (float32, int32, int64).
#include <cmath>
#include <cstring>

#include "kernels/reference/broadcast.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

int32_t IntPow(int32_t base, int32_t exp) {
  // Square and multiply; wraps on overflow as two's complement.
  uint32_t result = 1, b = static_cast<uint32_t>(base);
  for (uint32_t e = static_cast<uint32_t>(exp); e != 0; e >>= 1) {
    if (e & 1) result *= b;
    b *= b;
  }
  return static_cast<int32_t>(result);
}

bool HasNegative(const TensorRef& t) {
  for (int64_t i = 0; i < t.NumElements(); ++i) {
    if (t.Data<int32_t>()[i] < 0) return true;
  }
  return false;
}

Status PreparePow(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& a = *ctx.input(0);
  const TensorRef& b = *ctx.input(1);
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, a, b, "input 1"));
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, a, *ctx.output(0), "output"));
  if (a.dtype != DType::kFloat32 && a.dtype != DType::kInt32) {
    return elementwise::UnsupportedType(ctx, a.dtype);
  }
  if (a.dtype == DType::kInt32 && b.is_constant && b.data != nullptr && HasNegative(b)) {
    return ctx.Error("integers to negative integer powers are not allowed");
  }
  Shape out;
  if (!ref::BroadcastShapes(a.shape, b.shape, &out)) {
    return ctx.Error("cannot broadcast " + a.shape.ToString() + " with " + b.shape.ToString());
  }
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status EvalPow(OpContext& ctx) {
  const TensorRef& a = *ctx.input(0);
  const TensorRef& b = *ctx.input(1);
  TensorRef& out = *ctx.output(0);
  if (a.dtype == DType::kFloat32) {
    ref::BroadcastBinary(a.shape, a.Data<float>(), b.shape, b.Data<float>(), out.shape,
                         out.MutableData<float>(), [](float x, float y) { return std::pow(x, y); });
    return Status::Ok();
  }
  if (HasNegative(b)) return ctx.Error("integers to negative integer powers are not allowed");
  ref::BroadcastBinary(a.shape, a.Data<int32_t>(), b.shape, b.Data<int32_t>(), out.shape,
                       out.MutableData<int32_t>(), IntPow);
  return Status::Ok();
}

Status PrepareZerosLike(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, in, *ctx.output(0), "output"));
  if (in.dtype != DType::kFloat32 && in.dtype != DType::kInt32 && in.dtype != DType::kInt64) {
    return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetOutputShape(0, in.shape);
  return Status::Ok();
}

Status EvalZerosLike(OpContext& ctx) {
  TensorRef& out = *ctx.output(0);
  std::memset(out.data, 0, out.bytes);  // 0 bits are 0 in all three types
  return Status::Ok();
}

}  // namespace

void RegisterElementwisePowOps(OpRegistry* r) {
  r->Add(ir::OpKind::kPow, OpKernel{&PreparePow, &EvalPow});
  r->Add(ir::OpKind::kZerosLike, OpKernel{&PrepareZerosLike, &EvalZerosLike});
}

}  // namespace detlite::runtime
