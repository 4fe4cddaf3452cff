// The real-TFLite oracle itself: known answers, real detectors fed through
// detlite's image pipeline, and clear errors. When node or the wasm runtime
// is missing these tests fail (they never skip): scripts/setup.sh installs
// both, and every judgement of a written .tflite depends on them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "data/image.h"
#include "data/preprocess.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite::testing {
namespace {

class OracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(OracleAvailable(&why)) << why;
  }
};

std::vector<uint8_t> FloatBytes(const std::vector<float>& v) {
  std::vector<uint8_t> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::vector<float> Floats(const OracleTensor& t) {
  std::vector<float> v(t.bytes.size() / 4);
  std::memcpy(v.data(), t.bytes.data(), v.size() * 4);
  return v;
}

std::vector<uint8_t> ImageInput(const std::string& image, const Shape& shape,
                                DType dtype, PreprocessPreset preset) {
  auto img = DecodeImageFile(DataPath(image));
  EXPECT_TRUE(img.ok()) << img.status().ToString();
  auto pre = PresetPreprocess(preset);
  auto bytes = ImageToTensorBytes(*img, shape, dtype, *pre, nullptr);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

TEST_F(OracleTest, HalfPlusTwoComputesXOverTwoPlusTwo) {
  for (float x : {0.0f, 1.0f, -3.0f, 2.5f, 1000.0f}) {
    auto r = RunInRealTflite(DataPath("tflite/half_plus_two.tflite"),
                             {FloatBytes({x})});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->outputs.size(), 1u);
    const OracleTensor& y = r->outputs[0];
    EXPECT_EQ(y.name, "y");
    EXPECT_EQ(y.dtype, "float32");
    EXPECT_EQ(y.shape, (std::vector<int>{1, 1}));
    EXPECT_EQ(Floats(y), (std::vector<float>{x / 2 + 2})) << "x = " << x;
  }
}

// BlazeFace (fp16 weights) on the photo MediaPipe publishes an expected
// detection for: score 0.928 (images/sergey_face_detection_expected.pbtxt).
TEST_F(OracleTest, ShortRangeFaceDetectorFindsTheFace) {
  const std::vector<uint8_t> input = ImageInput(
      "images/sergey.png", Shape{1, 128, 128, 3}, DType::kFloat32, PreprocessPreset::kSigned);
  auto r = RunInRealTflite(DataPath("tflite/face_detection_short_range.tflite"),
                           {input}, 3);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->outputs.size(), 2u);
  EXPECT_EQ(r->outputs[0].shape, (std::vector<int>{1, 896, 16}));
  EXPECT_EQ(r->outputs[1].shape, (std::vector<int>{1, 896, 1}));
  EXPECT_EQ(r->outputs[1].dtype, "float32");
  const std::vector<float> logits = Floats(r->outputs[1]);
  const float best = *std::max_element(logits.begin(), logits.end());
  EXPECT_NEAR(1 / (1 + std::exp(-best)), 0.928, 0.02);
  EXPECT_GT(r->median_ms, 0);
  EXPECT_LE(r->min_ms, r->median_ms);
}

// The quantized SSD with PIL-style resize and raw uint8 pixels reproduces the
// reference detections in docs/PITFALLS.md: this checks the oracle and
// detlite's decode + resize + preprocess against an outside result at once.
TEST_F(OracleTest, CocoSsdMatchesTheReferenceDetections) {
  const std::vector<uint8_t> input = ImageInput(
      "images/cats_and_dogs.jpg", Shape{1, 300, 300, 3}, DType::kUInt8, PreprocessPreset::kRaw);
  auto r = RunInRealTflite(
      DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"),
      {input});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->outputs.size(), 4u);
  EXPECT_EQ(r->outputs[0].shape, (std::vector<int>{1, 10, 4}));
  const std::vector<float> boxes = Floats(r->outputs[0]);
  const std::vector<float> classes = Floats(r->outputs[1]);
  const std::vector<float> scores = Floats(r->outputs[2]);
  struct Want {
    int cls;
    float x, y, w, h, score;
  };
  const Want want[] = {{16, 48, 398, 399, 196, 0.668f},
                       {16, 596, 158, 440, 447, 0.621f},
                       {16, 262, 396, 176, 206, 0.539f},
                       {17, 81, 231, 584, 375, 0.488f},
                       {17, 379, 208, 281, 400, 0.477f}};
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE("detection " + std::to_string(i));
    const float* b =
        &boxes[static_cast<size_t>(i) * 4];  // ymin, xmin, ymax, xmax
    EXPECT_EQ(static_cast<int>(classes[i]), want[i].cls);
    EXPECT_NEAR(scores[i], want[i].score, 0.006);
    EXPECT_NEAR(b[1] * 1200, want[i].x, 3);
    EXPECT_NEAR(b[0] * 600, want[i].y, 3);
    EXPECT_NEAR((b[3] - b[1]) * 1200, want[i].w, 3);
    EXPECT_NEAR((b[2] - b[0]) * 600, want[i].h, 3);
  }
}

TEST_F(OracleTest, CorruptModelsGiveTheRuntimesError) {
  auto whole = ReadFileBytes(DataPath("tflite/half_plus_two.tflite"));
  ASSERT_TRUE(whole.ok());
  const std::string truncated = TempDir() + "/truncated.tflite";
  ASSERT_TRUE(
      WriteFileAtomic(truncated, whole->data(), whole->size() / 2).ok());
  const std::string garbage = TempDir() + "/garbage.tflite";
  ASSERT_TRUE(
      WriteFileAtomic(garbage, std::string_view("this is not a flatbuffer"))
          .ok());
  for (const std::string& path : {truncated, garbage}) {
    auto r = RunInRealTflite(path, {FloatBytes({1})});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    const std::string& msg = r.status().message();
    EXPECT_NE(msg.find("CREATE_FAILED"), std::string::npos) << msg;
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "not one line: " << msg;
  }
}

TEST_F(OracleTest, InputsThatDoNotFitAreRefused) {
  const std::string model = DataPath("tflite/half_plus_two.tflite");
  auto wrong_size = RunInRealTflite(model, {FloatBytes({1, 2, 3})});
  ASSERT_FALSE(wrong_size.ok());
  EXPECT_NE(wrong_size.status().message().find("INPUT_SIZE: input 0"),
            std::string::npos)
      << wrong_size.status().message();
  EXPECT_NE(wrong_size.status().message().find("needs 4 bytes"),
            std::string::npos);
  auto wrong_count = RunInRealTflite(model, {});
  ASSERT_FALSE(wrong_count.ok());
  EXPECT_NE(wrong_count.status().message().find("INPUT_COUNT"),
            std::string::npos)
      << wrong_count.status().message();
  auto missing = RunInRealTflite(TempDir() + "/no_such.tflite", {});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(RunInRealTflite(model, {FloatBytes({1})}, 0).ok());
}

}  // namespace
}  // namespace detlite::testing
