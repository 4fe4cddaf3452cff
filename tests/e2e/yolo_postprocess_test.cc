// `convert --add-postprocess` on YOLO11n: the appended decoder (TRANSPOSE,
// SLICE, the log-size rewrite) and TFLite_Detection_PostProcess must make
// the real TFLite runtime return the boxes detlite's own YOLO decoder finds
// on the raw model (same input bytes, score 0.25, class-aware NMS at IoU 0.7).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "detlite/detection.h"
#include "detlite/postprocess.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

std::vector<float> Floats(const testing::OracleTensor& t) {
  std::vector<float> v(t.bytes.size() / 4);
  std::memcpy(v.data(), t.bytes.data(), v.size() * 4);
  return v;
}

void ExpectSameBoxes(const std::string& model_file) {
  SCOPED_TRACE(model_file);
  std::string why;
  ASSERT_TRUE(testing::OracleAvailable(&why)) << why;
  auto raw = Model::Load(testing::DataPath(model_file));
  ASSERT_TRUE(raw.ok()) << raw.status().ToString();
  auto converted = Model::Load(testing::DataPath(model_file));
  ASSERT_TRUE(converted.ok());
  auto pp = AddPostprocess(*converted, PostprocessOptions{});
  ASSERT_TRUE(pp.ok()) << pp.status().ToString();
  EXPECT_EQ(pp->num_classes, 80);
  const std::string path = testing::TempDir() + "/yolo_pp.tflite";
  ASSERT_TRUE(converted->Save(path).ok());

  auto image = ReadImage(testing::DataPath("images/cats_and_dogs.jpg"));
  ASSERT_TRUE(image.ok());
  DetectorOptions o;
  o.preprocess.preset = PreprocessPreset::kUnit;
  o.letterbox = false;  // the converted model sees the same stretched input
  o.score_threshold = 0.25f;
  o.multi_label = true;  // TFLite's regular NMS keeps every class above the threshold
  auto detector = Detector::Create(*raw, o);
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  auto want = detector->Detect(*image);
  ASSERT_TRUE(want.ok());
  ASSERT_GE(want->size(), 3u);

  auto input = ImageToInput(*image, detector->input(), o.preprocess);
  ASSERT_TRUE(input.ok());
  auto got = testing::RunInRealTflite(path, {input->bytes});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->outputs.size(), 4u);
  const std::vector<float> boxes = Floats(got->outputs[0]), classes = Floats(got->outputs[1]),
                           scores = Floats(got->outputs[2]), count = Floats(got->outputs[3]);
  ASSERT_EQ(static_cast<size_t>(count[0]), want->size());
  for (size_t i = 0; i < want->size(); ++i) {
    SCOPED_TRACE(i);
    const Detection& d = (*want)[i];
    std::printf("[yolo postprocess] class %d score %.4f (TFLite %.4f) ymin %.4f (TFLite %.4f)\n",
                d.class_index, d.score, scores[i], d.ymin, boxes[4 * i]);
    EXPECT_EQ(static_cast<int>(classes[i]), d.class_index);
    EXPECT_NEAR(scores[i], d.score, 1e-6);
    const float tflite_box[4] = {boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2],
                                 boxes[4 * i + 3]};
    const float ours[4] = {d.ymin, d.xmin, d.ymax, d.xmax};
    for (int k = 0; k < 4; ++k) EXPECT_NEAR(std::clamp(tflite_box[k], 0.0f, 1.0f), ours[k], 1e-4);
  }
}

TEST(YoloPostprocessTest, RealRuntimeReturnsTheDecodersBoxesInt8) {
  ExpectSameBoxes("tflite/yolo11n_full_integer_quant.tflite");
}

TEST(YoloPostprocessTest, RealRuntimeReturnsTheDecodersBoxesFloatIo) {
  ExpectSameBoxes("tflite/yolo11n_integer_quant.tflite");
}

}  // namespace
}  // namespace detlite
