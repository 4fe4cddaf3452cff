// GATHER_ND: out[i..., :] = params[indices[i..., 0..k), :]. Indices are
// int32 or int64 and may be computed; each is range-checked when it runs.
#include <memory>
#include <string>

#include "kernels/reference/rearrange.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {

namespace {

struct GatherNdData : OpData {
  int64_t count = 0;  // index tuples
  int k = 0;          // entries per tuple
  int64_t slice = 1;  // elements copied per tuple
};

}  // namespace

Status GatherNdPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& p = *ctx.input(0);
  const TensorRef& idx = *ctx.input(1);
  if (shape::CopyableSize(p.dtype) == 0) return shape::UnsupportedType(ctx, p.dtype, "params");
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), p.dtype, "output"));
  RETURN_IF_ERROR(shape::CheckIntType(ctx, &idx, "indices"));
  if (idx.shape.rank() < 1) return ctx.Error("indices must have rank >= 1");
  const int k = idx.shape.dim(idx.shape.rank() - 1);
  if (k < 1 || k > p.shape.rank()) {
    return ctx.Error("index depth " + std::to_string(k) + " does not fit params " + p.shape.ToString());
  }
  auto d = std::make_unique<GatherNdData>();
  d->k = k;
  d->count = shape::Product(idx.shape, 0, idx.shape.rank() - 1);
  d->slice = shape::Product(p.shape, k, p.shape.rank());
  Shape out;
  for (int i = 0; i + 1 < idx.shape.rank(); ++i) out.dims().push_back(idx.shape.dim(i));
  for (int i = k; i < p.shape.rank(); ++i) out.dims().push_back(p.shape.dim(i));
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status GatherNdEval(OpContext& ctx) {
  const GatherNdData& d = ctx.data<GatherNdData>();
  const TensorRef& p = *ctx.input(0);
  const TensorRef& idx = *ctx.input(1);
  TensorRef& out = *ctx.output(0);
  bool ok = true;
  int64_t bad = 0;
  shape::DispatchBySize(shape::CopyableSize(p.dtype), [&]<typename U>() {
    ok = idx.dtype == DType::kInt32
             ? kernels::reference::GatherNd(p.shape, p.Data<U>(), idx.Data<int32_t>(), d.count, d.k,
                                            d.slice, out.MutableData<U>(), &bad)
             : kernels::reference::GatherNd(p.shape, p.Data<U>(), idx.Data<int64_t>(), d.count, d.k,
                                            d.slice, out.MutableData<U>(), &bad);
  });
  if (!ok) return ctx.Error("index tuple " + std::to_string(bad) + " is out of range of " + p.shape.ToString());
  return Status::Ok();
}

}  // namespace detlite::runtime
