// Box encodings are calibrated only where a score passes
// (quant/box_rows.h): the rows each box tensor holds, which anchors pass,
// and a calibrated range that ignores huge values at anchors no score lets
// through.
#include <gtest/gtest.h>

#include <cstring>

#include "ir/builder.h"
#include "ir/detection_options.h"
#include "quant/box_rows.h"
#include "quant/calibrate.h"

namespace detlite::quant {
namespace {

using ir::OpKind;

// Box heads a [1,2,4] and b [1,3,4] (model inputs) concatenated along the
// anchor axis, scores s [1,5,1], into TFLite_Detection_PostProcess
// (threshold 0.5, one class).
ir::Model Detector() {
  ir::Model m;
  ir::Builder b(&m);
  int32_t a = b.Input("a", DType::kFloat32, {1, 2, 4});
  int32_t h = b.Input("b", DType::kFloat32, {1, 3, 4});
  int32_t s = b.Input("s", DType::kFloat32, {1, 5, 1});
  ir::ConcatenationOptions co;
  co.axis = 1;
  int32_t boxes = b.Op(OpKind::kConcatenation, {a, h}, "boxes", DType::kFloat32, {1, 5, 4}, co);
  std::vector<float> anchors;
  for (int i = 0; i < 5; ++i) anchors.insert(anchors.end(), {0.5f, 0.5f, 0.2f, 0.2f});
  int32_t anc = b.ConstantF32("anchors", {5, 4}, anchors);
  std::vector<int32_t> outs = {b.Tensor("det", DType::kFloat32, {1, 5, 4}),
                               b.Tensor("cls", DType::kFloat32, {1, 5}),
                               b.Tensor("score", DType::kFloat32, {1, 5}),
                               b.Tensor("num", DType::kFloat32, {1})};
  ir::Operator& op = b.AddOp(OpKind::kCustom, {boxes, s, anc}, outs);
  op.custom_code = "TFLite_Detection_PostProcess";
  DetectionPostProcessParams p;
  p.max_detections = 5;
  p.nms_score_threshold = 0.5f;
  p.nms_iou_threshold = 0.5f;
  p.num_classes = 1;
  p.y_scale = p.x_scale = 10;
  p.h_scale = p.w_scale = 5;
  op.custom_options = ir::WriteDetectionOptions(p);
  for (int32_t o : outs) b.Output(o);
  return m;
}

std::vector<uint8_t> Bytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

TEST(BoxRowsTest, EachBoxTensorKnowsItsAnchors) {
  const ir::Model m = Detector();
  const auto rows = FindBoxRows(m.subgraphs[0]);
  ASSERT_TRUE(rows.has_value());
  EXPECT_EQ(rows->anchors, 5);
  EXPECT_EQ(rows->threshold, 0.5f);
  ASSERT_EQ(rows->tensors.size(), 3u);  // a, b, boxes
  EXPECT_EQ(rows->tensors.at(0).offset, 0);
  EXPECT_EQ(rows->tensors.at(0).count, 2);
  EXPECT_EQ(rows->tensors.at(1).offset, 2);
  EXPECT_EQ(rows->tensors.at(1).count, 3);
  const std::vector<float> scores = {0.9f, 0.1f, 0.6f, 0.2f, 0.5f};
  const std::vector<bool> pass = PassingAnchors(*rows, scores.data());
  EXPECT_EQ(pass, (std::vector<bool>{true, false, true, false, true}));
  std::vector<float> b(12);
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<float>(i);
  // b holds anchors 2, 3, 4: rows 0 and 2 pass.
  EXPECT_EQ(ValuesAtAnchors(*rows, 1, b.data(), 12, pass),
            (std::vector<float>{0, 1, 2, 3, 8, 9, 10, 11}));
}

TEST(BoxRowsTest, CalibrationIgnoresBoxesNoScoreLetsThrough) {
  const ir::Model m = Detector();
  // Anchor 1 never passes and holds +-1000; the passing ones stay in [-3, 4].
  SampleLoader load = [](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    const float k = static_cast<float>(i + 1);
    return std::vector<std::vector<uint8_t>>{
        Bytes({-3, 1, 2, 4, 1000 * k, -1000 * k, 5, 5}), Bytes(std::vector<float>(12, 0.5f * k)),
        Bytes({0.9f, 0.2f, 0.7f, 0.8f, 0.6f})};
  };
  CalibrationOptions options;
  options.threads = 1;
  auto obs = Calibrate(m, 2, load, options);
  ASSERT_TRUE(obs.ok()) << obs.status().ToString();
  EXPECT_EQ(obs->at(0).min(), -3.0f);
  EXPECT_EQ(obs->at(0).max(), 4.0f);
  EXPECT_EQ(obs->at(3).max(), 4.0f);  // the concatenation, tensor 3
  options.box_rows_only = false;
  auto all = Calibrate(m, 2, load, options);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->at(0).max(), 2000.0f);
}

}  // namespace
}  // namespace detlite::quant
