// Layout and shape ops. Shapes are static in the IR, so RESHAPE, SQUEEZE and
// EXPAND_DIMS all become a Reshape to the output's shape (in the IR's own
// layout); CONCATENATION and PAD stay NCHW with their axes permuted; the
// resizes and DEPTH_TO_SPACE / SPACE_TO_DEPTH are NCHW in ONNX.
#include "exporters/onnx/ops.h"

namespace detlite::onnx_export {
namespace {

std::vector<int64_t> Dims(const ir::Tensor& t) {
  return {t.shape.dims().begin(), t.shape.dims().end()};
}

// NCHW if every non-constant input is an NCHW rank-4 activation already.
Layout KeepLayout(OnnxGraph& g, const std::vector<int32_t>& inputs) {
  bool any = false;
  for (int32_t t : inputs) {
    if (t < 0 || g.IsConstant(t)) continue;
    if (g.tensor(t).shape.rank() != 4 || g.LayoutOf(t) != Layout::kNchw) return Layout::kIr;
    any = true;
  }
  return any ? Layout::kNchw : Layout::kIr;
}

Status EmitReshape(OnnxGraph& g, const ir::Operator& op) {
  RETURN_IF_ERROR(CheckArity(g, op, 1, 2, 1));
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kIr));
  const ir::Tensor& out = g.tensor(op.outputs[0]);
  const std::vector<int64_t> dims = Dims(out);
  const std::string y = g.Produce(op.outputs[0], Layout::kIr);
  g.AddNode("Reshape", {x, g.AddInt64Initializer(y + "_shape", {static_cast<int64_t>(dims.size())}, dims)},
            {y});
  return Status::Ok();
}

Status EmitConcat(OnnxGraph& g, const ir::Operator& op) {
  RETURN_IF_ERROR(CheckArity(g, op, 1, op.inputs.size(), 1));
  const auto* o = std::get_if<ir::ConcatenationOptions>(&op.options);
  if (!o) return InvalidArgument(g.where() + ": missing options");
  const int rank = g.tensor(op.outputs[0]).shape.rank();
  int64_t axis = o->axis < 0 ? o->axis + rank : o->axis;
  if (axis < 0 || axis >= rank) return InvalidArgument(g.where() + ": axis " + std::to_string(o->axis));
  const Layout layout = rank == 4 ? KeepLayout(g, op.inputs) : Layout::kIr;
  if (layout == Layout::kNchw) axis = kToNchwPos[axis];
  std::vector<std::string> in;
  for (int32_t t : op.inputs) {
    ASSIGN_OR_RETURN(std::string n, g.Value(t, layout));
    in.push_back(std::move(n));
  }
  const std::string y = g.Produce(op.outputs[0], layout);
  const std::string pre = ActivationInput(g, o->activation, y);
  OnnxGraph::SetInt(g.AddNode("Concat", in, {pre}), "axis", axis);
  return EmitActivation(g, o->activation, pre, y);
}

Status EmitPad(OnnxGraph& g, const ir::Operator& op) {
  RETURN_IF_ERROR(CheckArity(g, op, 2, op.kind == ir::OpKind::kPadv2 ? 3 : 2, 1));
  const int rank = g.tensor(op.inputs[0]).shape.rank();
  ASSIGN_OR_RETURN(std::vector<int64_t> p, g.IntConstant(op.inputs[1]));
  if (static_cast<int>(p.size()) != 2 * rank) {
    return InvalidArgument(g.where() + ": " + std::to_string(p.size()) + " padding values for rank " +
                           std::to_string(rank));
  }
  const Layout layout = rank == 4 ? KeepLayout(g, {op.inputs[0]}) : Layout::kIr;
  std::vector<int64_t> pads(p.size());
  for (int d = 0; d < rank; ++d) {
    const int src = layout == Layout::kNchw ? kNchwPerm[d] : d;
    pads[static_cast<size_t>(d)] = p[static_cast<size_t>(2 * src)];
    pads[static_cast<size_t>(rank + d)] = p[static_cast<size_t>(2 * src + 1)];
  }
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], layout));
  const std::string y = g.Produce(op.outputs[0], layout);
  std::vector<std::string> in = {x, g.AddInt64Initializer(y + "_pads", {2 * rank}, pads)};
  if (op.inputs.size() == 3 && op.inputs[2] >= 0) {
    ASSIGN_OR_RETURN(const std::vector<float>* v, g.FloatConstant(op.inputs[2]));
    if (v == nullptr || v->size() != 1) return Unimplemented(g.where() + ": the pad value must be one constant");
    in.push_back(g.AddInitializer(y + "_value", {}, *v));
  }
  g.AddNode("Pad", in, {y});
  return Status::Ok();
}

Status EmitTranspose(OnnxGraph& g, const ir::Operator& op) {
  RETURN_IF_ERROR(CheckArity(g, op, 2, 2, 1));
  ASSIGN_OR_RETURN(std::vector<int64_t> perm, g.IntConstant(op.inputs[1]));
  std::vector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(perm.size()) || seen[static_cast<size_t>(p)]) {
      return InvalidArgument(g.where() + ": perm is not a permutation");
    }
    seen[static_cast<size_t>(p)] = true;
  }
  if (static_cast<int>(perm.size()) != g.tensor(op.inputs[0]).shape.rank()) {
    return InvalidArgument(g.where() + ": permutation of " + std::to_string(perm.size()) + " axes");
  }
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kIr));
  OnnxGraph::SetInts(g.AddNode("Transpose", {x}, {g.Produce(op.outputs[0], Layout::kIr)}), "perm", perm);
  return Status::Ok();
}

Status EmitResize(OnnxGraph& g, const ir::Operator& op) {
  RETURN_IF_ERROR(CheckArity(g, op, 1, 2, 1));
  const auto* o = std::get_if<ir::ResizeOptions>(&op.options);
  const bool align = o && o->align_corners, half = o && o->half_pixel_centers;
  const ir::Tensor& out = g.tensor(op.outputs[0]);
  if (out.shape.rank() != 4) return InvalidArgument(g.where() + ": output must have rank 4");
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kNchw));
  const std::string y = g.Produce(op.outputs[0], Layout::kNchw);
  const std::vector<int64_t> sizes = {out.shape.dim(0), out.shape.dim(3), out.shape.dim(1), out.shape.dim(2)};
  onnx::NodeProto* n = g.AddNode("Resize", {x, "", "", g.AddInt64Initializer(y + "_sizes", {4}, sizes)}, {y});
  if (op.kind == ir::OpKind::kResizeBilinear) {
    OnnxGraph::SetString(n, "mode", "linear");
    OnnxGraph::SetString(n, "coordinate_transformation_mode",
                         align ? "align_corners" : half ? "half_pixel" : "asymmetric");
  } else {
    // TFLite: floor(out * scale), round with align_corners, floor of
    // (out + 0.5) * scale with half-pixel centers.
    OnnxGraph::SetString(n, "mode", "nearest");
    OnnxGraph::SetString(n, "coordinate_transformation_mode",
                         align ? "align_corners" : half ? "tf_half_pixel_for_nn" : "asymmetric");
    OnnxGraph::SetString(n, "nearest_mode", align ? "round_prefer_ceil" : "floor");
  }
  return Status::Ok();
}

Status EmitBlockOp(OnnxGraph& g, const ir::Operator& op, const char* onnx_op) {
  RETURN_IF_ERROR(CheckArity(g, op, 1, 1, 1));
  const auto* o = std::get_if<ir::BlockSizeOptions>(&op.options);
  if (!o || o->block_size < 1) return InvalidArgument(g.where() + ": missing block size");
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kNchw));
  onnx::NodeProto* n = g.AddNode(onnx_op, {x}, {g.Produce(op.outputs[0], Layout::kNchw)});
  OnnxGraph::SetInt(n, "blocksize", o->block_size);
  // TFLite's channel order is (row in block, column in block, channel).
  if (op.kind == ir::OpKind::kDepthToSpace) OnnxGraph::SetString(n, "mode", "DCR");
  return Status::Ok();
}

Status EmitReduce(OnnxGraph& g, const ir::Operator& op, const char* onnx_op) {
  RETURN_IF_ERROR(CheckArity(g, op, 2, 2, 1));
  const auto* o = std::get_if<ir::ReducerOptions>(&op.options);
  ASSIGN_OR_RETURN(std::vector<int64_t> axes, g.IntConstant(op.inputs[1]));
  ASSIGN_OR_RETURN(std::string x, g.Value(op.inputs[0], Layout::kIr));
  onnx::NodeProto* n = g.AddNode(onnx_op, {x}, {g.Produce(op.outputs[0], Layout::kIr)});
  OnnxGraph::SetInts(n, "axes", axes);
  OnnxGraph::SetInt(n, "keepdims", o && o->keep_dims ? 1 : 0);
  return Status::Ok();
}

}  // namespace

StatusOr<bool> EmitShapeOp(OnnxGraph& g, const ir::Operator& op) {
  switch (op.kind) {
    case ir::OpKind::kReshape:
    case ir::OpKind::kSqueeze:
    case ir::OpKind::kExpandDims:
      RETURN_IF_ERROR(EmitReshape(g, op));
      return true;
    case ir::OpKind::kConcatenation: RETURN_IF_ERROR(EmitConcat(g, op)); return true;
    case ir::OpKind::kPad:
    case ir::OpKind::kPadv2:
      RETURN_IF_ERROR(EmitPad(g, op));
      return true;
    case ir::OpKind::kTranspose: RETURN_IF_ERROR(EmitTranspose(g, op)); return true;
    case ir::OpKind::kResizeBilinear:
    case ir::OpKind::kResizeNearestNeighbor:
      RETURN_IF_ERROR(EmitResize(g, op));
      return true;
    case ir::OpKind::kDepthToSpace: RETURN_IF_ERROR(EmitBlockOp(g, op, "DepthToSpace")); return true;
    case ir::OpKind::kSpaceToDepth: RETURN_IF_ERROR(EmitBlockOp(g, op, "SpaceToDepth")); return true;
    // Opset 13 takes these axes as an attribute (ReduceSum's are an input).
    case ir::OpKind::kMean: RETURN_IF_ERROR(EmitReduce(g, op, "ReduceMean")); return true;
    case ir::OpKind::kReduceMax: RETURN_IF_ERROR(EmitReduce(g, op, "ReduceMax")); return true;
    default: return false;
  }
}

}  // namespace detlite::onnx_export
