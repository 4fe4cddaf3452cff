// TensorFlow's element rearrangements with TFLite builtins (op audit of
// issue 10): SpaceToBatchND, BatchToSpaceND (how TensorFlow writes an
// atrous convolution), ReverseV2, BroadcastTo, GatherNd; and Range, folded
// to a constant (TFLite's RANGE needs constant inputs to have a shape).
#include <cmath>
#include <cstring>
#include <vector>

#include "importers/tf/op_mappers.h"
#include "importers/tf/tf_tensor.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

// (data, int32 constant parameters...).
template <ir::OpKind kKind, size_t kParams>
Outs WithConstParams(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  static const char* kNames[] = {"block_shape / axis / shape", "paddings / crops"};
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1 + kParams));
  std::vector<int32_t> args = {in[0]};
  for (size_t i = 0; i < kParams; ++i) {
    ASSIGN_OR_RETURN(int32_t p, Int32Const(ctx, n, in[1 + i], kNames[i]));
    args.push_back(p);
  }
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, std::move(args)));
  return std::vector<int32_t>{out};
}

Outs GatherNd(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kGatherNd, {in[0], in[1]}));
  return std::vector<int32_t>{out};
}

// Range(start, limit, delta) of constants: int32 or float32 values.
Outs Range(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 3));
  const DType type = ctx.tensor(in[0]).dtype;
  double v[3];
  for (int i = 0; i < 3; ++i) {
    const ir::Tensor& t = ctx.tensor(in[static_cast<size_t>(i)]);
    if (!t.is_constant() || t.dtype != type || t.shape.NumElements() != 1 ||
        (type != DType::kInt32 && type != DType::kFloat32) || t.data->size() != 4) {
      return ctx.NodeError(n.name(), n.op(),
                           "start, limit and delta must be scalar int32 or float32 constants "
                           "(a computed range has no static shape)");
    }
    if (type == DType::kInt32) {
      int32_t x;
      std::memcpy(&x, t.data->data(), 4);
      v[i] = x;
    } else {
      float x;
      std::memcpy(&x, t.data->data(), 4);
      v[i] = x;
    }
  }
  if (!(v[2] != 0) || !std::isfinite(v[0]) || !std::isfinite(v[1]) || !std::isfinite(v[2])) {
    return ctx.NodeError(n.name(), n.op(), "delta must be a nonzero finite number");
  }
  const double count = std::ceil((v[1] - v[0]) / v[2]);
  if (count > static_cast<double>(kMaxConstElements)) {
    return ctx.NodeError(n.name(), n.op(), "the range is too long");
  }
  const int64_t size = count > 0 ? static_cast<int64_t>(count) : 0;
  ConstTensor c{type, Shape{static_cast<int32_t>(size)}, ir::Bytes(static_cast<size_t>(size) * 4)};
  for (int64_t i = 0; i < size; ++i) {
    if (type == DType::kInt32) {
      const int32_t x = static_cast<int32_t>(v[0] + static_cast<double>(i) * v[2]);
      std::memcpy(c.bytes.data() + i * 4, &x, 4);
    } else {
      // As TensorFlow's kernel: start + i * delta in the value type.
      const float x = static_cast<float>(v[0]) + static_cast<float>(i) * static_cast<float>(v[2]);
      std::memcpy(c.bytes.data() + i * 4, &x, 4);
    }
  }
  return std::vector<int32_t>{ctx.Constant(n.name(), std::move(c))};
}

}  // namespace

void AddRearrangeMappers(OpMapperMap& m) {
  m["SpaceToBatchND"] = WithConstParams<ir::OpKind::kSpaceToBatchNd, 2>;
  m["BatchToSpaceND"] = WithConstParams<ir::OpKind::kBatchToSpaceNd, 2>;
  m["ReverseV2"] = WithConstParams<ir::OpKind::kReverseV2, 1>;
  m["BroadcastTo"] = WithConstParams<ir::OpKind::kBroadcastTo, 1>;
  m["GatherNd"] = GatherNd;
  m["Range"] = Range;
}

}  // namespace detlite::tf_import
