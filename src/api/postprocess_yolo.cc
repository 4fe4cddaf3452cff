// AddPostprocess for a raw YOLO output (see api/detection_yolo.h): builtins
// turn it into the two tensors TFLite_Detection_PostProcess reads, then the
// standard pass appends the op.
//   [int8 output] -> DEQUANTIZE
//   YOLOv8/11 [1,4+C,N] -> TRANSPOSE [1,N,4+C] -> SLICE boxes [1,N,4]
//                                              -> SLICE scores [1,N,C]
//   YOLOv5 [1,N,5+C] -> SLICE boxes, SLICE objectness [1,N,1] x SLICE
//                       classes [1,N,C] (MUL) = scores
// The boxes are (cx, cy, w, h) with linear sizes, which the pass's MediaPipe
// rewrite takes to TFLite's (y, x, log h, log w) encoding; with 1x1 anchors at
// the origin and scales of 1 (normalized boxes) or the input size (pixels),
// the op's decode gives back exactly those boxes. Anchor-free, so no anchor
// generator is involved. Scores are already probabilities (no converter).
// Regular (per-class) NMS, as YOLO's NMS is class-aware.
#include "api/postprocess_yolo.h"

#include <cstring>
#include <memory>
#include <string>

#include "ir/verifier.h"
#include "passes/add_detection_postprocess.h"

namespace detlite::api_internal {
namespace {

int32_t AddTensor(ir::Subgraph& sg, const std::string& name, DType dtype, Shape shape) {
  ir::Tensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  return sg.AddTensor(std::move(t));
}

int32_t AddI32(ir::Subgraph& sg, const std::string& name, std::vector<int32_t> v) {
  ir::Tensor t;
  t.name = name;
  t.dtype = DType::kInt32;
  t.shape = Shape{static_cast<int32_t>(v.size())};
  auto buf = std::make_shared<ir::Bytes>(v.size() * 4);
  std::memcpy(buf->data(), v.data(), buf->size());
  t.data = std::move(buf);
  return sg.AddTensor(std::move(t));
}

int32_t AddOp(ir::Subgraph& sg, ir::OpKind kind, std::vector<int32_t> inputs, int32_t output,
              ir::OpOptions options = std::monostate{}) {
  ir::Operator op;
  op.kind = kind;
  op.inputs = std::move(inputs);
  op.outputs = {output};
  op.options = std::move(options);
  sg.ops.push_back(std::move(op));
  return output;
}

// x[:, :, begin:begin+size] of a float [1,N,K] tensor.
int32_t SliceColumns(ir::Subgraph& sg, int32_t x, int32_t n, int32_t begin, int32_t size,
                     const std::string& name) {
  const int32_t b = AddI32(sg, name + "/begin", {0, 0, begin});
  const int32_t s = AddI32(sg, name + "/size", {1, n, size});
  return AddOp(sg, ir::OpKind::kSlice, {x, b, s},
               AddTensor(sg, name, DType::kFloat32, Shape{1, n, size}));
}

}  // namespace

StatusOr<PostprocessResult> AddYoloPostprocess(Model& model, const PostprocessOptions& o,
                                               const api::YoloSpec& spec) {
  const std::string where = model.path().empty() ? "model" : model.path();
  ir::Model m = model.ir();  // a copy: a failure leaves the caller's model as it was
  ir::Subgraph& sg = m.subgraphs[0];
  const int32_t n = spec.num_boxes, c = spec.num_classes;
  const bool v8 = spec.layout == api::YoloSpec::Layout::kV8;
  int32_t raw = sg.outputs[0];
  // Copies, not references: AddTensor grows sg.tensors (found by ASan).
  const Shape raw_shape = sg.tensors[static_cast<size_t>(raw)].shape;
  const DType raw_dtype = sg.tensors[static_cast<size_t>(raw)].dtype;
  PostprocessResult result;
  if (raw_dtype != DType::kFloat32) {
    raw = AddOp(sg, ir::OpKind::kDequantize, {raw},
                AddTensor(sg, "yolo/raw_float", DType::kFloat32, raw_shape));
    result.actions.push_back("yolo: DEQUANTIZE of the " + std::string(DTypeName(raw_dtype)) +
                             " output");
  }
  int32_t boxes = -1, scores = -1;
  if (v8) {
    const int32_t perm = AddI32(sg, "yolo/perm", {0, 2, 1});
    const int32_t rows = AddOp(sg, ir::OpKind::kTranspose, {raw, perm},
                               AddTensor(sg, "yolo/rows", DType::kFloat32, Shape{1, n, 4 + c}));
    boxes = SliceColumns(sg, rows, n, 0, 4, "yolo/boxes");
    scores = SliceColumns(sg, rows, n, 4, c, "yolo/class_scores");
  } else {
    boxes = SliceColumns(sg, raw, n, 0, 4, "yolo/boxes");
    const int32_t obj = SliceColumns(sg, raw, n, 4, 1, "yolo/objectness");
    const int32_t cls = SliceColumns(sg, raw, n, 5, c, "yolo/class_probabilities");
    scores = AddOp(sg, ir::OpKind::kMul, {cls, obj},
                   AddTensor(sg, "yolo/class_scores", DType::kFloat32, Shape{1, n, c}),
                   ir::ArithmeticOptions{});
  }
  sg.outputs = {boxes, scores};
  result.actions.push_back("yolo: " + spec.Describe() + " split into boxes [1," +
                           std::to_string(n) + ",4] and scores [1," + std::to_string(n) + "," +
                           std::to_string(c) + "]" + (v8 ? " (TRANSPOSE, SLICE)" : " (SLICE, MUL)"));

  passes::DetectionPostprocessConfig pc;
  pc.encoding = passes::BoxEncoding::kMediapipeLinear;
  const float sy = spec.pixel_boxes ? static_cast<float>(spec.input_h) : 1.0f;
  const float sx = spec.pixel_boxes ? static_cast<float>(spec.input_w) : 1.0f;
  pc.box_coder = {sy, sx, sy, sx};
  pc.anchors.assign(static_cast<size_t>(n), ssd::Anchor{0.0f, 0.0f, 1.0f, 1.0f});
  pc.score_converter = ssd::ScoreConverter::kIdentity;
  pc.num_classes = c;
  pc.nms.score_threshold = o.score_threshold.value_or(0.25f);  // Ultralytics' predict default
  pc.nms.iou_threshold = o.iou_threshold.value_or(0.7f);
  pc.nms.max_detections = o.max_detections.value_or(300);
  pc.nms.max_classes_per_detection = o.max_classes_per_detection.value_or(1);
  pc.nms.detections_per_class = o.detections_per_class.value_or(300);
  pc.nms.use_regular_nms = o.regular_nms.value_or(true);
  passes::AddDetectionPostprocess pass(std::move(pc));
  passes::PassContext ctx;
  bool changed = false;
  const Status run = pass.Run(m, ctx, &changed);
  if (!run.ok()) return run.WithContext(where);
  const Status verified = ir::Verify(m);
  if (!verified.ok()) return Internal("post-processing made an invalid graph: " + verified.message());
  model.mutable_ir() = std::move(m);
  result.anchor_scheme = "none (anchor-free YOLO: 1x1 anchors at the origin)";
  result.num_anchors = n;
  result.num_classes = c;
  result.score_converter = "none";
  for (std::string& line : ctx.log) result.actions.push_back(std::move(line));
  return result;
}

}  // namespace detlite::api_internal
