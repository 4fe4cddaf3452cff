// AddDetectionPostprocess on small hand-built graphs whose detections can be
// worked out by hand: TFLite's centre-size decoding with an inserted
// sigmoid, a model that already ends in LOGISTIC, MediaPipe's linear pixel
// boxes, and the cases the pass must refuse without touching the model.
#include "passes/add_detection_postprocess.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ir/builder.h"
#include "ir/verifier.h"
#include "runtime/interpreter.h"

namespace detlite::passes {
namespace {

// Inputs box_in [1,n,box_cols] and cls_in [1,n,cls_cols]; outputs
// "box_encodings" and "class_predictions" (through LOGISTIC if asked).
ir::Model RawSsd(int n, int box_cols, int cls_cols, bool logistic, bool classes_first = false) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t bi = b.Input("box_in", DType::kFloat32, {1, n, box_cols});
  const int32_t ci = b.Input("cls_in", DType::kFloat32, {1, n, cls_cols});
  const int32_t zero = b.ConstantF32("zero", {1}, {0.0f});
  const int32_t boxes = b.Op(ir::OpKind::kAdd, {bi, zero}, "box_encodings", DType::kFloat32,
                             {1, n, box_cols}, ir::ArithmeticOptions{});
  const int32_t cls =
      logistic ? b.Op(ir::OpKind::kLogistic, {ci}, "class_predictions", DType::kFloat32,
                      {1, n, cls_cols})
               : b.Op(ir::OpKind::kAdd, {ci, zero}, "class_predictions", DType::kFloat32,
                      {1, n, cls_cols}, ir::ArithmeticOptions{});
  if (classes_first) {
    b.Output(cls);
    b.Output(boxes);
  } else {
    b.Output(boxes);
    b.Output(cls);
  }
  return m;
}

struct Detections {
  std::vector<float> boxes, classes, scores;
  int count = 0;
};

Detections RunModel(const ir::Model& m, const std::vector<float>& boxes,
               const std::vector<float>& classes) {
  Detections d;
  auto interp = runtime::Interpreter::Create(m);
  EXPECT_TRUE(interp.ok()) << interp.status().ToString();
  if (!interp.ok()) return d;
  EXPECT_TRUE((*interp)->SetInput(0, boxes.data(), boxes.size() * 4).ok());
  EXPECT_TRUE((*interp)->SetInput(1, classes.data(), classes.size() * 4).ok());
  const Status s = (*interp)->Invoke();
  EXPECT_TRUE(s.ok()) << s.ToString();
  auto get = [&](int i) {
    const runtime::TensorRef& t = (*interp)->output(i);
    return std::vector<float>(t.Data<float>(), t.Data<float>() + t.NumElements());
  };
  d.boxes = get(0);
  d.classes = get(1);
  d.scores = get(2);
  d.count = static_cast<int>(get(3).at(0));
  return d;
}

DetectionPostprocessConfig ThreeAnchors() {
  DetectionPostprocessConfig c;
  c.anchors = {{0.25f, 0.25f, 0.2f, 0.2f}, {0.75f, 0.75f, 0.2f, 0.2f}, {0.26f, 0.26f, 0.2f, 0.2f}};
  c.score_converter = ssd::ScoreConverter::kSigmoid;
  c.num_classes = 2;
  c.nms.max_detections = 5;
  c.nms.iou_threshold = 0.5f;
  c.nms.score_threshold = 0.1f;
  return c;
}

int CountOps(const ir::Model& m, ir::OpKind kind) {
  int n = 0;
  for (const auto& op : m.subgraphs[0].ops) n += op.kind == kind;
  return n;
}

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

TEST(AddDetectionPostprocess, DecodesLogitsThroughAnInsertedSigmoid) {
  ir::Model m = RawSsd(3, 4, 3, false);
  PassContext ctx;
  bool changed = false;
  ASSERT_TRUE(AddDetectionPostprocess(ThreeAnchors()).Run(m, ctx, &changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_TRUE(ir::Verify(m).ok());
  EXPECT_EQ(CountOps(m, ir::OpKind::kLogistic), 1);
  const ir::Subgraph& sg = m.subgraphs[0];
  ASSERT_EQ(sg.outputs.size(), 4u);
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[0])].name, "TFLite_Detection_PostProcess");
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[3])].name,
            "TFLite_Detection_PostProcess:3");
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[0])].shape, Shape({1, 5, 4}));
  // Box 1: ty = 1 moves the centre by 1/10 of the anchor height; th = 5 ln 2
  // doubles the height. Box 2 nearly coincides with box 0 and is suppressed.
  const float th = 5.0f * std::log(2.0f);
  const Detections d = RunModel(m, {0, 0, 0, 0, 1, 0, th, 0, 0, 0, 0, 0},
                           {0, 2.0f, -3, 0, -3, 1.0f, 0, 1.5f, -3});
  ASSERT_EQ(d.count, 2);
  EXPECT_EQ(d.classes[0], 0);
  EXPECT_NEAR(d.scores[0], Sigmoid(2.0f), 1e-6);
  const float want0[4] = {0.15f, 0.15f, 0.35f, 0.35f};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(d.boxes[i], want0[i], 1e-6) << i;
  EXPECT_EQ(d.classes[1], 1);
  EXPECT_NEAR(d.scores[1], Sigmoid(1.0f), 1e-6);
  const float want1[4] = {0.57f, 0.65f, 0.97f, 0.85f};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(d.boxes[4 + i], want1[i], 1e-6) << i;
}

TEST(AddDetectionPostprocess, ProbabilitiesPassStraightThrough) {
  ir::Model m = RawSsd(3, 4, 3, true, /*classes_first=*/true);
  DetectionPostprocessConfig c = ThreeAnchors();
  c.score_converter = ssd::ScoreConverter::kIdentity;
  auto outs = FindSsdOutputs(m);
  ASSERT_TRUE(outs.ok());
  EXPECT_EQ(m.subgraphs[0].tensors[static_cast<size_t>(outs->boxes)].name, "box_encodings");
  EXPECT_EQ(ClassScoreKind(m, outs->classes), ScoreKind::kSigmoid);
  PassContext ctx;
  bool changed = false;
  ASSERT_TRUE(AddDetectionPostprocess(c).Run(m, ctx, &changed).ok());
  EXPECT_EQ(CountOps(m, ir::OpKind::kLogistic), 1);  // the model's own
  const Detections d = RunModel(m, std::vector<float>(12, 0.0f), {0, 2.0f, -3, 0, -3, 1.0f, 0, 1.5f, -3});
  ASSERT_EQ(d.count, 2);
  EXPECT_NEAR(d.scores[0], Sigmoid(2.0f), 1e-6);
}

TEST(AddDetectionPostprocess, MediapipeLinearPixelBoxes) {
  ir::Model m = RawSsd(2, 6, 1, false);
  DetectionPostprocessConfig c;
  c.anchors = {{0.25f, 0.5f, 1, 1}, {0.75f, 0.5f, 1, 1}};
  c.encoding = BoxEncoding::kMediapipeLinear;
  c.box_coder = {128, 128, 128, 128};
  c.score_converter = ssd::ScoreConverter::kSigmoid;
  c.num_classes = 1;
  c.nms.score_threshold = 0.5f;
  c.nms.iou_threshold = 0.3f;
  PassContext ctx;
  bool changed = false;
  ASSERT_TRUE(AddDetectionPostprocess(c).Run(m, ctx, &changed).ok());
  EXPECT_TRUE(ir::Verify(m).ok());
  EXPECT_EQ(CountOps(m, ir::OpKind::kLog), 1);
  EXPECT_EQ(CountOps(m, ir::OpKind::kGather), 2);
  // MediaPipe: x = 12.8/128 + 0.5, y = -6.4/128 + 0.25, w = 64/128, h = 32/128.
  const Detections d = RunModel(m, {12.8f, -6.4f, 64, 32, 7, 7, 0, 0, 10, 10, 0, 0}, {3.0f, -5.0f});
  ASSERT_EQ(d.count, 1);
  EXPECT_EQ(d.classes[0], 0);
  EXPECT_NEAR(d.scores[0], Sigmoid(3.0f), 1e-6);
  const float want[4] = {0.2f - 0.125f, 0.6f - 0.25f, 0.2f + 0.125f, 0.6f + 0.25f};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(d.boxes[i], want[i], 1e-6) << i;
}

TEST(AddDetectionPostprocess, RefusesWithoutTouchingTheModel) {
  ir::Model m = RawSsd(3, 4, 3, false);
  const size_t ops = m.subgraphs[0].ops.size();
  PassContext ctx;
  bool changed = true;
  DetectionPostprocessConfig c = ThreeAnchors();
  c.anchors.pop_back();
  Status s = AddDetectionPostprocess(c).Run(m, ctx, &changed);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("2 anchors"), std::string::npos) << s.message();
  EXPECT_FALSE(changed);
  c = ThreeAnchors();
  c.num_classes = 5;
  EXPECT_FALSE(AddDetectionPostprocess(c).Run(m, ctx, &changed).ok());
  c = ThreeAnchors();
  c.score_converter = ssd::ScoreConverter::kAuto;
  EXPECT_FALSE(AddDetectionPostprocess(c).Run(m, ctx, &changed).ok());
  EXPECT_EQ(m.subgraphs[0].ops.size(), ops);
  ASSERT_TRUE(AddDetectionPostprocess(ThreeAnchors()).Run(m, ctx, &changed).ok());
  // Its outputs are no longer raw SSD outputs, so a second run is refused.
  EXPECT_FALSE(AddDetectionPostprocess(ThreeAnchors()).Run(m, ctx, &changed).ok());
}

TEST(FindSsdOutputs, NeedsTwoMatchingRawOutputs) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 10, 4});
  const int32_t y = b.Input("y", DType::kFloat32, {1, 12, 3});
  const int32_t zero = b.ConstantF32("zero", {1}, {0.0f});
  b.Output(b.Op(ir::OpKind::kAdd, {x, zero}, "a", DType::kFloat32, {1, 10, 4},
                ir::ArithmeticOptions{}));
  b.Output(b.Op(ir::OpKind::kAdd, {y, zero}, "b", DType::kFloat32, {1, 12, 3},
                ir::ArithmeticOptions{}));
  auto outs = FindSsdOutputs(m);
  ASSERT_FALSE(outs.ok());
  EXPECT_NE(outs.status().message().find("[1,12,3]"), std::string::npos);
}

}  // namespace
}  // namespace detlite::passes
