// TFLite_Detection_PostProcess kernel on the published TFLite test vectors
// (six anchors, two classes plus background), reference and optimized
// kernels (which must agree bit for bit), and the custom-options codec.
#include "kernels/reference/detection_postprocess.h"

#include <flatbuffers/flexbuffers.h>
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "ir/detection_options.h"
#include "kernels/optimized/detection_postprocess.h"

namespace detlite {
namespace {

const std::vector<float> kEncodings = {0, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0,
                                       0, 0, 0, 0, 0, 1, 0, 0, 0, 0,  0, 0};
const std::vector<float> kScores = {0., .9f, .8f, 0., .75f, .72f, 0., .6f, .5f,
                                    0., .93f, .95f, 0., .5f, .4f, 0., .3f, .2f};
const std::vector<float> kAnchors = {0.5f, 0.5f, 1, 1, 0.5f, 0.5f,  1, 1, 0.5f, 0.5f,   1, 1,
                                     0.5f, 10.5f, 1, 1, 0.5f, 10.5f, 1, 1, 0.5f, 100.5f, 1, 1};

kernels::DetectionPostProcessParams TestParams() {
  kernels::DetectionPostProcessParams p;
  p.max_detections = 3;
  p.max_classes_per_detection = 1;
  p.detections_per_class = 1;
  p.nms_score_threshold = 0.0f;
  p.nms_iou_threshold = 0.5f;
  p.num_classes = 2;
  p.y_scale = 10;
  p.x_scale = 10;
  p.h_scale = 5;
  p.w_scale = 5;
  return p;
}

struct Result {
  std::vector<float> boxes, classes, scores;
  float count = -1;
};

Result RunKernel(const kernels::DetectionPostProcessParams& p) {
  std::vector<kernels::BoxCorners> boxes;
  kernels::DecodeCenterSizeBoxes(kEncodings.data(), kAnchors.data(), 6, p, &boxes);
  const size_t k = static_cast<size_t>(p.max_detections * p.max_classes_per_detection);
  Result r;
  r.boxes.assign(4 * k, -7);
  r.classes.assign(k, -7);
  r.scores.assign(k, -7);
  kernels::DetectionPostProcess(boxes, kScores.data(), 3, p, r.boxes.data(), r.classes.data(),
                                r.scores.data(), &r.count);
  kernels::optimized::DetectionRows enc, scores, anchors;
  enc.f = kEncodings.data();
  enc.stride = 4;
  scores.f = kScores.data();
  scores.stride = 3;
  anchors.f = kAnchors.data();
  anchors.stride = 4;
  Result o;
  o.boxes.assign(4 * k, -7);
  o.classes.assign(k, -7);
  o.scores.assign(k, -7);
  kernels::optimized::DetectionPostProcessor pp;
  pp.Run(enc, scores, anchors, 6, 3, p, o.boxes.data(), o.classes.data(), o.scores.data(),
         &o.count);
  EXPECT_EQ(o.count, r.count);
  EXPECT_EQ(std::memcmp(o.boxes.data(), r.boxes.data(), 4 * 4 * k), 0) << "optimized boxes";
  EXPECT_EQ(std::memcmp(o.classes.data(), r.classes.data(), 4 * k), 0) << "optimized classes";
  EXPECT_EQ(std::memcmp(o.scores.data(), r.scores.data(), 4 * k), 0) << "optimized scores";
  return r;
}

void ExpectNear(const std::vector<float>& got, const std::vector<float>& want, float tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "at " << i;
}

TEST(DetectionPostProcessTest, FastNms) {
  const Result r = RunKernel(TestParams());
  ExpectNear(r.boxes, {0, 10, 1, 11, 0, 0, 1, 1, 0, 100, 1, 101}, 1e-4f);
  ExpectNear(r.classes, {1, 0, 0}, 0);
  ExpectNear(r.scores, {0.95f, 0.9f, 0.3f}, 1e-6f);
  EXPECT_EQ(r.count, 3);
}

TEST(DetectionPostProcessTest, FastNmsTwoClassesPerDetection) {
  auto p = TestParams();
  p.max_classes_per_detection = 2;
  const Result r = RunKernel(p);
  ExpectNear(r.boxes, {0, 10, 1, 11, 0, 10, 1, 11, 0, 0, 1, 1, 0, 0, 1, 1,
                       0, 100, 1, 101, 0, 100, 1, 101},
             1e-4f);
  ExpectNear(r.classes, {1, 0, 0, 1, 0, 1}, 0);
  ExpectNear(r.scores, {0.95f, .93f, 0.9f, 0.8f, 0.3f, 0.2f}, 1e-6f);
  EXPECT_EQ(r.count, 3);
}

TEST(DetectionPostProcessTest, RegularNms) {
  auto p = TestParams();
  p.use_regular_nms = true;
  const Result r = RunKernel(p);
  ExpectNear(r.boxes, {0, 10, 1, 11, 0, 10, 1, 11, 0, 0, 0, 0}, 1e-4f);
  ExpectNear(r.classes, {1, 0, 0}, 0);
  ExpectNear(r.scores, {0.95f, 0.93f, 0}, 1e-6f);
  EXPECT_EQ(r.count, 2);
}

TEST(DetectionPostProcessTest, DequantizeIsScaleTimesOffset) {
  EXPECT_FLOAT_EQ(kernels::DequantizeDetectionInput(200, 128, 0.5f), 36.0f);
}

TEST(DetectionOptionsTest, WriteThenParseRoundTrips) {
  auto p = TestParams();
  p.use_regular_nms = true;
  auto parsed = ir::ParseDetectionOptions(ir::WriteDetectionOptions(p));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->max_detections, 3);
  EXPECT_EQ(parsed->max_classes_per_detection, 1);
  EXPECT_EQ(parsed->detections_per_class, 1);
  EXPECT_TRUE(parsed->use_regular_nms);
  EXPECT_EQ(parsed->num_classes, 2);
  EXPECT_FLOAT_EQ(parsed->nms_iou_threshold, 0.5f);
  EXPECT_FLOAT_EQ(parsed->w_scale, 5.0f);
}

TEST(DetectionOptionsTest, RejectsGarbageAndEmpty) {
  EXPECT_FALSE(ir::ParseDetectionOptions({}).ok());
  EXPECT_FALSE(ir::ParseDetectionOptions({1, 2, 3, 4, 5, 200, 7}).ok());
  std::vector<uint8_t> good = ir::WriteDetectionOptions(TestParams());
  for (size_t cut = 1; cut < good.size(); ++cut) {
    std::vector<uint8_t> truncated(good.begin(), good.begin() + static_cast<long>(cut));
    (void)ir::ParseDetectionOptions(truncated);  // must not crash
  }
}

TEST(DetectionOptionsTest, MissingOrMistypedKeysAreNamed) {
  flexbuffers::Builder missing;
  missing.Map([&]() { missing.Int("max_detections", 10); });
  missing.Finish();
  auto a = ir::ParseDetectionOptions(missing.GetBuffer());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("max_classes_per_detection"), std::string::npos)
      << a.status().ToString();

  flexbuffers::Builder mistyped;
  mistyped.Map([&]() {
    mistyped.String("max_detections", "ten");
    mistyped.Int("max_classes_per_detection", 1);
  });
  mistyped.Finish();
  auto b = ir::ParseDetectionOptions(mistyped.GetBuffer());
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("max_detections"), std::string::npos)
      << b.status().ToString();

  // Optional keys may be absent, with TFLite's defaults.
  auto p = TestParams();
  flexbuffers::Builder minimal;
  minimal.Map([&]() {
    minimal.Int("max_detections", 3);
    minimal.Int("max_classes_per_detection", 1);
    minimal.Float("nms_score_threshold", 0.0f);
    minimal.Float("nms_iou_threshold", 0.5f);
    minimal.Int("num_classes", 2);
    minimal.Float("y_scale", 10);
    minimal.Float("x_scale", 10);
    minimal.Float("h_scale", 5);
    minimal.Float("w_scale", 5);
  });
  minimal.Finish();
  auto c = ir::ParseDetectionOptions(minimal.GetBuffer());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->detections_per_class, 100);
  EXPECT_FALSE(c->use_regular_nms);
  (void)p;
}

}  // namespace
}  // namespace detlite
