// CUMSUM, BUCKETIZE, MATRIX_DIAG and MATRIX_SET_DIAG (TensorFlow's Cumsum,
// Bucketize, MatrixDiag and MatrixSetDiag) on float32 and int32 tensors.
// CUMSUM's axis must be a constant.
#include <memory>
#include <string>
#include <vector>

#include "kernels/reference/scan_segment.h"
#include "runtime/op_registry.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

Status NumericInput(const OpContext& ctx, int i, const char* what) {
  const DType t = ctx.input(i)->dtype;
  if (t != DType::kFloat32 && t != DType::kInt32) return shape::UnsupportedType(ctx, t, what);
  return Status::Ok();
}

struct CumsumData : OpData {
  int64_t outer = 1, n = 1, inner = 1;
  ir::CumsumOptions o;
};

// Inputs (x, axis: constant int32 scalar).
Status CumsumPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(NumericInput(ctx, 0, "input"));
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), ctx.input(0)->dtype, "output"));
  ASSIGN_OR_RETURN(ir::CumsumOptions o, shape::OptionsOr<ir::CumsumOptions>(ctx));
  if (!shape::HasValues(ctx.input(1))) return ctx.Error("axis must be a constant");
  std::vector<int64_t> axis;
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(1), "axis", &axis));
  if (axis.size() != 1) return ctx.Error("axis must be a scalar");
  const Shape& s = ctx.input(0)->shape;
  int a = 0;
  RETURN_IF_ERROR(shape::NormalizeAxis(ctx, axis[0], s.rank(), "axis", &a));
  auto d = std::make_unique<CumsumData>();
  d->outer = shape::Product(s, 0, a);
  d->n = s.dim(a);
  d->inner = shape::Product(s, a + 1, s.rank());
  d->o = o;
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, s);
  return Status::Ok();
}

Status CumsumEval(OpContext& ctx) {
  const CumsumData& d = ctx.data<CumsumData>();
  const TensorRef& x = *ctx.input(0);
  shape::ByFloatOrInt32(x.dtype, [&]<typename T>() {
    ref::Cumsum(x.Data<T>(), d.outer, d.n, d.inner, d.o.exclusive, d.o.reverse,
                ctx.output(0)->MutableData<T>());
  });
  return Status::Ok();
}

Status BucketizePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(NumericInput(ctx, 0, "input"));
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), DType::kInt32, "output"));
  ASSIGN_OR_RETURN(ir::BucketizeOptions o, shape::OptionsOr<ir::BucketizeOptions>(ctx));
  for (size_t i = 1; i < o.boundaries.size(); ++i) {
    if (!(o.boundaries[i] >= o.boundaries[i - 1])) return ctx.Error("boundaries must be ascending");
  }
  ctx.SetOutputShape(0, ctx.input(0)->shape);
  return Status::Ok();
}

Status BucketizeEval(OpContext& ctx) {
  const auto* o = std::get_if<ir::BucketizeOptions>(&ctx.op().options);
  static const std::vector<float> kNone;
  const std::vector<float>& b = o != nullptr ? o->boundaries : kNone;
  const TensorRef& x = *ctx.input(0);
  shape::ByFloatOrInt32(x.dtype, [&]<typename T>() {
    ref::Bucketize(x.Data<T>(), x.NumElements(), b.data(), static_cast<int64_t>(b.size()),
                   ctx.output(0)->MutableData<int32_t>());
  });
  return Status::Ok();
}

// MATRIX_DIAG: [..., n] -> [..., n, n].
Status MatrixDiagPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(NumericInput(ctx, 0, "diagonal"));
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), ctx.input(0)->dtype, "output"));
  Shape s = ctx.input(0)->shape;
  if (s.rank() < 1) return ctx.Error("diagonal must have rank >= 1");
  if (s.dim(s.rank() - 1) > (1 << 15)) return ctx.Error("diagonal is too long");
  s.dims().push_back(s.dim(s.rank() - 1));
  ctx.SetOutputShape(0, std::move(s));
  return Status::Ok();
}

Status MatrixDiagEval(OpContext& ctx) {
  const TensorRef& x = *ctx.input(0);
  const int64_t n = x.shape.dim(x.shape.rank() - 1);
  const int64_t batch = shape::Product(x.shape, 0, x.shape.rank() - 1);
  shape::ByFloatOrInt32(x.dtype, [&]<typename T>() {
    ref::MatrixDiag(x.Data<T>(), batch, n, ctx.output(0)->MutableData<T>());
  });
  return Status::Ok();
}

// MATRIX_SET_DIAG: (x [..., m, n], diagonal [..., min(m, n)]).
Status MatrixSetDiagPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(NumericInput(ctx, 0, "input"));
  RETURN_IF_ERROR(CheckDType(ctx, ctx.input(1), ctx.input(0)->dtype, "diagonal"));
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), ctx.input(0)->dtype, "output"));
  const Shape& s = ctx.input(0)->shape;
  if (s.rank() < 2) return ctx.Error("input must have rank >= 2, is " + s.ToString());
  Shape want(std::vector<int32_t>(s.dims().begin(), s.dims().end() - 2));
  want.dims().push_back(std::min(s.dim(s.rank() - 2), s.dim(s.rank() - 1)));
  if (ctx.input(1)->shape != want) {
    return ctx.Error("diagonal is " + ctx.input(1)->shape.ToString() + ", must be " + want.ToString());
  }
  ctx.SetOutputShape(0, s);
  return Status::Ok();
}

Status MatrixSetDiagEval(OpContext& ctx) {
  const TensorRef& x = *ctx.input(0);
  const int r = x.shape.rank();
  shape::ByFloatOrInt32(x.dtype, [&]<typename T>() {
    ref::MatrixSetDiag(x.Data<T>(), ctx.input(1)->Data<T>(), shape::Product(x.shape, 0, r - 2),
                       x.shape.dim(r - 2), x.shape.dim(r - 1), ctx.output(0)->MutableData<T>());
  });
  return Status::Ok();
}

}  // namespace

void RegisterShapeScanOps(OpRegistry* r) {
  r->Add(ir::OpKind::kCumsum, OpKernel{&CumsumPrepare, &CumsumEval});
  r->Add(ir::OpKind::kBucketize, OpKernel{&BucketizePrepare, &BucketizeEval});
  r->Add(ir::OpKind::kMatrixDiag, OpKernel{&MatrixDiagPrepare, &MatrixDiagEval});
  r->Add(ir::OpKind::kMatrixSetDiag, OpKernel{&MatrixSetDiagPrepare, &MatrixSetDiagEval});
}

}  // namespace detlite::runtime
