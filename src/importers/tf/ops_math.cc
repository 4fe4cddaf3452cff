// TensorFlow ops with a direct TFLite builtin that the other families do
// not cover: rounding (Ceil, Floor, Round: half to even in both), Log,
// the reductions (Mean, Sum, Max, Min, Prod, Any), ArgMax/ArgMin, DepthToSpace/SpaceToDepth (NHWC).
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"
#include "importers/tf/tf_tensor.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

template <ir::OpKind kKind>
Outs FloatUnary(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0]}, std::monostate{}));
  return std::vector<int32_t>{out};
}

template <ir::OpKind kKind>
Outs Reduce(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t axes, Int32Const(ctx, n, in[1], "reduction_indices"));
  ir::ReducerOptions o{AttrBool(n, "keep_dims", false)};
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0], axes}, o));
  return std::vector<int32_t>{out};
}

template <ir::OpKind kKind>
Outs ArgMinMax(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t axis, Int32Const(ctx, n, in[1], "dimension"));
  ASSIGN_OR_RETURN(DType type, DTypeFromTf(static_cast<int32_t>(AttrType(n, "output_type", 9))));
  if (type != DType::kInt32 && type != DType::kInt64) {
    return ctx.NodeError(n.name(), n.op(), "output_type must be int32 or int64");
  }
  ASSIGN_OR_RETURN(int32_t out,
                   ctx.Emit1As(n.name(), kKind, {in[0], axis}, ir::ArgMinMaxOptions{type}, type));
  return std::vector<int32_t>{out};
}

template <ir::OpKind kKind>
Outs BlockSize(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  const std::string fmt = AttrString(n, "data_format", "NHWC");
  if (fmt != "NHWC") {
    return ctx.NodeError(n.name(), n.op(), "data_format " + fmt + " is not supported (NHWC only)");
  }
  const int64_t block = AttrInt(n, "block_size", 0);
  if (block < 2 || block > 4096) return ctx.NodeError(n.name(), n.op(), "block_size must be 2..4096");
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0]},
                                          ir::BlockSizeOptions{static_cast<int32_t>(block)}));
  return std::vector<int32_t>{out};
}

}  // namespace

void AddMathMappers(OpMapperMap& m) {
  m["Ceil"] = FloatUnary<ir::OpKind::kCeil>;
  m["Floor"] = FloatUnary<ir::OpKind::kFloor>;
  m["Round"] = FloatUnary<ir::OpKind::kRound>;
  m["Log"] = FloatUnary<ir::OpKind::kLog>;
  m["Mean"] = Reduce<ir::OpKind::kMean>;
  m["Sum"] = Reduce<ir::OpKind::kSum>;
  m["Max"] = Reduce<ir::OpKind::kReduceMax>;
  m["Min"] = Reduce<ir::OpKind::kReduceMin>;
  m["Prod"] = Reduce<ir::OpKind::kReduceProd>;
  m["Any"] = Reduce<ir::OpKind::kReduceAny>;
  m["ArgMax"] = ArgMinMax<ir::OpKind::kArgMax>;
  m["ArgMin"] = ArgMinMax<ir::OpKind::kArgMin>;
  m["DepthToSpace"] = BlockSize<ir::OpKind::kDepthToSpace>;
  m["SpaceToDepth"] = BlockSize<ir::OpKind::kSpaceToDepth>;
}

}  // namespace detlite::tf_import
