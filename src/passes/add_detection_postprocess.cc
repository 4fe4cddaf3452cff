#include "passes/add_detection_postprocess.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>

#include "ir/builder.h"
#include "ir/detection_options.h"

namespace detlite::passes {
namespace {

constexpr char kOpName[] = "TFLite_Detection_PostProcess";
// Floor for MediaPipe's linear sizes before LOG: a degenerate (<= 0) size
// would otherwise give -inf or NaN; exp(log(1e-12)) is still ~0.
constexpr float kTinySize = 1e-12f;

// Appends an op to `sg` with one new float32 output.
int32_t AddFloatOp(ir::Subgraph& sg, ir::OpKind kind, std::vector<int32_t> inputs,
                   const std::string& name, Shape shape, ir::OpOptions options = std::monostate{}) {
  ir::Tensor t;
  t.name = name;
  t.dtype = DType::kFloat32;
  t.shape = std::move(shape);
  const int32_t out = sg.AddTensor(std::move(t));
  ir::Operator op;
  op.kind = kind;
  op.inputs = std::move(inputs);
  op.outputs = {out};
  op.options = std::move(options);
  sg.ops.push_back(std::move(op));
  return out;
}

int32_t AddConst(ir::Subgraph& sg, const std::string& name, DType dtype, Shape shape,
                 const void* data, size_t bytes) {
  ir::Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  auto buf = std::make_shared<ir::Bytes>(bytes);
  std::memcpy(buf->data(), data, bytes);
  t.data = std::move(buf);
  return sg.AddTensor(std::move(t));
}

// (x, y, w, h) pixels, linear sizes -> (y, x, log(h / h_scale), log(w / w_scale)).
int32_t MediapipeToCenterSize(ir::Subgraph& sg, int32_t raw, int32_t n,
                              const ssd::BoxCoderSpec& coder) {
  const int32_t yx_idx[2] = {1, 0}, hw_idx[2] = {3, 2};
  const float hw_scale[2] = {coder.h_scale, coder.w_scale};
  const float tiny = kTinySize;
  const int32_t yx_i = AddConst(sg, "postprocess/yx_index", DType::kInt32, {2}, yx_idx, 8);
  const int32_t hw_i = AddConst(sg, "postprocess/hw_index", DType::kInt32, {2}, hw_idx, 8);
  const int32_t scale = AddConst(sg, "postprocess/hw_scale", DType::kFloat32, {2}, hw_scale, 8);
  const int32_t floor = AddConst(sg, "postprocess/min_size", DType::kFloat32, {1}, &tiny, 4);
  const Shape half{1, n, 2};
  const int32_t yx = AddFloatOp(sg, ir::OpKind::kGather, {raw, yx_i}, "postprocess/box_yx", half,
                                ir::GatherOptions{2, 0});
  const int32_t hw = AddFloatOp(sg, ir::OpKind::kGather, {raw, hw_i}, "postprocess/box_hw", half,
                                ir::GatherOptions{2, 0});
  const int32_t rel = AddFloatOp(sg, ir::OpKind::kDiv, {hw, scale}, "postprocess/box_hw_rel",
                                 half, ir::ArithmeticOptions{});
  const int32_t pos = AddFloatOp(sg, ir::OpKind::kMaximum, {rel, floor},
                                 "postprocess/box_hw_floor", half);
  const int32_t log = AddFloatOp(sg, ir::OpKind::kLog, {pos}, "postprocess/box_hw_log", half);
  ir::ConcatenationOptions cat;
  cat.axis = 2;
  return AddFloatOp(sg, ir::OpKind::kConcatenation, {yx, log}, "postprocess/box_encodings",
                    Shape{1, n, 4}, cat);
}

Status CheckConfig(const DetectionPostprocessConfig& c, const ir::Subgraph& sg,
                   const SsdOutputs& outs) {
  if (static_cast<int64_t>(c.anchors.size()) != outs.num_boxes) {
    return InvalidArgument("anchors: " + std::to_string(c.anchors.size()) +
                           " anchors but the box tensor has " + std::to_string(outs.num_boxes) +
                           " boxes");
  }
  const int64_t offset = outs.class_columns - c.num_classes;
  if (c.num_classes < 1 || offset < 0 || offset > 1) {
    return InvalidArgument("num_classes " + std::to_string(c.num_classes) +
                           " does not fit the class tensor's " +
                           std::to_string(outs.class_columns) + " columns (need columns - "
                           "num_classes = 0 or 1, the background column)");
  }
  if (c.score_converter == ssd::ScoreConverter::kAuto) {
    return Internal("the score converter must be resolved before the pass runs");
  }
  const ssd::BoxCoderSpec& b = c.box_coder;
  if (!(b.y_scale > 0) || !(b.x_scale > 0) || !(b.h_scale > 0) || !(b.w_scale > 0)) {
    return InvalidArgument("box scales must be positive");
  }
  const ssd::NmsSpec& n = c.nms;
  if (n.max_detections < 1 || n.max_classes_per_detection < 1 || n.detections_per_class < 1 ||
      n.max_classes_per_detection > c.num_classes || !std::isfinite(n.score_threshold) ||
      !(n.iou_threshold > 0 && n.iou_threshold <= 1)) {
    return InvalidArgument(
        "NMS settings out of range: need max detections >= 1, 1 <= classes per detection <= "
        "num_classes, detections per class >= 1 and 0 < IoU threshold <= 1");
  }
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kCustom && op.custom_code == kOpName) {
      return FailedPrecondition("the model already ends in TFLite_Detection_PostProcess");
    }
  }
  return Status::Ok();
}

}  // namespace

Status AddDetectionPostprocess::Run(ir::Model& model, PassContext& ctx, bool* changed) {
  *changed = false;
  ASSIGN_OR_RETURN(SsdOutputs outs, FindSsdOutputs(model));
  ir::Subgraph& sg = model.subgraphs[0];
  RETURN_IF_ERROR(CheckConfig(config_, sg, outs));
  const int32_t n = static_cast<int32_t>(outs.num_boxes);
  const DetectionPostprocessConfig& c = config_;

  int32_t boxes = outs.boxes;
  DetectionPostProcessParams p;
  p.y_scale = c.box_coder.y_scale;
  p.x_scale = c.box_coder.x_scale;
  p.h_scale = c.box_coder.h_scale;
  p.w_scale = c.box_coder.w_scale;
  if (c.encoding == BoxEncoding::kMediapipeLinear) {
    boxes = MediapipeToCenterSize(sg, boxes, n, c.box_coder);
    p.h_scale = p.w_scale = 1.0f;
    ctx.log.push_back("boxes: MediaPipe (x, y, w, h) linear sizes rewritten to TFLite's "
                      "(y, x, log h, log w) with GATHER, DIV, MAXIMUM, LOG, CONCATENATION");
  }
  int32_t scores = outs.classes;
  const Shape class_shape = sg.tensors[static_cast<size_t>(scores)].shape;
  if (c.score_converter == ssd::ScoreConverter::kSigmoid) {
    scores = AddFloatOp(sg, ir::OpKind::kLogistic, {scores}, "postprocess/class_scores",
                        class_shape);
    ctx.log.push_back("scores: added LOGISTIC (sigmoid) before post-processing");
  } else if (c.score_converter == ssd::ScoreConverter::kSoftmax) {
    scores = AddFloatOp(sg, ir::OpKind::kSoftmax, {scores}, "postprocess/class_scores",
                        class_shape, ir::SoftmaxOptions{1.0f});
    ctx.log.push_back("scores: added SOFTMAX over the class axis before post-processing");
  }

  std::vector<float> anchor_data;
  anchor_data.reserve(c.anchors.size() * 4);
  for (const ssd::Anchor& a : c.anchors) anchor_data.insert(anchor_data.end(), {a.y, a.x, a.h, a.w});
  const int32_t anchors = AddConst(sg, "anchors", DType::kFloat32, {n, 4}, anchor_data.data(),
                                   anchor_data.size() * sizeof(float));

  p.max_detections = c.nms.max_detections;
  p.max_classes_per_detection = c.nms.max_classes_per_detection;
  p.detections_per_class = c.nms.detections_per_class;
  p.use_regular_nms = c.nms.use_regular_nms;
  p.nms_score_threshold = c.nms.score_threshold;
  p.nms_iou_threshold = c.nms.iou_threshold;
  p.num_classes = c.num_classes;
  const int32_t m = c.nms.max_detections * c.nms.max_classes_per_detection;
  const std::string base = kOpName;
  std::vector<int32_t> out_tensors;
  const Shape shapes[4] = {Shape{1, m, 4}, Shape{1, m}, Shape{1, m}, Shape{1}};
  for (int i = 0; i < 4; ++i) {
    ir::Tensor t;
    t.name = i == 0 ? base : base + ":" + std::to_string(i);
    t.dtype = DType::kFloat32;
    t.shape = shapes[i];
    out_tensors.push_back(sg.AddTensor(std::move(t)));
  }
  ir::Operator op;
  op.kind = ir::OpKind::kCustom;
  op.custom_code = kOpName;
  op.inputs = {boxes, scores, anchors};
  op.outputs = out_tensors;
  op.custom_options = ir::WriteDetectionOptions(p);
  sg.ops.push_back(std::move(op));
  sg.outputs = out_tensors;
  for (ir::SignatureDef& sig : model.signatures) {
    if (sig.subgraph_index != 0) continue;
    sig.outputs.clear();
    for (int32_t t : out_tensors) sig.outputs.push_back({sg.tensors[static_cast<size_t>(t)].name, t});
  }
  ctx.log.push_back("added TFLite_Detection_PostProcess: " + std::to_string(n) + " anchors, " +
                    std::to_string(c.num_classes) + (c.num_classes == 1 ? " class" : " classes") +
                    " (label offset " +
                    std::to_string(outs.class_columns - c.num_classes) + "), max " +
                    std::to_string(m) + " detections, " +
                    (c.nms.use_regular_nms ? "regular" : "fast") + " NMS");
  *changed = true;
  return Status::Ok();
}

}  // namespace detlite::passes
