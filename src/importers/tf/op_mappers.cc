#include "importers/tf/op_mappers.h"

#include <climits>

namespace detlite::tf_import {

const OpMapperMap& OpMapperTable() {
  static const OpMapperMap* table = [] {
    auto* m = new OpMapperMap();
    AddConvMappers(*m);
    AddElementwiseMappers(*m);
    AddShapeMappers(*m);
    AddArrayMappers(*m);
    AddDetectionMappers(*m);
    AddFusedMappers(*m);
    AddMiscMappers(*m);
    AddMathMappers(*m);
    AddLogicMappers(*m);
    AddRearrangeMappers(*m);
    AddScanMappers(*m);
    return m;
  }();
  return *table;
}

Status CheckInputs(ImportContext& ctx, const tf::NodeDef& node, const std::vector<int32_t>& in,
                   size_t min_count) {
  if (in.size() < min_count) {
    return ctx.NodeError(node.name(), node.op(),
                         "needs " + std::to_string(min_count) + " inputs, has " +
                             std::to_string(in.size()));
  }
  return Status::Ok();
}

StatusOr<int32_t> Int32Const(ImportContext& ctx, const tf::NodeDef& node, int32_t t,
                             const std::string& what) {
  if (ctx.tensor(t).dtype == DType::kInt32 && ctx.tensor(t).is_constant()) return t;
  ASSIGN_OR_RETURN(std::vector<int64_t> v, ctx.ConstInts(t, node.name(), what));
  std::vector<int32_t> v32;
  for (int64_t x : v) {
    if (x < INT32_MIN || x > INT32_MAX) {
      return ctx.NodeError(node.name(), node.op(), what + " value " + std::to_string(x) +
                                                       " does not fit int32");
    }
    v32.push_back(static_cast<int32_t>(x));
  }
  return ctx.ConstI32(node.name() + "/" + what, v32, ctx.tensor(t).shape.rank() == 0);
}

}  // namespace detlite::tf_import
