// TensorFlow ops with a direct TFLite builtin, added by the op audit of
// issue 10: Sin, Cos, Sign, Pow, ZerosLike, LogicalAnd / Or / Not, Select
// (v1: a cond of x's shape or a vector over its first dimension), SelectV2
// (broadcasting), LogSoftmax, and BatchMatMul (V1-V3, adj_x / adj_y) as
// TFLite's BATCH_MATMUL.
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

template <ir::OpKind kKind, size_t kInputs>
Outs Same(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, kInputs));
  std::vector<int32_t> args(in.begin(), in.begin() + kInputs);
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, std::move(args)));
  return std::vector<int32_t>{out};
}

template <ir::OpKind kKind>
Outs Select(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 3));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1As(n.name(), kKind, {in[0], in[1], in[2]},
                                            std::monostate{}, ctx.tensor(in[1]).dtype));
  return std::vector<int32_t>{out};
}

Outs BatchMatMul(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ir::BatchMatMulOptions o;
  o.adj_x = AttrBool(n, "adj_x", false);
  o.adj_y = AttrBool(n, "adj_y", false);
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kBatchMatmul, {in[0], in[1]}, o));
  return std::vector<int32_t>{out};
}

}  // namespace

void AddLogicMappers(OpMapperMap& m) {
  m["Sin"] = Same<ir::OpKind::kSin, 1>;
  m["Cos"] = Same<ir::OpKind::kCos, 1>;
  m["Sign"] = Same<ir::OpKind::kSign, 1>;
  m["ZerosLike"] = Same<ir::OpKind::kZerosLike, 1>;
  m["Pow"] = Same<ir::OpKind::kPow, 2>;
  m["LogicalAnd"] = Same<ir::OpKind::kLogicalAnd, 2>;
  m["LogicalOr"] = Same<ir::OpKind::kLogicalOr, 2>;
  m["LogicalNot"] = Same<ir::OpKind::kLogicalNot, 1>;
  m["Select"] = Select<ir::OpKind::kSelect>;
  m["SelectV2"] = Select<ir::OpKind::kSelectV2>;
  m["LogSoftmax"] = Same<ir::OpKind::kLogSoftmax, 1>;
  m["BatchMatMul"] = BatchMatMul;
  m["BatchMatMulV2"] = BatchMatMul;
  m["BatchMatMulV3"] = BatchMatMul;
}

}  // namespace detlite::tf_import
