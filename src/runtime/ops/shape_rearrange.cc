// SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, REVERSE_V2, BROADCAST_TO and
// GATHER_ND. Their parameter tensors (block shape, paddings or crops, axes,
// target shape) must be constants, as converters leave them; GATHER_ND's
// indices may be computed and are range-checked when it runs.
#include <memory>
#include <string>
#include <vector>

#include "kernels/reference/broadcast.h"
#include "kernels/reference/rearrange.h"
#include "runtime/op_registry.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

Status ConstInts(const OpContext& ctx, int i, const char* what, std::vector<int64_t>* v) {
  if (!shape::HasValues(ctx.input(i))) return ctx.Error(std::string(what) + " must be a constant");
  return shape::ReadInts(ctx, ctx.input(i), what, v);
}

Status CopyTypes(const OpContext& ctx) {
  const TensorRef& in = *ctx.input(0);
  if (shape::CopyableSize(in.dtype) == 0) return shape::UnsupportedType(ctx, in.dtype, "input");
  return CheckDType(ctx, ctx.output(0), in.dtype, "output");
}

struct SpaceBatchData : OpData {
  ref::SpaceBatchGeometry g;
};

// Inputs (x, block_shape [1 or 2], paddings / crops [n, 2]); x is rank 3 or 4.
Status SpaceBatchPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 3, 3));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CopyTypes(ctx));
  const bool to_batch = ctx.op().kind == ir::OpKind::kSpaceToBatchNd;
  const Shape& s = ctx.input(0)->shape;
  if (s.rank() != 3 && s.rank() != 4) return ctx.Error("input must be rank 3 or 4, is " + s.ToString());
  const int spatial = s.rank() - 2;
  std::vector<int64_t> block, pads;
  RETURN_IF_ERROR(ConstInts(ctx, 1, "block_shape", &block));
  RETURN_IF_ERROR(ConstInts(ctx, 2, to_batch ? "paddings" : "crops", &pads));
  if (static_cast<int>(block.size()) != spatial || static_cast<int>(pads.size()) != 2 * spatial) {
    return ctx.Error("block_shape and paddings/crops must cover the " + std::to_string(spatial) +
                     " spatial dimension(s)");
  }
  block.resize(2, 1);
  pads.resize(4, 0);
  constexpr int64_t kMaxParam = int64_t{1} << 16;  // keeps every size below int32
  for (int i = 0; i < 2; ++i) {
    if (block[i] < 1 || pads[2 * i] < 0 || pads[2 * i + 1] < 0 || block[i] > kMaxParam ||
        pads[2 * i] > kMaxParam || pads[2 * i + 1] > kMaxParam) {
      return ctx.Error("block sizes must be 1.." + std::to_string(kMaxParam) +
                       " and paddings/crops 0.." + std::to_string(kMaxParam));
    }
  }
  if (s.dim(0) * block[0] * block[1] > (int64_t{1} << 30)) return ctx.Error("batch x block is too large");
  auto d = std::make_unique<SpaceBatchData>();
  ref::SpaceBatchGeometry& g = d->g;
  g.block_h = block[0], g.block_w = block[1];
  g.before_h = pads[0], g.before_w = pads[2];
  g.channels = s.dim(s.rank() - 1);
  const int64_t h = s.dim(1), w = spatial == 2 ? s.dim(2) : 1, blocks = g.block_h * g.block_w;
  Shape out;
  if (to_batch) {
    const int64_t ph = h + pads[0] + pads[1], pw = w + pads[2] + pads[3];
    if (ph % g.block_h != 0 || pw % g.block_w != 0) {
      return ctx.Error("padded size " + std::to_string(ph) + "x" + std::to_string(pw) +
                       " is not a multiple of the block");
    }
    g.batch = s.dim(0), g.height = h, g.width = w, g.out_h = ph / g.block_h, g.out_w = pw / g.block_w;
    out = spatial == 2 ? Shape{static_cast<int32_t>(g.batch * blocks), static_cast<int32_t>(g.out_h),
                               static_cast<int32_t>(g.out_w), static_cast<int32_t>(g.channels)}
                       : Shape{static_cast<int32_t>(g.batch * blocks), static_cast<int32_t>(g.out_h),
                               static_cast<int32_t>(g.channels)};
  } else {
    if (s.dim(0) % blocks != 0) return ctx.Error("batch is not a multiple of the block");
    g.batch = s.dim(0) / blocks, g.out_h = h, g.out_w = w;
    g.height = h * g.block_h - pads[0] - pads[1];
    g.width = w * g.block_w - pads[2] - pads[3];
    if (g.height < 0 || g.width < 0) return ctx.Error("crops are larger than the output");
    out = spatial == 2 ? Shape{static_cast<int32_t>(g.batch), static_cast<int32_t>(g.height),
                               static_cast<int32_t>(g.width), static_cast<int32_t>(g.channels)}
                       : Shape{static_cast<int32_t>(g.batch), static_cast<int32_t>(g.height),
                               static_cast<int32_t>(g.channels)};
  }
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status SpaceBatchEval(OpContext& ctx) {
  const ref::SpaceBatchGeometry& g = ctx.data<SpaceBatchData>().g;
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  const bool to_batch = ctx.op().kind == ir::OpKind::kSpaceToBatchNd;
  // Padding is real zero: the zero point for quantized types.
  const int64_t zp = in.zero_point();
  shape::DispatchBySize(shape::CopyableSize(in.dtype), [&]<typename U>() {
    if (to_batch) {
      ref::SpaceToBatch(g, in.Data<U>(), static_cast<U>(zp), out.MutableData<U>());
    } else {
      ref::BatchToSpace(g, in.Data<U>(), out.MutableData<U>());
    }
  });
  return Status::Ok();
}

struct ReverseData : OpData {
  std::vector<bool> flip;
};

Status ReversePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CopyTypes(ctx));
  const Shape& s = ctx.input(0)->shape;
  std::vector<int64_t> axes;
  RETURN_IF_ERROR(ConstInts(ctx, 1, "axis", &axes));
  auto d = std::make_unique<ReverseData>();
  d->flip.assign(static_cast<size_t>(s.rank()), false);
  for (int64_t a : axes) {
    int axis = 0;
    RETURN_IF_ERROR(shape::NormalizeAxis(ctx, a, s.rank(), "axis", &axis));
    d->flip[static_cast<size_t>(axis)] = true;
  }
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, s);
  return Status::Ok();
}

Status ReverseEval(OpContext& ctx) {
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  shape::DispatchBySize(shape::CopyableSize(in.dtype), [&]<typename U>() {
    ref::Reverse(in.shape, ctx.data<ReverseData>().flip, in.Data<U>(), out.MutableData<U>());
  });
  return Status::Ok();
}

Status BroadcastToPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CopyTypes(ctx));
  std::vector<int64_t> dims;
  RETURN_IF_ERROR(ConstInts(ctx, 1, "shape", &dims));
  Shape target;
  for (int64_t v : dims) {
    if (v < 0 || v > (int64_t{1} << 30)) return ctx.Error("bad target dimension " + std::to_string(v));
    target.dims().push_back(static_cast<int32_t>(v));
  }
  Shape out;
  const Shape& in = ctx.input(0)->shape;
  if (in.rank() > target.rank() || !ref::BroadcastShapes(in, target, &out) || out != target) {
    return ctx.Error("cannot broadcast " + in.ToString() + " to " + target.ToString());
  }
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status BroadcastToEval(OpContext& ctx) {
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  shape::DispatchBySize(shape::CopyableSize(in.dtype), [&]<typename U>() {
    ref::BroadcastTo(in.shape, in.Data<U>(), out.shape, out.MutableData<U>());
  });
  return Status::Ok();
}

}  // namespace

void RegisterShapeRearrangeOps(OpRegistry* r) {
  r->Add(ir::OpKind::kSpaceToBatchNd, OpKernel{&SpaceBatchPrepare, &SpaceBatchEval});
  r->Add(ir::OpKind::kBatchToSpaceNd, OpKernel{&SpaceBatchPrepare, &SpaceBatchEval});
  r->Add(ir::OpKind::kReverseV2, OpKernel{&ReversePrepare, &ReverseEval});
  r->Add(ir::OpKind::kBroadcastTo, OpKernel{&BroadcastToPrepare, &BroadcastToEval});
  r->Add(ir::OpKind::kGatherNd, OpKernel{&GatherNdPrepare, &GatherNdEval});
}

}  // namespace detlite::runtime
