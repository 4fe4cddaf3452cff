// GATHER, TILE and TRANSPOSE: element rearrangements driven by an integer
// parameter tensor.
#include <memory>
#include <string>
#include <vector>

#include "kernels/reference/gather.h"
#include "kernels/reference/tile.h"
#include "kernels/reference/transpose.h"
#include "runtime/op_registry.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;
using shape::OptionsOr;

Status CheckCopyTypes(const OpContext& ctx) {
  const TensorRef& in = *ctx.input(0);
  if (shape::CopyableSize(in.dtype) == 0) return shape::UnsupportedType(ctx, in.dtype, "input");
  return CheckDType(ctx, ctx.output(0), in.dtype, "output");
}

// --- GATHER ----------------------------------------------------------------

struct GatherData : OpData {
  ref::GatherGeometry geometry;
};

Status GatherPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CheckCopyTypes(ctx));
  ASSIGN_OR_RETURN(const ir::GatherOptions opts, OptionsOr<ir::GatherOptions>(ctx));
  const Shape& in = ctx.input(0)->shape;
  const TensorRef& idx = *ctx.input(1);
  if (idx.dtype != DType::kInt32 && idx.dtype != DType::kInt64 && idx.dtype != DType::kInt16) {
    return shape::UnsupportedType(ctx, idx.dtype, "indices");
  }
  const Shape& pos = idx.shape;
  int axis;
  RETURN_IF_ERROR(shape::NormalizeAxis(ctx, opts.axis, in.rank(), "axis", &axis));
  int batch_dims = opts.batch_dims < 0 ? opts.batch_dims + pos.rank() : opts.batch_dims;
  if (batch_dims < 0 || batch_dims > axis || batch_dims > pos.rank()) {
    return ctx.Error("batch_dims " + std::to_string(opts.batch_dims) + " is invalid for axis " +
                     std::to_string(axis) + " and indices of rank " + std::to_string(pos.rank()));
  }
  for (int d = 0; d < batch_dims; ++d) {
    if (in.dim(d) != pos.dim(d)) return ctx.Error("batch dimensions of input and indices differ");
  }
  auto& g = ctx.SetData(std::make_unique<GatherData>()).geometry;
  g.batch = shape::Product(in, 0, batch_dims);
  g.outer = shape::Product(in, batch_dims, axis);
  g.axis_size = in.dim(axis);
  g.inner = shape::Product(in, axis + 1, in.rank());
  g.coords = shape::Product(pos, batch_dims, pos.rank());
  std::vector<int32_t> dims;
  for (int d = 0; d < axis; ++d) dims.push_back(in.dim(d));
  for (int d = batch_dims; d < pos.rank(); ++d) dims.push_back(pos.dim(d));
  for (int d = axis + 1; d < in.rank(); ++d) dims.push_back(in.dim(d));
  ctx.SetOutputShape(0, Shape(std::move(dims)));
  return Status::Ok();
}

Status GatherEval(OpContext& ctx) {
  const auto& g = ctx.data<GatherData>().geometry;
  const TensorRef& in = *ctx.input(0);
  const TensorRef& idx = *ctx.input(1);
  TensorRef* out = ctx.output(0);
  bool ok = true;
  shape::DispatchBySize(DTypeSize(in.dtype), [&]<typename T>() {
    switch (idx.dtype) {
      case DType::kInt16:
        ok = ref::Gather<T>(g, in.Data<T>(), idx.Data<int16_t>(), out->MutableData<T>());
        break;
      case DType::kInt32:
        ok = ref::Gather<T>(g, in.Data<T>(), idx.Data<int32_t>(), out->MutableData<T>());
        break;
      default:
        ok = ref::Gather<T>(g, in.Data<T>(), idx.Data<int64_t>(), out->MutableData<T>());
        break;
    }
  });
  if (!ok) return ctx.Error("gather index out of bounds");
  return Status::Ok();
}

// --- TILE ------------------------------------------------------------------

struct TileData : OpData {
  std::vector<int64_t> multiples;
  bool at_eval = false;
};

Status ReadMultiples(const OpContext& ctx, std::vector<int64_t>* m, Shape* out_shape) {
  const Shape& in = ctx.input(0)->shape;
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(1), "multiples", m));
  if (static_cast<int>(m->size()) != in.rank()) return ctx.Error("multiples need one entry per input dimension");
  std::vector<int32_t> dims;
  for (int d = 0; d < in.rank(); ++d) {
    const int64_t v = (*m)[static_cast<size_t>(d)];
    if (v < 0 || v * in.dim(d) > INT32_MAX) return ctx.Error("invalid multiple " + std::to_string(v));
    dims.push_back(static_cast<int32_t>(v * in.dim(d)));
  }
  *out_shape = Shape(std::move(dims));
  return Status::Ok();
}

Status TilePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CheckCopyTypes(ctx));
  RETURN_IF_ERROR(shape::CheckIntType(ctx, ctx.input(1), "multiples"));
  auto& data = ctx.SetData(std::make_unique<TileData>());
  if (!shape::HasValues(ctx.input(1))) {
    data.at_eval = true;
    ASSIGN_OR_RETURN(Shape s, shape::DeclaredOutputShape(ctx, 0, "the multiples"));
    ctx.SetOutputShape(0, std::move(s));
    return Status::Ok();
  }
  Shape out;
  RETURN_IF_ERROR(ReadMultiples(ctx, &data.multiples, &out));
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status TileEval(OpContext& ctx) {
  const auto& data = ctx.data<TileData>();
  std::vector<int64_t> multiples = data.multiples;
  if (data.at_eval) {
    Shape actual;
    RETURN_IF_ERROR(ReadMultiples(ctx, &multiples, &actual));
    RETURN_IF_ERROR(shape::CheckPlannedShape(ctx, 0, actual));
  }
  const TensorRef& in = *ctx.input(0);
  TensorRef* out = ctx.output(0);
  const std::vector<int64_t> dims = shape::Dims64(in.shape);
  shape::DispatchBySize(DTypeSize(in.dtype), [&]<typename T>() {
    ref::Tile<T>(dims, multiples, in.Data<T>(), out->MutableData<T>());
  });
  return Status::Ok();
}

// --- TRANSPOSE -------------------------------------------------------------

struct TransposeData : OpData {
  std::vector<int> perm;
  bool at_eval = false;
};

Status ReadPerm(const OpContext& ctx, std::vector<int>* perm, Shape* out_shape) {
  const Shape& in = ctx.input(0)->shape;
  std::vector<int64_t> p;
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(1), "perm", &p));
  if (static_cast<int>(p.size()) != in.rank()) return ctx.Error("perm needs one entry per input dimension");
  std::vector<bool> seen(p.size(), false);
  perm->clear();
  std::vector<int32_t> dims;
  for (int64_t v : p) {
    int d;
    RETURN_IF_ERROR(shape::NormalizeAxis(ctx, v, in.rank(), "perm entry", &d));
    if (seen[static_cast<size_t>(d)]) return ctx.Error("perm is not a permutation");
    seen[static_cast<size_t>(d)] = true;
    perm->push_back(d);
    dims.push_back(in.dim(d));
  }
  *out_shape = Shape(std::move(dims));
  return Status::Ok();
}

Status TransposePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CheckCopyTypes(ctx));
  RETURN_IF_ERROR(shape::CheckIntType(ctx, ctx.input(1), "perm"));
  if (ctx.input(0)->shape.rank() > 6) return ctx.Error("supports up to 6 dimensions (as TFLite)");
  auto& data = ctx.SetData(std::make_unique<TransposeData>());
  if (!shape::HasValues(ctx.input(1))) {
    data.at_eval = true;
    ASSIGN_OR_RETURN(Shape s, shape::DeclaredOutputShape(ctx, 0, "the permutation"));
    ctx.SetOutputShape(0, std::move(s));
    return Status::Ok();
  }
  Shape out;
  RETURN_IF_ERROR(ReadPerm(ctx, &data.perm, &out));
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status TransposeEval(OpContext& ctx) {
  const auto& data = ctx.data<TransposeData>();
  std::vector<int> perm = data.perm;
  if (data.at_eval) {
    Shape actual;
    RETURN_IF_ERROR(ReadPerm(ctx, &perm, &actual));
    RETURN_IF_ERROR(shape::CheckPlannedShape(ctx, 0, actual));
  }
  const TensorRef& in = *ctx.input(0);
  TensorRef* out = ctx.output(0);
  const std::vector<int64_t> dims = shape::Dims64(in.shape);
  shape::DispatchBySize(DTypeSize(in.dtype), [&]<typename T>() {
    ref::Transpose<T>(dims, perm, in.Data<T>(), out->MutableData<T>());
  });
  return Status::Ok();
}

}  // namespace

void RegisterShapeGatherOps(OpRegistry* r) {
  r->Add(ir::OpKind::kGather, OpKernel{&GatherPrepare, &GatherEval});
  r->Add(ir::OpKind::kTile, OpKernel{&TilePrepare, &TileEval});
  r->Add(ir::OpKind::kTranspose, OpKernel{&TransposePrepare, &TransposeEval});
}

}  // namespace detlite::runtime
