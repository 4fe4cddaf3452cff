// RESHAPE, SQUEEZE, EXPAND_DIMS and SHAPE: the output holds the input's
// bytes unchanged (SHAPE: the input's dimensions); only the shape is worked
// out, in Prepare.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "runtime/op_registry.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {
namespace {

using shape::OptionsOr;

Status CopyEval(OpContext& ctx) {
  const TensorRef* in = ctx.input(0);
  TensorRef* out = ctx.output(0);
  if (out->bytes > 0) std::memcpy(out->data, in->data, out->bytes);
  return Status::Ok();
}

Status CheckCopyable(const OpContext& ctx) {
  const TensorRef* in = ctx.input(0);
  const TensorRef* out = ctx.output(0);
  if (out->dtype != in->dtype) {
    return ctx.Error("output type " + std::string(DTypeName(out->dtype)) +
                     " differs from input type " + std::string(DTypeName(in->dtype)));
  }
  if (DTypeSize(in->dtype) == 0) return shape::UnsupportedType(ctx, in->dtype, "input");
  return Status::Ok();
}

// --- RESHAPE ---------------------------------------------------------------

// Resolves one -1 from the element count (TFLite: 0 if both counts are 0).
Status ResolveReshape(const OpContext& ctx, const std::vector<int64_t>& requested,
                      int64_t num_elements, Shape* out) {
  std::vector<int32_t> dims;
  int stretch = -1;
  int64_t known = 1;
  for (size_t i = 0; i < requested.size(); ++i) {
    const int64_t v = requested[i];
    if (v == -1) {
      if (stretch >= 0) return ctx.Error("new shape has more than one -1");
      stretch = static_cast<int>(i);
      dims.push_back(0);
      continue;
    }
    if (v < 0 || v > INT32_MAX) return ctx.Error("new shape has dimension " + std::to_string(v));
    known *= v;
    if (known > (int64_t{1} << 40)) return ctx.Error("new shape is too large");
    dims.push_back(static_cast<int32_t>(v));
  }
  if (stretch >= 0) {
    const int64_t inferred = known == 0 ? 0 : num_elements / known;
    dims[static_cast<size_t>(stretch)] = static_cast<int32_t>(inferred);
    known *= inferred;
  }
  *out = Shape(std::move(dims));
  if (known != num_elements) {
    return ctx.Error("cannot reshape " + std::to_string(num_elements) +
                     " elements into " + out->ToString());
  }
  return Status::Ok();
}

struct ReshapeData : OpData {
  bool check_at_eval = false;  // shape tensor not constant: verify in Eval
};

// TFLite takes the new shape from the second input when it is a 1-D int32
// tensor, otherwise from the options (where a legacy [0] means a scalar).
bool ShapeFromTensor(const OpContext& ctx) {
  const TensorRef* s = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr;
  return s != nullptr && s->shape.rank() == 1 && s->dtype == DType::kInt32;
}

Status ReshapePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CheckCopyable(ctx));
  auto& data = ctx.SetData(std::make_unique<ReshapeData>());
  const int64_t n = ctx.input(0)->NumElements();
  Shape out;
  if (ShapeFromTensor(ctx)) {
    const TensorRef* s = ctx.input(1);
    if (shape::HasValues(s)) {
      std::vector<int64_t> requested;
      RETURN_IF_ERROR(shape::ReadInts(ctx, s, "shape", &requested));
      RETURN_IF_ERROR(ResolveReshape(ctx, requested, n, &out));
    } else {
      ASSIGN_OR_RETURN(out, shape::DeclaredOutputShape(ctx, 0, "the new shape"));
      if (out.NumElements() != n) {
        return ctx.Error("declared output shape " + out.ToString() + " does not hold " +
                         std::to_string(n) + " elements");
      }
      data.check_at_eval = true;
    }
  } else {
    ASSIGN_OR_RETURN(const ir::ReshapeOptions opts, OptionsOr<ir::ReshapeOptions>(ctx));
    std::vector<int64_t> requested(opts.new_shape.begin(), opts.new_shape.end());
    if (requested.size() == 1 && requested[0] == 0) requested.clear();
    RETURN_IF_ERROR(ResolveReshape(ctx, requested, n, &out));
  }
  ctx.SetOutputShape(0, std::move(out));
  return Status::Ok();
}

Status ReshapeEval(OpContext& ctx) {
  if (ctx.data<ReshapeData>().check_at_eval) {
    std::vector<int64_t> requested;
    RETURN_IF_ERROR(shape::ReadInts(ctx, ctx.input(1), "shape", &requested));
    Shape actual;
    RETURN_IF_ERROR(ResolveReshape(ctx, requested, ctx.input(0)->NumElements(), &actual));
    RETURN_IF_ERROR(shape::CheckPlannedShape(ctx, 0, actual));
  }
  return CopyEval(ctx);
}

// --- SQUEEZE ---------------------------------------------------------------

Status SqueezePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CheckCopyable(ctx));
  ASSIGN_OR_RETURN(const ir::SqueezeOptions opts, OptionsOr<ir::SqueezeOptions>(ctx));
  const Shape& in = ctx.input(0)->shape;
  std::vector<bool> drop(static_cast<size_t>(in.rank()), false);
  if (opts.squeeze_dims.empty()) {
    for (int d = 0; d < in.rank(); ++d) drop[static_cast<size_t>(d)] = in.dim(d) == 1;
  } else {
    for (int32_t a : opts.squeeze_dims) {
      int d;
      RETURN_IF_ERROR(shape::NormalizeAxis(ctx, a, in.rank(), "squeeze dimension", &d));
      if (in.dim(d) != 1) {
        return ctx.Error("cannot squeeze dimension " + std::to_string(a) + " of size " +
                         std::to_string(in.dim(d)) + " in " + in.ToString());
      }
      drop[static_cast<size_t>(d)] = true;
    }
  }
  std::vector<int32_t> dims;
  for (int d = 0; d < in.rank(); ++d) {
    if (!drop[static_cast<size_t>(d)]) dims.push_back(in.dim(d));
  }
  ctx.SetOutputShape(0, Shape(std::move(dims)));
  return Status::Ok();
}

// --- EXPAND_DIMS -----------------------------------------------------------

Status ExpandDimsPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CheckCopyable(ctx));
  const TensorRef* axis_t = ctx.input(1);
  RETURN_IF_ERROR(shape::CheckIntType(ctx, axis_t, "axis"));
  if (axis_t->NumElements() != 1) return ctx.Error("axis must hold exactly one value");
  const Shape& in = ctx.input(0)->shape;
  if (!shape::HasValues(axis_t)) {
    ASSIGN_OR_RETURN(Shape out, shape::DeclaredOutputShape(ctx, 0, "the axis"));
    if (out.rank() != in.rank() + 1 || out.NumElements() != in.NumElements()) {
      return ctx.Error("declared output shape " + out.ToString() + " cannot expand " +
                       in.ToString());
    }
    ctx.SetOutputShape(0, std::move(out));
    return Status::Ok();
  }
  std::vector<int64_t> axis;
  RETURN_IF_ERROR(shape::ReadInts(ctx, axis_t, "axis", &axis));
  int a;
  RETURN_IF_ERROR(shape::NormalizeAxis(ctx, axis[0], in.rank() + 1, "axis", &a));
  std::vector<int32_t> dims = in.dims();
  dims.insert(dims.begin() + a, 1);
  ctx.SetOutputShape(0, Shape(std::move(dims)));
  return Status::Ok();
}

// --- SHAPE -----------------------------------------------------------------

Status ShapePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const DType t = ctx.output(0)->dtype;
  if (t != DType::kInt32 && t != DType::kInt64) return shape::UnsupportedType(ctx, t, "output");
  ctx.SetOutputShape(0, Shape({ctx.input(0)->shape.rank()}));
  return Status::Ok();
}

Status ShapeEval(OpContext& ctx) {
  const Shape& in = ctx.input(0)->shape;
  TensorRef* out = ctx.output(0);
  for (int d = 0; d < in.rank(); ++d) {
    if (out->dtype == DType::kInt32) {
      out->MutableData<int32_t>()[d] = in.dim(d);
    } else {
      out->MutableData<int64_t>()[d] = in.dim(d);
    }
  }
  return Status::Ok();
}

}  // namespace

void RegisterShapeReshapeOps(OpRegistry* r) {
  r->Add(ir::OpKind::kReshape, OpKernel{&ReshapePrepare, &ReshapeEval});
  r->Add(ir::OpKind::kSqueeze, OpKernel{&SqueezePrepare, &CopyEval});
  r->Add(ir::OpKind::kExpandDims, OpKernel{&ExpandDimsPrepare, &CopyEval});
  r->Add(ir::OpKind::kShape, OpKernel{&ShapePrepare, &ShapeEval});
}

}  // namespace detlite::runtime
