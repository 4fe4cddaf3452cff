// EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL (bool outputs)
// and FLOOR_DIV, FLOOR_MOD: two inputs of one type, broadcast against each
// other. Types: float32, int32, int64 (and bool for EQUAL / NOT_EQUAL);
// FLOOR_DIV float32 and int32, FLOOR_MOD float32, int32 and int64, as the
// TFLite kernels take them. Quantized inputs are not supported here.
#include <memory>
#include <string>
#include <type_traits>

#include "kernels/reference/broadcast.h"
#include "kernels/reference/comparison.h"
#include "kernels/reference/floor_div_mod.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

struct CompareData : OpData {
  ref::CompareOp op = ref::CompareOp::kEqual;
};

ref::CompareOp CompareOpFor(ir::OpKind kind) {
  switch (kind) {
    case ir::OpKind::kNotEqual: return ref::CompareOp::kNotEqual;
    case ir::OpKind::kLess: return ref::CompareOp::kLess;
    case ir::OpKind::kLessEqual: return ref::CompareOp::kLessEqual;
    case ir::OpKind::kGreater: return ref::CompareOp::kGreater;
    case ir::OpKind::kGreaterEqual: return ref::CompareOp::kGreaterEqual;
    default: return ref::CompareOp::kEqual;
  }
}

bool Supported(ir::OpKind kind, DType t) {
  switch (kind) {
    case ir::OpKind::kEqual:
    case ir::OpKind::kNotEqual:
      return t == DType::kFloat32 || t == DType::kInt32 || t == DType::kInt64 || t == DType::kBool;
    case ir::OpKind::kFloorDiv:
      return t == DType::kFloat32 || t == DType::kInt32;
    case ir::OpKind::kFloorMod:
      return t == DType::kFloat32 || t == DType::kInt32 || t == DType::kInt64;
    default:
      return t == DType::kFloat32 || t == DType::kInt32 || t == DType::kInt64;
  }
}

bool IsFloorOp(ir::OpKind kind) {
  return kind == ir::OpKind::kFloorDiv || kind == ir::OpKind::kFloorMod;
}

template <typename T>
bool HasZero(const TensorRef& t) {
  for (int64_t i = 0; i < t.NumElements(); ++i) {
    if (t.Data<T>()[i] == 0) return true;
  }
  return false;
}

bool IntegerDivisorHasZero(const TensorRef& b) {
  if (b.dtype == DType::kInt32) return HasZero<int32_t>(b);
  if (b.dtype == DType::kInt64) return HasZero<int64_t>(b);
  return false;
}

Status Prepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& a = *ctx.input(0);
  const TensorRef& b = *ctx.input(1);
  const TensorRef& out = *ctx.output(0);
  const ir::OpKind kind = ctx.op().kind;
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, a, b, "input 1"));
  if (!Supported(kind, a.dtype)) return elementwise::UnsupportedType(ctx, a.dtype);
  if (IsFloorOp(kind)) {
    RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, a, out, "output"));
    if (b.is_constant && b.data != nullptr && IntegerDivisorHasZero(b)) {
      return ctx.Error("integer division by zero");
    }
  } else {
    RETURN_IF_ERROR(CheckDType(ctx, &out, DType::kBool, "output"));
  }
  Shape out_shape;
  if (!ref::BroadcastShapes(a.shape, b.shape, &out_shape)) {
    return ctx.Error("cannot broadcast " + a.shape.ToString() + " with " + b.shape.ToString());
  }
  if (out_shape.rank() > ref::kMaxBroadcastRank && a.shape != b.shape) {
    return Status(StatusCode::kUnimplemented,
                  ctx.Error("broadcasting beyond " + std::to_string(ref::kMaxBroadcastRank) +
                            " dimensions").message());
  }
  auto data = std::make_unique<CompareData>();
  data->op = CompareOpFor(kind);
  ctx.SetData(std::move(data));
  ctx.SetOutputShape(0, std::move(out_shape));
  return Status::Ok();
}

template <typename T>
Status EvalTyped(OpContext& ctx) {
  const TensorRef& a = *ctx.input(0);
  const TensorRef& b = *ctx.input(1);
  TensorRef& out = *ctx.output(0);
  switch (ctx.op().kind) {
    case ir::OpKind::kFloorDiv:
    case ir::OpKind::kFloorMod:
      if constexpr (std::is_same_v<T, bool>) {
        return ctx.Error("bool inputs");
      } else {
        if (IntegerDivisorHasZero(b)) return ctx.Error("integer division by zero");
        if (ctx.op().kind == ir::OpKind::kFloorDiv) {
          ref::FloorDiv(a.shape, a.Data<T>(), b.shape, b.Data<T>(), out.shape, out.MutableData<T>());
        } else {
          ref::FloorMod(a.shape, a.Data<T>(), b.shape, b.Data<T>(), out.shape, out.MutableData<T>());
        }
      }
      return Status::Ok();
    default:
      ref::Compare(ctx.data<CompareData>().op, a.shape, a.Data<T>(), b.shape, b.Data<T>(),
                   out.shape, out.MutableData<bool>());
      return Status::Ok();
  }
}

Status Eval(OpContext& ctx) {
  switch (ctx.input(0)->dtype) {
    case DType::kFloat32: return EvalTyped<float>(ctx);
    case DType::kInt32: return EvalTyped<int32_t>(ctx);
    case DType::kInt64: return EvalTyped<int64_t>(ctx);
    case DType::kBool: return EvalTyped<bool>(ctx);
    default: return elementwise::UnsupportedType(ctx, ctx.input(0)->dtype);
  }
}

}  // namespace

void RegisterElementwiseCompareOps(OpRegistry* r) {
  const OpKernel k{&Prepare, &Eval};
  for (ir::OpKind kind : {ir::OpKind::kEqual, ir::OpKind::kNotEqual, ir::OpKind::kLess,
                          ir::OpKind::kLessEqual, ir::OpKind::kGreater, ir::OpKind::kGreaterEqual,
                          ir::OpKind::kFloorDiv, ir::OpKind::kFloorMod}) {
    r->Add(kind, k);
  }
}

}  // namespace detlite::runtime
