// LOGICAL_AND, LOGICAL_OR, LOGICAL_NOT on bool tensors (the binary ones
// broadcast), and SELECT / SELECT_V2 (cond ? x : y; x, y float32, int32,
// int64, or int8 / uint8 sharing the output's scale and zero point).
#include <memory>

#include "kernels/reference/broadcast.h"
#include "kernels/reference/select.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

Status BroadcastOutput(OpContext& ctx, const Shape& a, const Shape& b, Shape* out) {
  if (!ref::BroadcastShapes(a, b, out)) {
    return ctx.Error("cannot broadcast " + a.ToString() + " with " + b.ToString());
  }
  return Status::Ok();
}

Status PrepareLogical(OpContext& ctx) {
  const bool unary = ctx.op().kind == ir::OpKind::kLogicalNot;
  RETURN_IF_ERROR(CheckInputCount(ctx, unary ? 1 : 2, unary ? 1 : 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    RETURN_IF_ERROR(CheckDType(ctx, ctx.input(i), DType::kBool, "input"));
  }
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), DType::kBool, "output"));
  Shape out = ctx.input(0)->shape;
  if (!unary) RETURN_IF_ERROR(BroadcastOutput(ctx, ctx.input(0)->shape, ctx.input(1)->shape, &out));
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status EvalLogical(OpContext& ctx) {
  const TensorRef& a = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  bool* o = out.MutableData<bool>();
  switch (ctx.op().kind) {
    case ir::OpKind::kLogicalNot:
      for (int64_t i = 0; i < a.NumElements(); ++i) o[i] = !a.Data<bool>()[i];
      break;
    case ir::OpKind::kLogicalAnd:
      ref::BroadcastBinary(a.shape, a.Data<bool>(), ctx.input(1)->shape, ctx.input(1)->Data<bool>(),
                           out.shape, o, [](bool x, bool y) { return x && y; });
      break;
    default:
      ref::BroadcastBinary(a.shape, a.Data<bool>(), ctx.input(1)->shape, ctx.input(1)->Data<bool>(),
                           out.shape, o, [](bool x, bool y) { return x || y; });
      break;
  }
  return Status::Ok();
}

bool SameQuant(const TensorRef& a, const TensorRef& b) {
  return a.scale() == b.scale() && a.zero_point() == b.zero_point();
}

struct SelectData : OpData {
  bool rows = false;  // SELECT v1 with a vector cond over the first dimension
};

Status PrepareSelect(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 3, 3));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& c = *ctx.input(0);
  const TensorRef& x = *ctx.input(1);
  const TensorRef& y = *ctx.input(2);
  const TensorRef& out = *ctx.output(0);
  RETURN_IF_ERROR(CheckDType(ctx, &c, DType::kBool, "condition"));
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, x, y, "input 2"));
  RETURN_IF_ERROR(elementwise::CheckSameDType(ctx, x, out, "output"));
  switch (x.dtype) {
    case DType::kFloat32: case DType::kInt32: case DType::kInt64: break;
    case DType::kInt8: case DType::kUInt8:
      if (!SameQuant(x, out) || !SameQuant(y, out)) {
        return ctx.Error("quantized inputs need the output's scale and zero point");
      }
      break;
    default:
      return elementwise::UnsupportedType(ctx, x.dtype);
  }
  auto d = std::make_unique<SelectData>();
  Shape shape;
  if (ctx.op().kind == ir::OpKind::kSelect) {
    if (x.shape != y.shape) {
      return ctx.Error("inputs differ in shape: " + x.shape.ToString() + " and " + y.shape.ToString());
    }
    d->rows = c.shape.rank() == 1 && x.shape.rank() > 1;
    if (d->rows ? c.shape.dim(0) != x.shape.dim(0) : c.shape != x.shape) {
      return ctx.Error("condition " + c.shape.ToString() + " must have the inputs' shape " +
                       x.shape.ToString() + " or be a vector over their first dimension");
    }
    shape = x.shape;
  } else if (!ref::BroadcastShapes3(c.shape, x.shape, y.shape, &shape)) {
    return ctx.Error("cannot broadcast " + c.shape.ToString() + ", " + x.shape.ToString() +
                     " and " + y.shape.ToString());
  }
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, std::move(shape));
  return Status::Ok();
}

template <typename T>
void SelectTyped(OpContext& ctx) {
  const TensorRef& c = *ctx.input(0);
  const TensorRef& x = *ctx.input(1);
  const TensorRef& y = *ctx.input(2);
  TensorRef& out = *ctx.output(0);
  if (ctx.data<SelectData>().rows) {
    const int64_t rows = x.shape.dim(0);
    ref::SelectRows(rows, c.Data<bool>(), rows ? x.NumElements() / rows : 0, x.Data<T>(),
                    y.Data<T>(), out.MutableData<T>());
    return;
  }
  ref::SelectV2(c.shape, c.Data<bool>(), x.shape, x.Data<T>(), y.shape, y.Data<T>(), out.shape,
                out.MutableData<T>());
}

Status EvalSelect(OpContext& ctx) {
  switch (ctx.input(1)->dtype) {
    case DType::kFloat32: SelectTyped<float>(ctx); break;
    case DType::kInt32: SelectTyped<int32_t>(ctx); break;
    case DType::kInt64: SelectTyped<int64_t>(ctx); break;
    case DType::kInt8: SelectTyped<int8_t>(ctx); break;
    default: SelectTyped<uint8_t>(ctx); break;
  }
  return Status::Ok();
}

}  // namespace

void RegisterElementwiseLogicOps(OpRegistry* r) {
  for (ir::OpKind k : {ir::OpKind::kLogicalAnd, ir::OpKind::kLogicalOr, ir::OpKind::kLogicalNot}) {
    r->Add(k, OpKernel{&PrepareLogical, &EvalLogical});
  }
  r->Add(ir::OpKind::kSelect, OpKernel{&PrepareSelect, &EvalSelect});
  r->Add(ir::OpKind::kSelectV2, OpKernel{&PrepareSelect, &EvalSelect});
}

}  // namespace detlite::runtime
