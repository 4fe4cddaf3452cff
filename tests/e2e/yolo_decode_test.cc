// The YOLO decoder's rules on small hand-made outputs, for what the two real
// YOLO11n files do not exercise: the YOLOv5 layout (objectness x class),
// pixel boxes (decided from the model's grid constants), class-aware NMS and
// the refusal of shapes that fit no layout.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "api/detection_yolo.h"
#include "api/tensor_info.h"
#include "ir/builder.h"

namespace detlite {
namespace {

using api::YoloSpec;

// A model whose one output has `out_shape`, with a constant of N entries
// whose largest value is `grid_max` (the anchor grid of a YOLO head).
Model HeadModel(Shape out_shape, int n, float grid_max) {
  auto m = std::make_shared<ir::Model>();
  ir::Builder b(m.get());
  const int32_t x = b.Input("images", DType::kFloat32, {1, 64, 64, 3});
  std::vector<float> grid(static_cast<size_t>(2 * n), 0.5f);
  grid.back() = grid_max;
  const int32_t g = b.ConstantF32("grid", {1, 2, n}, grid);
  b.Output(b.Op(ir::OpKind::kAdd, {x, g}, "raw", DType::kFloat32, std::move(out_shape),
                ir::ArithmeticOptions{}));
  return Model(m);
}

StatusOr<YoloSpec> Recognize(const Model& model) {
  const ir::Subgraph& sg = model.ir().subgraphs[0];
  return api::RecognizeYolo(model, api::MakeTensorInfo(sg, sg.outputs[0]),
                            api::MakeTensorInfo(sg, sg.inputs[0]), "head");
}

TEST(YoloDecodeTest, TellsLayoutsAndUnitsFromTheModel) {
  auto v8 = Recognize(HeadModel({1, 7, 20}, 20, 0.97f));
  ASSERT_TRUE(v8.ok()) << v8.status().ToString();
  EXPECT_EQ(v8->layout, YoloSpec::Layout::kV8);
  EXPECT_EQ(v8->num_classes, 3);
  EXPECT_FALSE(v8->pixel_boxes);
  auto v5 = Recognize(HeadModel({1, 20, 8}, 20, 19.5f));
  ASSERT_TRUE(v5.ok()) << v5.status().ToString();
  EXPECT_EQ(v5->layout, YoloSpec::Layout::kV5);
  EXPECT_EQ(v5->num_classes, 3);
  EXPECT_TRUE(v5->pixel_boxes);
  auto neither = Recognize(HeadModel({1, 4, 20}, 20, 1.0f));
  ASSERT_FALSE(neither.ok());
  EXPECT_NE(neither.status().message().find("[1,4,20]"), std::string::npos);
}

TEST(YoloDecodeTest, V5ScoresAreClassTimesObjectnessInPixels) {
  YoloSpec s;
  s.layout = YoloSpec::Layout::kV5;
  s.num_classes = 2;
  s.num_boxes = 2;
  s.pixel_boxes = true;
  s.input_w = s.input_h = 100;
  // Rows: cx, cy, w, h, objectness, class 0, class 1.
  const std::vector<float> out = {50, 40, 20, 10, 0.5f, 0.9f, 0.1f,
                                  10, 10, 4,  4,  0.1f, 0.2f, 0.5f};
  api::YoloNms nms;
  nms.score_threshold = 0.1f;
  const auto dets = api::DecodeYolo(s, out, nms);
  ASSERT_EQ(dets.size(), 1u);  // box 1's best is 0.5 x 0.1 = 0.05
  EXPECT_EQ(dets[0].class_index, 0);
  EXPECT_FLOAT_EQ(dets[0].score, 0.45f);
  EXPECT_FLOAT_EQ(dets[0].xmin, 0.40f);
  EXPECT_FLOAT_EQ(dets[0].xmax, 0.60f);
  EXPECT_FLOAT_EQ(dets[0].ymin, 0.35f);
  EXPECT_FLOAT_EQ(dets[0].ymax, 0.45f);
}

TEST(YoloDecodeTest, NmsIsClassAware) {
  YoloSpec s;  // v8: rows are features, columns boxes
  s.num_classes = 2;
  s.num_boxes = 3;
  // Boxes 0 and 1 overlap almost entirely; box 2 is the same place, class 1.
  const std::vector<float> out = {0.5f, 0.51f, 0.5f,   // cx
                                  0.5f, 0.5f,  0.5f,   // cy
                                  0.2f, 0.2f,  0.2f,   // w
                                  0.2f, 0.2f,  0.2f,   // h
                                  0.9f, 0.8f,  0.0f,   // class 0
                                  0.0f, 0.0f,  0.7f};  // class 1
  const auto dets = api::DecodeYolo(s, out, api::YoloNms{});
  ASSERT_EQ(dets.size(), 2u);
  EXPECT_EQ(dets[0].class_index, 0);
  EXPECT_FLOAT_EQ(dets[0].score, 0.9f);
  EXPECT_EQ(dets[1].class_index, 1);
  api::YoloNms loose;
  loose.iou_threshold = 0.95f;  // boxes 0 and 1 (IoU ~0.9) both survive
  EXPECT_EQ(api::DecodeYolo(s, out, loose).size(), 3u);
}

}  // namespace
}  // namespace detlite
