// SEGMENT_SUM, UNSORTED_SEGMENT_{SUM,PROD,MAX,MIN} and SCATTER_ND on float32
// and int32 data. Output shapes must be known at Prepare: SEGMENT_SUM's ids,
// the segment count and SCATTER_ND's shape are constants (as converters
// leave them); ids and indices that are computed are range-checked when the
// op runs.
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
constexpr int64_t kMaxDim = int64_t{1} << 30;

Status DataTypes(const OpContext& ctx, int data, int ids) {
  const DType t = ctx.input(data)->dtype;
  if (t != DType::kFloat32 && t != DType::kInt32) return shape::UnsupportedType(ctx, t, "data");
  RETURN_IF_ERROR(CheckDType(ctx, ctx.input(ids), DType::kInt32, "ids / indices"));
  return CheckDType(ctx, ctx.output(0), t, "output");
}

struct SegmentData : OpData {
  int64_t rows = 0, slice = 1, segments = 0;
  ref::SegmentReduce reduce = ref::SegmentReduce::kSum;
};

ref::SegmentReduce ReduceOf(ir::OpKind k) {
  switch (k) {
    case ir::OpKind::kUnsortedSegmentProd: return ref::SegmentReduce::kProd;
    case ir::OpKind::kUnsortedSegmentMax: return ref::SegmentReduce::kMax;
    case ir::OpKind::kUnsortedSegmentMin: return ref::SegmentReduce::kMin;
    default: return ref::SegmentReduce::kSum;
  }
}

// SEGMENT_SUM (data, ids [rows]: constant, 0 then steps of 0 or 1) and UNSORTED_SEGMENT_*
// (data, ids: a prefix of data's shape, num_segments: constant scalar).
Status SegmentPrepare(OpContext& ctx) {
  const bool sorted = ctx.op().kind == ir::OpKind::kSegmentSum;
  RETURN_IF_ERROR(CheckInputCount(ctx, sorted ? 2 : 3, sorted ? 2 : 3));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(DataTypes(ctx, 0, 1));
  const Shape& s = ctx.input(0)->shape;
  const Shape& ids = ctx.input(1)->shape;
  if (ids.rank() < 1 || ids.rank() > s.rank() || (sorted && ids.rank() != 1)) {
    return ctx.Error("segment ids " + ids.ToString() + " do not fit data " + s.ToString());
  }
  for (int i = 0; i < ids.rank(); ++i) {
    if (ids.dim(i) != s.dim(i)) {
      return ctx.Error("segment ids " + ids.ToString() + " are not a prefix of data " + s.ToString());
    }
  }
  auto d = std::make_unique<SegmentData>();
  d->rows = ids.NumElements();
  d->slice = shape::Product(s, ids.rank(), s.rank());
  d->reduce = ReduceOf(ctx.op().kind);
  std::vector<int64_t> v;
  if (sorted) {
    if (!shape::HasValues(ctx.input(1))) return ctx.Error("segment ids must be a constant");
    RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(1), "segment ids", &v));
    for (size_t i = 0; i < v.size(); ++i) {
      // TFLite's rule: ids start at 0 and grow by 0 or 1.
      if ((i == 0 && v[i] != 0) || (i > 0 && v[i] - v[i - 1] != 0 && v[i] - v[i - 1] != 1)) {
        return ctx.Error("segment ids must start at 0 and grow by 0 or 1 (entry " +
                         std::to_string(i) + ")");
      }
    }
    d->segments = v.empty() ? 0 : v.back() + 1;
  } else {
    if (!shape::HasValues(ctx.input(2))) return ctx.Error("num_segments must be a constant");
    RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(2), "num_segments", &v));
    if (v.size() != 1) return ctx.Error("num_segments must be a scalar");
    d->segments = v[0];
  }
  if (d->segments < 0 || d->segments > kMaxDim) {
    return ctx.Error("segment count " + std::to_string(d->segments) + " is out of range");
  }
  Shape out({static_cast<int32_t>(d->segments)});
  for (int i = ids.rank(); i < s.rank(); ++i) out.dims().push_back(s.dim(i));
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status SegmentEval(OpContext& ctx) {
  const SegmentData& d = ctx.data<SegmentData>();
  const TensorRef& x = *ctx.input(0);
  bool ok = true;
  int64_t bad = 0;
  shape::ByFloatOrInt32(x.dtype, [&]<typename T>() {
    ok = ref::SegmentReduceRows(x.Data<T>(), ctx.input(1)->Data<int32_t>(), d.rows, d.slice,
                                d.segments, d.reduce, ctx.output(0)->MutableData<T>(), &bad);
  });
  if (!ok) {
    return ctx.Error("segment id of row " + std::to_string(bad) + " is outside [0, " +
                     std::to_string(d.segments) + ")");
  }
  return Status::Ok();
}

struct ScatterData : OpData {
  int64_t count = 0, slice = 1;
  int k = 0;
  std::vector<int32_t> dims;
};

// Inputs (indices [..., k] int32, updates [..., shape[k:]], shape: constant).
Status ScatterNdPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 3, 3));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(DataTypes(ctx, 1, 0));
  if (!shape::HasValues(ctx.input(2))) return ctx.Error("shape must be a constant");
  std::vector<int64_t> dims;
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(2), "shape", &dims));
  Shape out;
  for (int64_t v : dims) {
    if (v < 0 || v > kMaxDim) return ctx.Error("bad shape dimension " + std::to_string(v));
    out.dims().push_back(static_cast<int32_t>(v));
  }
  const Shape& idx = ctx.input(0)->shape;
  const Shape& upd = ctx.input(1)->shape;
  if (idx.rank() < 1 || idx.dim(idx.rank() - 1) < 1 || idx.dim(idx.rank() - 1) > out.rank()) {
    return ctx.Error("indices " + idx.ToString() + " do not fit shape " + out.ToString());
  }
  auto d = std::make_unique<ScatterData>();
  d->k = idx.dim(idx.rank() - 1);
  Shape want(std::vector<int32_t>(idx.dims().begin(), idx.dims().end() - 1));
  for (int i = d->k; i < out.rank(); ++i) want.dims().push_back(out.dim(i));
  if (upd != want) return ctx.Error("updates are " + upd.ToString() + ", must be " + want.ToString());
  if (out.NumElements() > kMaxDim) return ctx.Error("output " + out.ToString() + " is too large");
  d->count = shape::Product(idx, 0, idx.rank() - 1);
  d->slice = shape::Product(out, d->k, out.rank());
  d->dims = out.dims();
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status ScatterNdEval(OpContext& ctx) {
  const ScatterData& d = ctx.data<ScatterData>();
  const TensorRef& upd = *ctx.input(1);
  bool ok = true;
  int64_t bad = 0;
  shape::ByFloatOrInt32(upd.dtype, [&]<typename T>() {
    ok = ref::ScatterNd(ctx.input(0)->Data<int32_t>(), d.count, d.k, upd.Data<T>(), d.slice,
                        d.dims.data(), static_cast<int>(d.dims.size()),
                        ctx.output(0)->MutableData<T>(), &bad);
  });
  if (!ok) return ctx.Error("index tuple " + std::to_string(bad) + " is out of range");
  return Status::Ok();
}

}  // namespace

void RegisterShapeSegmentOps(OpRegistry* r) {
  for (ir::OpKind k : {ir::OpKind::kSegmentSum, ir::OpKind::kUnsortedSegmentSum,
                       ir::OpKind::kUnsortedSegmentProd, ir::OpKind::kUnsortedSegmentMax,
                       ir::OpKind::kUnsortedSegmentMin}) {
    r->Add(k, OpKernel{&SegmentPrepare, &SegmentEval});
  }
  r->Add(ir::OpKind::kScatterNd, OpKernel{&ScatterNdPrepare, &ScatterNdEval});
}

}  // namespace detlite::runtime
