// EXP, SQRT, RSQRT, ABS, NEG, SQUARE, LOG, CEIL, FLOOR, ROUND, SIN, COS, SIGN on float32; NEG also on int32 and int64
// (wrapping, as TFLite's negate does).
#include <cstdint>
#include <memory>
#include <type_traits>

#include "kernels/reference/unary_math.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

struct UnaryData : OpData {
  DType dtype = DType::kFloat32;
  ref::UnaryOp op = ref::UnaryOp::kExp;
};

ref::UnaryOp OpFor(ir::OpKind kind) {
  switch (kind) {
    case ir::OpKind::kSqrt:
      return ref::UnaryOp::kSqrt;
    case ir::OpKind::kRsqrt:
      return ref::UnaryOp::kRsqrt;
    case ir::OpKind::kAbs:
      return ref::UnaryOp::kAbs;
    case ir::OpKind::kNeg:
      return ref::UnaryOp::kNeg;
    case ir::OpKind::kSquare:
      return ref::UnaryOp::kSquare;
    case ir::OpKind::kLog:
      return ref::UnaryOp::kLog;
    case ir::OpKind::kCeil:
      return ref::UnaryOp::kCeil;
    case ir::OpKind::kFloor:
      return ref::UnaryOp::kFloor;
    case ir::OpKind::kRound:
      return ref::UnaryOp::kRound;
    case ir::OpKind::kSin:
      return ref::UnaryOp::kSin;
    case ir::OpKind::kCos:
      return ref::UnaryOp::kCos;
    case ir::OpKind::kSign:
      return ref::UnaryOp::kSign;
    default:
      return ref::UnaryOp::kExp;
  }
}

Status PrepareUnary(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  RETURN_IF_ERROR(
      elementwise::CheckSameDType(ctx, in, *ctx.output(0), "output"));
  auto d = std::make_unique<UnaryData>();
  d->dtype = in.dtype;
  d->op = OpFor(ctx.op().kind);
  const bool int_neg = d->op == ref::UnaryOp::kNeg &&
                       (in.dtype == DType::kInt32 || in.dtype == DType::kInt64);
  if (in.dtype != DType::kFloat32 && !int_neg) {
    return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, in.shape);
  return Status::Ok();
}

template <typename T>
void NegateWrapping(int64_t n, const T* in, T* out) {
  using U = std::make_unsigned_t<T>;
  for (int64_t i = 0; i < n; ++i) {
    out[i] = static_cast<T>(U{0} - static_cast<U>(in[i]));
  }
}

Status EvalUnary(OpContext& ctx) {
  const auto& d = ctx.data<UnaryData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  const int64_t n = in.NumElements();
  switch (d.dtype) {
    case DType::kFloat32:
      ref::UnaryFloat(d.op, n, in.Data<float>(), out.MutableData<float>());
      break;
    case DType::kInt32:
      NegateWrapping(n, in.Data<int32_t>(), out.MutableData<int32_t>());
      break;
    case DType::kInt64:
      NegateWrapping(n, in.Data<int64_t>(), out.MutableData<int64_t>());
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

}  // namespace

void RegisterElementwiseUnaryOps(OpRegistry* r) {
  for (ir::OpKind kind :
       {ir::OpKind::kExp, ir::OpKind::kSqrt, ir::OpKind::kRsqrt,
        ir::OpKind::kAbs, ir::OpKind::kNeg, ir::OpKind::kSquare,
        ir::OpKind::kLog, ir::OpKind::kCeil, ir::OpKind::kFloor,
        ir::OpKind::kRound, ir::OpKind::kSin, ir::OpKind::kCos, ir::OpKind::kSign}) {
    r->Add(kind, OpKernel{&PrepareUnary, &EvalUnary});
  }
}

}  // namespace detlite::runtime
