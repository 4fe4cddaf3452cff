// Comparisons, integer floor division and modulo, top-k, SplitV, and
// SparseToDense of constants.
#include <algorithm>
#include <cstring>
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

template <ir::OpKind kKind>
Outs Compare(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1As(n.name(), kKind, {in[0], in[1]}, std::monostate{},
                                            DType::kBool));
  return std::vector<int32_t>{out};
}

template <ir::OpKind kKind>
Outs Floor(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0], in[1]}));
  return std::vector<int32_t>{out};
}

// Values and int32 indices of the k largest entries of the last dimension,
// sorted descending (TFLite always sorts, which also satisfies sorted=false).
Outs TopKV2(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t k, Int32Const(ctx, n, in[1], "k"));
  if (AttrType(n, "index_type", 3) != 3) {  // DT_INT32
    return ctx.NodeError(n.name(), n.op(), "only int32 indices are supported");
  }
  return ctx.Emit(n.name(), ir::OpKind::kTopkV2, {in[0], k}, std::monostate{},
                  {ctx.tensor(in[0]).dtype, DType::kInt32});
}

// TFLite's SPLIT_V reads (input, size_splits, axis), as TensorFlow does.
Outs SplitV(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 3));
  const int64_t num = AttrInt(n, "num_split", 0);
  if (num < 1 || num > 4096) return ctx.NodeError(n.name(), n.op(), "num_split out of range");
  ASSIGN_OR_RETURN(int32_t sizes, Int32Const(ctx, n, in[1], "size_splits"));
  ASSIGN_OR_RETURN(int32_t axis, Int32Const(ctx, n, in[2], "axis"));
  return ctx.Emit(n.name(), ir::OpKind::kSplitV, {in[0], sizes, axis},
                  ir::SplitOptions{static_cast<int32_t>(num)},
                  std::vector<DType>(static_cast<size_t>(num), ctx.tensor(in[0]).dtype));
}

// SparseToDense(indices, output_shape, values, default) with every input
// constant (as exporters leave it, often with no indices at all) becomes a
// constant; a computed one is not supported.
Outs SparseToDense(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 4));
  for (int32_t t : in) {
    if (!ctx.tensor(t).is_constant()) {
      return ctx.NodeError(n.name(), n.op(), "only constant inputs are supported");
    }
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.ConstInts(in[1], n.name(), "output_shape"));
  ASSIGN_OR_RETURN(std::vector<int64_t> indices, ctx.ConstInts(in[0], n.name(), "indices"));
  const ir::Tensor& values = ctx.tensor(in[2]);
  const ir::Tensor& def = ctx.tensor(in[3]);
  const size_t elem = DTypeSize(values.dtype);
  if (elem == 0 || def.dtype != values.dtype || def.data->size() != elem ||
      values.data->size() != static_cast<size_t>(values.shape.NumElements()) * elem) {
    return ctx.NodeError(n.name(), n.op(), "values and default must be of one numeric type");
  }
  Shape shape;
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0 || d > kMaxConstElements || (count *= d) > kMaxConstElements) {
      return ctx.NodeError(n.name(), n.op(), "bad output_shape");
    }
    shape.dims().push_back(static_cast<int32_t>(d));
  }
  const size_t rank = dims.size();
  const size_t num = rank == 0 ? 0 : indices.size() / std::max<size_t>(rank, 1);
  const int64_t num_values = values.shape.NumElements();
  if (num * rank != indices.size() || (num_values != 1 && static_cast<size_t>(num_values) != num)) {
    return ctx.NodeError(n.name(), n.op(), "indices and values do not fit output_shape");
  }
  ConstTensor c{values.dtype, shape, ir::Bytes(static_cast<size_t>(count) * elem)};
  for (int64_t i = 0; i < count; ++i) std::memcpy(c.bytes.data() + i * static_cast<int64_t>(elem), def.data->data(), elem);
  for (size_t i = 0; i < num; ++i) {
    int64_t flat = 0;
    for (size_t d = 0; d < rank; ++d) {
      const int64_t x = indices[i * rank + d];
      if (x < 0 || x >= dims[d]) return ctx.NodeError(n.name(), n.op(), "index out of range");
      flat = flat * dims[d] + x;
    }
    const size_t v = num_values == 1 ? 0 : i;
    std::memcpy(c.bytes.data() + flat * static_cast<int64_t>(elem), values.data->data() + v * elem, elem);
  }
  return std::vector<int32_t>{ctx.Constant(n.name(), std::move(c))};
}

}  // namespace

void AddMiscMappers(OpMapperMap& m) {
  m["Equal"] = Compare<ir::OpKind::kEqual>;
  m["NotEqual"] = Compare<ir::OpKind::kNotEqual>;
  m["Less"] = Compare<ir::OpKind::kLess>;
  m["LessEqual"] = Compare<ir::OpKind::kLessEqual>;
  m["Greater"] = Compare<ir::OpKind::kGreater>;
  m["GreaterEqual"] = Compare<ir::OpKind::kGreaterEqual>;
  m["FloorDiv"] = Floor<ir::OpKind::kFloorDiv>;
  m["FloorMod"] = Floor<ir::OpKind::kFloorMod>;
  m["TopKV2"] = TopKV2;
  m["SplitV"] = SplitV;
  m["SparseToDense"] = SparseToDense;
}

}  // namespace detlite::tf_import
