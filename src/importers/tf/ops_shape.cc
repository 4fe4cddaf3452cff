// Shape manipulation: reshape, squeeze, expand, transpose, Shape and Fill
// (folded when their inputs are known), Cast, and the pass-through ops.
#include <cstring>
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

// Identity, StopGradient, Snapshot...: the output is the input tensor.
Outs PassThrough(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  return in;
}

Outs Reshape(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t shape, Int32Const(ctx, n, in[1], "shape"));
  ir::ReshapeOptions o;
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.ConstInts(shape, n.name(), "shape"));
  for (int64_t d : dims) o.new_shape.push_back(static_cast<int32_t>(d));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kReshape, {in[0], shape}, o));
  return std::vector<int32_t>{out};
}

Outs Squeeze(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  ir::SqueezeOptions o;
  for (int64_t d : AttrInts(n, "squeeze_dims")) o.squeeze_dims.push_back(static_cast<int32_t>(d));
  if (o.squeeze_dims.empty()) {
    for (int64_t d : AttrInts(n, "axis")) o.squeeze_dims.push_back(static_cast<int32_t>(d));
  }
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kSqueeze, {in[0]}, o));
  return std::vector<int32_t>{out};
}

Outs ExpandDims(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t axis, Int32Const(ctx, n, in[1], "axis"));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kExpandDims, {in[0], axis}));
  return std::vector<int32_t>{out};
}

Outs Transpose(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t perm, Int32Const(ctx, n, in[1], "perm"));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kTranspose, {in[0], perm}));
  return std::vector<int32_t>{out};
}

// With static shapes (fixed by --input-shape) Shape is always a constant,
// which is what lets shape subgraphs fold.
Outs ShapeOp(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  const std::vector<int32_t>& dims = ctx.tensor(in[0]).shape.dims();
  const int32_t t = AttrType(n, "out_type", tf::DT_INT32);
  if (t == tf::DT_INT64) {
    ConstTensor c{DType::kInt64, Shape{static_cast<int32_t>(dims.size())}, {}};
    c.bytes.resize(dims.size() * 8);
    for (size_t i = 0; i < dims.size(); ++i) {
      const int64_t v = dims[i];
      std::memcpy(c.bytes.data() + i * 8, &v, 8);
    }
    return std::vector<int32_t>{ctx.Constant(n.name(), std::move(c))};
  }
  return std::vector<int32_t>{ctx.ConstI32(n.name(), dims)};
}

Outs Fill(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.ConstInts(in[0], n.name(), "dims"));
  const ir::Tensor& value = ctx.tensor(in[1]);
  const size_t elem = DTypeSize(value.dtype);
  if (!value.is_constant() || value.shape.NumElements() != 1 || elem == 0 ||
      value.data->size() != elem) {
    return ctx.NodeError(n.name(), n.op(), "value must be a constant scalar");
  }
  Shape shape;
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0 || d > INT32_MAX) return ctx.NodeError(n.name(), n.op(), "bad dimension");
    count *= d;
    if (count > kMaxConstElements) {
      return ctx.NodeError(n.name(), n.op(), "fills more than " +
                                                 std::to_string(kMaxConstElements) + " elements");
    }
    shape.dims().push_back(static_cast<int32_t>(d));
  }
  ConstTensor c{value.dtype, shape, ir::Bytes(static_cast<size_t>(count) * elem)};
  for (int64_t i = 0; i < count; ++i) {
    std::memcpy(c.bytes.data() + i * static_cast<int64_t>(elem), value.data->data(), elem);
  }
  return std::vector<int32_t>{ctx.Constant(n.name(), std::move(c))};
}

Outs Cast(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  ASSIGN_OR_RETURN(DType to, DTypeFromTf(AttrType(n, "DstT", 0)));
  ir::CastOptions o;
  o.in_type = ctx.tensor(in[0]).dtype;
  o.out_type = to;
  o.has_types = true;
  if (o.in_type == to) return in;
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1As(n.name(), ir::OpKind::kCast, {in[0]}, o, to));
  return std::vector<int32_t>{out};
}

}  // namespace

void AddShapeMappers(OpMapperMap& m) {
  for (const char* op : {"Identity", "StopGradient", "Snapshot", "PreventGradient",
                         "ReadVariableOp", "CheckNumerics", "EnsureShape", "PlaceholderWithDefault"}) {
    m[op] = PassThrough;
  }
  m["IdentityN"] = [](ImportContext& ctx, const tf::NodeDef& n,
                      const std::vector<int32_t>& in) -> Outs { return in; };
  m["Reshape"] = Reshape;
  m["Squeeze"] = Squeeze;
  m["ExpandDims"] = ExpandDims;
  m["Transpose"] = Transpose;
  m["Shape"] = ShapeOp;
  m["Fill"] = Fill;
  m["Cast"] = Cast;
}

}  // namespace detlite::tf_import
