// STRIDED_SLICE and SLICE. Both resolve to per-dimension (start, stop,
// stride) triples (kernels/reference/strided_slice.h) and copy.
#include <memory>
#include <string>
#include <vector>

#include "kernels/reference/strided_slice.h"
#include "runtime/op_registry.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;
using shape::OptionsOr;

struct SliceData : OpData {
  ref::ResolvedSlice slice;
  bool at_eval = false;  // index tensors known only when the model runs
};

// --- STRIDED_SLICE ---------------------------------------------------------

Status ResolveStrided(const OpContext& ctx, ref::ResolvedSlice* r) {
  ASSIGN_OR_RETURN(const ir::StridedSliceOptions o, OptionsOr<ir::StridedSliceOptions>(ctx));
  ref::StridedSliceSpec spec;
  std::vector<int64_t> b, e, s;
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(1), "begin", &b));
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(2), "end", &e));
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(3), "strides", &s));
  if (b.size() != e.size() || b.size() != s.size()) {
    return ctx.Error("begin, end and strides differ in length");
  }
  if (b.size() > 31) return ctx.Error("too many slice dimensions");
  spec.begin.assign(b.begin(), b.end());
  spec.end.assign(e.begin(), e.end());
  spec.strides.assign(s.begin(), s.end());
  spec.begin_mask = o.begin_mask;
  spec.end_mask = o.end_mask;
  spec.ellipsis_mask = o.ellipsis_mask;
  spec.new_axis_mask = o.new_axis_mask;
  spec.shrink_axis_mask = o.shrink_axis_mask;
  spec.offset = o.offset;
  Status st = ref::ResolveStridedSlice(ctx.input(0)->shape.dims(), spec, r);
  if (!st.ok()) return ctx.Error(st.message());
  return Status::Ok();
}

Status StridedSlicePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 4, 4));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  if (shape::CopyableSize(in.dtype) == 0) return shape::UnsupportedType(ctx, in.dtype, "input");
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), in.dtype, "output"));
  if (in.shape.rank() > 5) return ctx.Error("supports inputs of rank 1 to 5 (as TFLite)");
  // TFLite takes int32 indices only.
  for (int i = 1; i <= 3; ++i) {
    const char* what = i == 1 ? "begin" : i == 2 ? "end" : "strides";
    RETURN_IF_ERROR(CheckDType(ctx, ctx.input(i), DType::kInt32, what));
    RETURN_IF_ERROR(CheckRank(ctx, ctx.input(i), 1, what));
  }
  auto& data = ctx.SetData(std::make_unique<SliceData>());
  if (!(shape::HasValues(ctx.input(1)) && shape::HasValues(ctx.input(2)) &&
        shape::HasValues(ctx.input(3)))) {
    data.at_eval = true;
    ASSIGN_OR_RETURN(Shape s, shape::DeclaredOutputShape(ctx, 0, "the slice"));
    ctx.SetOutputShape(0, std::move(s));
    return Status::Ok();
  }
  RETURN_IF_ERROR(ResolveStrided(ctx, &data.slice));
  if (data.slice.dims.size() > 5) return ctx.Error("supports up to 5 dimensions including new axes (as TFLite)");
  ctx.SetOutputShape(0, Shape(data.slice.output_shape));
  return Status::Ok();
}

Status SliceCopy(OpContext& ctx, const ref::ResolvedSlice& r) {
  const TensorRef& in = *ctx.input(0);
  TensorRef* out = ctx.output(0);
  shape::DispatchBySize(DTypeSize(in.dtype), [&]<typename T>() {
    ref::StridedSlice<T>(r, in.Data<T>(), out->MutableData<T>());
  });
  return Status::Ok();
}

Status StridedSliceEval(OpContext& ctx) {
  const auto& data = ctx.data<SliceData>();
  if (!data.at_eval) return SliceCopy(ctx, data.slice);
  ref::ResolvedSlice r;
  RETURN_IF_ERROR(ResolveStrided(ctx, &r));
  RETURN_IF_ERROR(shape::CheckPlannedShape(ctx, 0, Shape(r.output_shape)));
  return SliceCopy(ctx, r);
}

// --- SLICE -----------------------------------------------------------------

// begin >= 0, size -1 meaning "to the end", begin + size within the input.
Status ResolveSlice(const OpContext& ctx, ref::ResolvedSlice* r) {
  const Shape& in = ctx.input(0)->shape;
  std::vector<int64_t> begin, size;
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(1), "begin", &begin));
  RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(2), "size", &size));
  if (static_cast<int>(begin.size()) != in.rank() || static_cast<int>(size.size()) != in.rank()) {
    return ctx.Error("begin and size need one entry per input dimension");
  }
  r->dims = shape::Dims64(in);
  r->start = begin;
  r->stop.assign(begin.size(), 0);
  r->stride.assign(begin.size(), 1);
  r->shrink.assign(begin.size(), false);
  r->output_shape.clear();
  for (int d = 0; d < in.rank(); ++d) {
    const auto ud = static_cast<size_t>(d);
    int64_t len = size[ud];
    if (begin[ud] < 0 || begin[ud] > in.dim(d)) return ctx.Error("invalid begin " + std::to_string(begin[ud]));
    if (len == -1) len = in.dim(d) - begin[ud];
    if (len < 0 || begin[ud] + len > in.dim(d)) {
      return ctx.Error("invalid begin and size for dimension " + std::to_string(d) +
                       " of " + in.ToString());
    }
    r->stop[ud] = begin[ud] + len;
    r->output_shape.push_back(static_cast<int32_t>(len));
  }
  return Status::Ok();
}

Status SlicePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 3, 3));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  if (shape::CopyableSize(in.dtype) == 0) return shape::UnsupportedType(ctx, in.dtype, "input");
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), in.dtype, "output"));
  RETURN_IF_ERROR(shape::CheckIntType(ctx, ctx.input(1), "begin"));
  RETURN_IF_ERROR(shape::CheckIntType(ctx, ctx.input(2), "size"));
  if (in.shape.rank() > 5) return ctx.Error("supports inputs of rank up to 5 (as TFLite)");
  auto& data = ctx.SetData(std::make_unique<SliceData>());
  if (!(shape::HasValues(ctx.input(1)) && shape::HasValues(ctx.input(2)))) {
    data.at_eval = true;
    ASSIGN_OR_RETURN(Shape s, shape::DeclaredOutputShape(ctx, 0, "the slice"));
    ctx.SetOutputShape(0, std::move(s));
    return Status::Ok();
  }
  RETURN_IF_ERROR(ResolveSlice(ctx, &data.slice));
  ctx.SetOutputShape(0, Shape(data.slice.output_shape));
  return Status::Ok();
}

Status SliceEval(OpContext& ctx) {
  const auto& data = ctx.data<SliceData>();
  if (!data.at_eval) return SliceCopy(ctx, data.slice);
  ref::ResolvedSlice r;
  RETURN_IF_ERROR(ResolveSlice(ctx, &r));
  RETURN_IF_ERROR(shape::CheckPlannedShape(ctx, 0, Shape(r.output_shape)));
  return SliceCopy(ctx, r);
}

}  // namespace

void RegisterShapeSliceOps(OpRegistry* r) {
  r->Add(ir::OpKind::kStridedSlice, OpKernel{&StridedSlicePrepare, &StridedSliceEval});
  r->Add(ir::OpKind::kSlice, OpKernel{&SlicePrepare, &SliceEval});
}

}  // namespace detlite::runtime
