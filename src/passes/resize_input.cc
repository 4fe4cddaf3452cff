#include "passes/resize_input.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "ir/detection_options.h"
#include "ir/op_kind.h"
#include "passes/resize_input_rules.h"
#include "passes/ssd/value_grid.h"
#include "passes/ssd_head_layers.h"
#include "runtime/interpreter.h"

namespace detlite::passes {
namespace {

using resize_rules::OpLabel;

constexpr char kPostprocess[] = "TFLite_Detection_PostProcess";

std::vector<ssd::Anchor> ToAnchors(const float* v, size_t n) {
  std::vector<ssd::Anchor> a(n);
  for (size_t i = 0; i < n; ++i) a[i] = {v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]};
  return a;
}

std::vector<float> ToFloats(const std::vector<ssd::Anchor>& a) {
  std::vector<float> v;
  v.reserve(a.size() * 4);
  for (const ssd::Anchor& x : a) v.insert(v.end(), {x.y, x.x, x.h, x.w});
  return v;
}

std::string Size(int h, int w) { return std::to_string(h) + "x" + std::to_string(w); }

// The op's output shapes from its kernel's Prepare, on a one-op model over
// copies of its inputs (constant bytes are shared).
Status InferOutputs(ir::Subgraph& sg, size_t index) {
  const ir::Operator& real = sg.ops[index];
  ir::Model one;
  ir::Subgraph& s = one.subgraphs.emplace_back();
  ir::Operator op = real;
  op.inputs.clear();
  op.outputs.clear();
  op.intermediates.clear();
  for (int32_t in : real.inputs) {
    if (in < 0) {
      op.inputs.push_back(-1);
      continue;
    }
    const int32_t local = s.AddTensor(sg.tensors[static_cast<size_t>(in)]);
    if (!s.tensors.back().is_constant()) s.inputs.push_back(local);
    op.inputs.push_back(local);
  }
  for (int32_t out : real.outputs) {
    ir::Tensor t = sg.tensors[static_cast<size_t>(out)];
    t.shape = Shape();
    t.shape_signature.clear();
    op.outputs.push_back(s.AddTensor(std::move(t)));
  }
  s.outputs = op.outputs;
  s.ops.push_back(op);
  auto interp = runtime::Interpreter::Create(one);
  if (!interp.ok()) {
    return InvalidArgument(OpLabel(sg, index) + " cannot take the new size: " +
                           interp.status().message());
  }
  for (size_t k = 0; k < real.outputs.size(); ++k) {
    ir::Tensor& t = sg.tensors[static_cast<size_t>(real.outputs[k])];
    t.shape = (*interp)->tensor(op.outputs[k]).shape;
    if (!t.shape_signature.empty()) t.shape_signature = t.shape.dims();
  }
  return Status::Ok();
}

std::vector<ssd::FeatureMapSize> Grids(const std::vector<ssd::AnchorLayer>& layers) {
  std::vector<ssd::FeatureMapSize> g;
  for (const auto& l : layers) g.push_back(l.grid);
  return g;
}

ssd::FeatureMapSize ImageSize(const ir::Subgraph& sg) {
  const Shape& s = sg.tensors[static_cast<size_t>(sg.inputs.at(0))].shape;
  return {s.dim(1), s.dim(2)};
}

StatusOr<std::vector<ssd::Anchor>> Retarget(const ir::Subgraph& before, const ir::Subgraph& after,
                                            int32_t box_tensor,
                                            const std::vector<ssd::Anchor>& anchors,
                                            float tolerance, std::string* scheme) {
  ssd::RetargetRequest req;
  ASSIGN_OR_RETURN(req.from, FindAnchorLayers(before, box_tensor));
  ASSIGN_OR_RETURN(std::vector<ssd::AnchorLayer> to, FindAnchorLayers(after, box_tensor));
  for (size_t l = 0; l < req.from.size() && l < to.size(); ++l) {
    if (req.from[l].per_cell != to[l].per_cell) {
      return InvalidArgument("feature map " + std::to_string(l) + " changed its anchors per cell");
    }
  }
  req.to = Grids(to);
  req.image_from = ImageSize(before);
  req.image_to = ImageSize(after);
  req.tolerance = tolerance;
  return ssd::RetargetAnchors(anchors, req, scheme);
}

// Moves the anchors (input 2, float [N,4]) of a post-processing op.
Status FixPostprocess(const ir::Subgraph& before, ir::Subgraph& sg, size_t index, int old_h,
                      int old_w, ResizeInputResult* r) {
  ir::Operator& op = sg.ops[index];
  ASSIGN_OR_RETURN(DetectionPostProcessParams p, ir::ParseDetectionOptions(op.custom_options));
  if (p.y_scale == static_cast<float>(old_h) && p.x_scale == static_cast<float>(old_w)) {
    return InvalidArgument(OpLabel(sg, index) +
                           " decodes boxes in input pixels (its y/x scales are the " +
                           Size(old_h, old_w) + " input, as MediaPipe models): change the size "
                           "of the raw model, then add the post-processing");
  }
  if (op.inputs.size() < 3 || op.inputs[2] < 0) return InvalidArgument(OpLabel(sg, index) + ": no anchors");
  const ir::Tensor& at = sg.tensors[static_cast<size_t>(op.inputs[2])];
  // Float anchors, or 8-bit ones with one scale (quantized models).
  const bool q8 = at.dtype == DType::kUInt8 || at.dtype == DType::kInt8;
  const bool per_tensor = at.quant.scale.size() == 1 && at.quant.zero_point.size() <= 1;
  if (!at.is_constant() || at.shape.rank() != 2 || at.shape.dim(1) != 4 ||
      !(at.dtype == DType::kFloat32 || (q8 && per_tensor))) {
    return InvalidArgument(OpLabel(sg, index) + ": anchors '" + at.name +
                           "' are not a constant float32 or per-tensor 8-bit [N,4]");
  }
  const size_t count = static_cast<size_t>(at.shape.dim(0)) * 4;
  std::vector<float> raw(count);
  float tolerance = ssd::kAnchorTolerance;
  const float scale = q8 ? at.quant.scale[0] : 1.0f;
  const int64_t zp = q8 && !at.quant.zero_point.empty() ? at.quant.zero_point[0] : 0;
  if (!q8) {
    std::memcpy(raw.data(), at.data->data(), count * 4);
    tolerance += ssd::AnchorStorageStep(raw.data(), raw.size());  // float from 8-bit levels
  } else {
    for (size_t i = 0; i < count; ++i) {
      const int64_t v = at.dtype == DType::kUInt8 ? int64_t{(*at.data)[i]}
                                                  : int64_t{static_cast<int8_t>((*at.data)[i])};
      raw[i] = scale * static_cast<float>(v - zp);
    }
    tolerance += scale;  // a quantization step
  }
  const std::vector<ssd::Anchor> anchors = ToAnchors(raw.data(), raw.size() / 4);
  std::string scheme;
  auto moved = Retarget(before, sg, op.inputs[0], anchors, tolerance, &scheme);
  if (!moved.ok()) return moved.status().WithContext(OpLabel(sg, index));
  ir::Tensor t = at;
  t.shape = Shape{static_cast<int32_t>(moved->size()), 4};
  t.shape_signature.clear();
  const std::vector<float> values = ToFloats(*moved);
  std::shared_ptr<ir::Bytes> bytes;
  if (!q8) {
    bytes = std::make_shared<ir::Bytes>(values.size() * 4);
    std::memcpy(bytes->data(), values.data(), values.size() * 4);
  } else {
    const int64_t lo = at.dtype == DType::kUInt8 ? 0 : -128, hi = lo + 255;
    bytes = std::make_shared<ir::Bytes>(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      const int64_t q = std::clamp<int64_t>(std::llround(values[i] / scale) + zp, lo, hi);
      (*bytes)[i] = static_cast<uint8_t>(q);
    }
  }
  t.data = bytes;
  op.inputs[2] = sg.AddTensor(std::move(t));
  r->anchors_before = static_cast<int>(anchors.size());
  r->anchors_after = static_cast<int>(moved->size());
  r->log.push_back(OpLabel(sg, index) + ": " + std::to_string(anchors.size()) + " anchors -> " +
                   std::to_string(moved->size()) + " (" + scheme + "; read from the anchors, "
                   "reproduced within " + std::to_string(tolerance) + ")");
  return Status::Ok();
}

bool RefusesChange(ir::OpKind k) {
  return k == ir::OpKind::kFullyConnected || k == ir::OpKind::kSlice ||
         k == ir::OpKind::kStridedSlice || k == ir::OpKind::kTile ||
         k == ir::OpKind::kBroadcastTo;
}

}  // namespace

Status ResizeInput(ir::Model& model, int height, int width, ResizeInputResult* r) {
  if (height < 1 || width < 1) return InvalidArgument("input size " + Size(height, width));
  if (model.subgraphs.size() != 1) {
    return InvalidArgument("the model has " + std::to_string(model.subgraphs.size()) +
                           " subgraphs; only single-subgraph models change input size");
  }
  ir::Subgraph& sg = model.subgraphs[0];
  if (sg.inputs.size() != 1) {
    return InvalidArgument("the model has " + std::to_string(sg.inputs.size()) +
                           " inputs; --input-size needs one image input");
  }
  ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  if (in.shape.rank() != 4) {
    return InvalidArgument("input '" + in.name + "' " + in.shape.ToString() +
                           " is not an image [N,H,W,C]");
  }
  const std::string input_name = in.name;
  r->from_height = in.shape.dim(1);
  r->from_width = in.shape.dim(2);
  if (r->from_height == height && r->from_width == width) return Status::Ok();
  const ir::Subgraph before = sg;
  in.shape.dims()[1] = height;
  in.shape.dims()[2] = width;
  if (in.shape_signature.size() == 4) {
    in.shape_signature[1] = height;
    in.shape_signature[2] = width;
  }
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    ir::Operator& op = sg.ops[i];
    const int32_t in0 = op.inputs.empty() ? -1 : op.inputs[0];
    const Shape old_in = in0 < 0 ? Shape() : before.tensors[static_cast<size_t>(in0)].shape;
    const bool in_changed = in0 >= 0 && !(old_in == sg.tensors[static_cast<size_t>(in0)].shape);
    bool rewritten = false;
    if (in_changed && RefusesChange(op.kind)) {
      return InvalidArgument(OpLabel(sg, i) + " reads " + old_in.ToString() + ", which becomes " +
                             sg.tensors[static_cast<size_t>(in0)].shape.ToString() +
                             " at " + Size(height, width) + ": its fixed sizes (" +
                             (op.kind == ir::OpKind::kFullyConnected
                                  ? std::string("weights over the spatial features")
                                  : std::string("begin/size constants")) +
                             ") cannot follow the input size");
    }
    if (op.kind == ir::OpKind::kReshape && in_changed) {
      RETURN_IF_ERROR(resize_rules::FixReshape(sg, i, old_in, &rewritten));
      r->reshapes_rewritten += rewritten ? 1 : 0;
    } else if ((op.kind == ir::OpKind::kResizeBilinear ||
                op.kind == ir::OpKind::kResizeNearestNeighbor) && in_changed) {
      RETURN_IF_ERROR(resize_rules::FixResize(sg, i, old_in, &rewritten));
      r->resizes_rewritten += rewritten ? 1 : 0;
    } else if (op.kind == ir::OpKind::kCustom && op.custom_code == kPostprocess) {
      RETURN_IF_ERROR(FixPostprocess(before, sg, i, r->from_height, r->from_width, r));
    }
    RETURN_IF_ERROR(InferOutputs(sg, i));
  }
  r->changed = true;
  r->log.insert(r->log.begin(), "input '" + input_name + "' " + Size(r->from_height, r->from_width) +
                                    " -> " + Size(height, width) + ": " +
                                    std::to_string(sg.ops.size()) + " ops re-inferred, " +
                                    std::to_string(r->reshapes_rewritten) + " RESHAPE and " +
                                    std::to_string(r->resizes_rewritten) +
                                    " RESIZE sizes rewritten, weights unchanged");
  return Status::Ok();
}

StatusOr<std::vector<float>> RetargetAnchorValues(const ir::Model& before, const ir::Model& after,
                                                  int32_t box_tensor,
                                                  const std::vector<float>& anchors,
                                                  std::string* scheme) {
  // Anchors a TF.js file stored as 8-bit levels are off their generator
  // by up to half a level.
  const float tolerance = ssd::kAnchorTolerance + ssd::AnchorStorageStep(anchors.data(), anchors.size());
  ASSIGN_OR_RETURN(std::vector<ssd::Anchor> moved,
                   Retarget(before.subgraphs.at(0), after.subgraphs.at(0), box_tensor,
                            ToAnchors(anchors.data(), anchors.size() / 4), tolerance, scheme));
  return ToFloats(moved);
}

}  // namespace detlite::passes
