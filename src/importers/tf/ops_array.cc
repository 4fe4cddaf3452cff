// Concatenation, padding, slicing, packing, reductions, resizing, splits.
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

StatusOr<int32_t> Axis(ImportContext& ctx, const tf::NodeDef& n, int32_t t, int rank) {
  ASSIGN_OR_RETURN(std::vector<int64_t> v, ctx.ConstInts(t, n.name(), "axis"));
  if (v.size() != 1 || v[0] < -rank || v[0] >= rank) {
    return ctx.NodeError(n.name(), n.op(), "axis must be one value in [-rank, rank)");
  }
  return static_cast<int32_t>(v[0] < 0 ? v[0] + rank : v[0]);
}

Outs ConcatV2(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  std::vector<int32_t> values(in.begin(), in.end() - 1);
  ir::ConcatenationOptions o;
  ASSIGN_OR_RETURN(o.axis, Axis(ctx, n, in.back(), ctx.tensor(values[0]).shape.rank()));
  if (values.size() == 1) return values;
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kConcatenation, values, o));
  return std::vector<int32_t>{out};
}

// Concat (v1): the axis comes first.
Outs Concat(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  std::vector<int32_t> v2(in.begin() + 1, in.end());
  v2.push_back(in[0]);
  return ConcatV2(ctx, n, v2);
}

Outs Pad(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t pads, Int32Const(ctx, n, in[1], "paddings"));
  std::vector<int32_t> ins{in[0], pads};
  ir::OpKind kind = ir::OpKind::kPad;
  ir::OpOptions o = std::monostate{};
  if (n.op() == "PadV2" && in.size() > 2) {
    kind = ir::OpKind::kPadv2;
    ins.push_back(in[2]);
  } else if (n.op() == "MirrorPad") {
    kind = ir::OpKind::kMirrorPad;
    o = ir::MirrorPadOptions{AttrString(n, "mode", "REFLECT") == "SYMMETRIC"};
  }
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kind, ins, o));
  return std::vector<int32_t>{out};
}

Outs StridedSlice(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 4));
  ir::StridedSliceOptions o;
  o.begin_mask = static_cast<int32_t>(AttrInt(n, "begin_mask", 0));
  o.end_mask = static_cast<int32_t>(AttrInt(n, "end_mask", 0));
  o.ellipsis_mask = static_cast<int32_t>(AttrInt(n, "ellipsis_mask", 0));
  o.new_axis_mask = static_cast<int32_t>(AttrInt(n, "new_axis_mask", 0));
  o.shrink_axis_mask = static_cast<int32_t>(AttrInt(n, "shrink_axis_mask", 0));
  std::vector<int32_t> ins{in[0]};
  for (int k = 1; k <= 3; ++k) {
    ASSIGN_OR_RETURN(int32_t t, Int32Const(ctx, n, in[static_cast<size_t>(k)],
                                           k == 1 ? "begin" : k == 2 ? "end" : "strides"));
    ins.push_back(t);
  }
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kStridedSlice, ins, o));
  return std::vector<int32_t>{out};
}

Outs Slice(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 3));
  ASSIGN_OR_RETURN(int32_t b, Int32Const(ctx, n, in[1], "begin"));
  ASSIGN_OR_RETURN(int32_t s, Int32Const(ctx, n, in[2], "size"));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kSlice, {in[0], b, s}));
  return std::vector<int32_t>{out};
}

Outs Pack(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  const int rank = ctx.tensor(in[0]).shape.rank() + 1;
  int64_t axis = AttrInt(n, "axis", 0);
  if (axis < -rank || axis >= rank) return ctx.NodeError(n.name(), n.op(), "axis out of range");
  ir::PackOptions o{static_cast<int32_t>(in.size()),
                    static_cast<int32_t>(axis < 0 ? axis + rank : axis)};
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kPack, in, o));
  return std::vector<int32_t>{out};
}

Outs Unpack(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  const int rank = ctx.tensor(in[0]).shape.rank();
  int64_t axis = AttrInt(n, "axis", 0);
  const int64_t num = AttrInt(n, "num", 0);
  if (axis < -rank || axis >= rank || num < 1 || num > 4096) {
    return ctx.NodeError(n.name(), n.op(), "axis or num out of range");
  }
  ir::PackOptions o{static_cast<int32_t>(num), static_cast<int32_t>(axis < 0 ? axis + rank : axis)};
  return ctx.Emit(n.name(), ir::OpKind::kUnpack, {in[0]}, o,
                  std::vector<DType>(static_cast<size_t>(num), ctx.tensor(in[0]).dtype));
}

template <ir::OpKind kKind>
Outs Resize(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t size, Int32Const(ctx, n, in[1], "size"));
  ir::ResizeOptions o{AttrBool(n, "align_corners", false), AttrBool(n, "half_pixel_centers", false)};
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0], size}, o));
  return std::vector<int32_t>{out};
}

Outs Split(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  const int64_t num = AttrInt(n, "num_split", 0);
  if (num < 1 || num > 4096) return ctx.NodeError(n.name(), n.op(), "num_split out of range");
  ASSIGN_OR_RETURN(int32_t axis, Int32Const(ctx, n, in[0], "axis"));
  return ctx.Emit(n.name(), ir::OpKind::kSplit, {axis, in[1]},
                  ir::SplitOptions{static_cast<int32_t>(num)},
                  std::vector<DType>(static_cast<size_t>(num), ctx.tensor(in[1]).dtype));
}

Outs Gather(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ir::GatherOptions o;
  if (n.op() == "GatherV2") {
    RETURN_IF_ERROR(CheckInputs(ctx, n, in, 3));
    ASSIGN_OR_RETURN(o.axis, Axis(ctx, n, in[2], ctx.tensor(in[0]).shape.rank()));
    o.batch_dims = static_cast<int32_t>(AttrInt(n, "batch_dims", 0));
  }
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kGather, {in[0], in[1]}, o));
  return std::vector<int32_t>{out};
}

Outs Tile(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ASSIGN_OR_RETURN(int32_t mult, Int32Const(ctx, n, in[1], "multiples"));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kTile, {in[0], mult}));
  return std::vector<int32_t>{out};
}

}  // namespace

void AddArrayMappers(OpMapperMap& m) {
  m["ConcatV2"] = ConcatV2;
  m["Concat"] = Concat;
  m["Pad"] = Pad;
  m["PadV2"] = Pad;
  m["MirrorPad"] = Pad;
  m["StridedSlice"] = StridedSlice;
  m["Slice"] = Slice;
  m["Pack"] = Pack;
  m["Unpack"] = Unpack;
  m["ResizeBilinear"] = Resize<ir::OpKind::kResizeBilinear>;
  m["ResizeNearestNeighbor"] = Resize<ir::OpKind::kResizeNearestNeighbor>;
  m["Split"] = Split;
  m["Gather"] = Gather;
  m["GatherV2"] = Gather;
  m["Tile"] = Tile;
}

}  // namespace detlite::tf_import
