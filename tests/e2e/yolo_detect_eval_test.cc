// YOLO11n through the public detection API: its raw [1,84,8400] output is
// recognized, decoded (normalized boxes, decided from the model's anchor and
// stride constants) and NMS'd; detect finds the cats and dogs of a real
// photo and eval scores COCO val2017 photos with COCO's own category ids.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "detlite/detection.h"
#include "detlite/evaluate.h"
#include "support/paths.h"

namespace detlite {
namespace {

const char* const kInt8 = "tflite/yolo11n_full_integer_quant.tflite";
const char* const kFloatIo = "tflite/yolo11n_integer_quant.tflite";

void ExpectCatsAndDogs(const std::string& model_file) {
  SCOPED_TRACE(model_file);
  auto model = Model::Load(testing::DataPath(model_file));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  DetectorOptions o;
  o.score_threshold = 0.25f;
  auto detector = Detector::Create(*model, o);
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  EXPECT_EQ(detector->num_classes(), 80);
  EXPECT_NE(detector->description().find("normalized"), std::string::npos)
      << detector->description();
  auto image = ReadImage(testing::DataPath("images/cats_and_dogs.jpg"));
  ASSERT_TRUE(image.ok());
  std::string how;
  auto dets = detector->Detect(*image, &how);
  ASSERT_TRUE(dets.ok()) << dets.status().ToString();
  const auto names = detector->default_class_names();
  std::multiset<std::string> found;
  for (const Detection& d : *dets) {
    const std::string name = names.at(d.class_index);
    std::printf("[yolo detect] %s %.3f x %.0f y %.0f w %.0f h %.0f (%s)\n", name.c_str(),
                d.score, d.xmin * image->width, d.ymin * image->height,
                (d.xmax - d.xmin) * image->width, (d.ymax - d.ymin) * image->height,
                how.c_str());
    EXPECT_GE(d.score, 0.25f);
    EXPECT_LT(d.xmin, d.xmax);
    EXPECT_LT(d.ymin, d.ymax);
    found.insert(name);
  }
  // The photo's four animals (two cats, a poodle, a corgi), each found and
  // nothing else. This int8 export (calibrated by Ultralytics on coco8)
  // scores the dogs as cats too; the real TFLite runtime computes the same
  // output bytes (yolo_interpreter_test.cc), so that is the model's reading.
  EXPECT_GE(found.count("cat") + found.count("dog"), 4u) << dets->size() << " detections";
  EXPECT_EQ(found.count("cat") + found.count("dog"), found.size());
  // COCO's ids: cat 17, dog 18 (class indices 15, 16).
  EXPECT_EQ(detector->category_id(15), 17);
  EXPECT_EQ(detector->category_id(16), 18);
  EXPECT_EQ(detector->category_id(79), 90);
}

TEST(YoloDetectTest, FindsCatsAndDogsInt8) { ExpectCatsAndDogs(kInt8); }
TEST(YoloDetectTest, FindsCatsAndDogsFloatIo) { ExpectCatsAndDogs(kFloatIo); }

TEST(YoloDetectTest, RefusesAnOutputThatFitsNoLayout) {
  // half_plus_two: one output of shape [1] (as stored), not a YOLO head.
  auto model = Model::Load(testing::DataPath("tflite/half_plus_two.tflite"));
  ASSERT_TRUE(model.ok());
  auto detector = Detector::Create(*model);
  ASSERT_FALSE(detector.ok());
  EXPECT_NE(detector.status().message().find("fits neither"), std::string::npos)
      << detector.status().ToString();
}

TEST(YoloEvalTest, CocoVal2017ApIsSane) {
  auto model = Model::Load(testing::DataPath(kInt8));
  ASSERT_TRUE(model.ok());
  EvalOptions o;
  o.report_samples = 0;
  auto r = EvaluateModel(*model, testing::DataPath("datasets/coco_val2017_158"), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const auto& n : r->notes) std::printf("[yolo eval] note: %s\n", n.c_str());
  const auto& s = r->coco.stats;
  std::printf("[yolo eval] %s on coco_val2017_158: AP %.3f AP50 %.3f AP75 %.3f, %d detections, "
              "%.0f ms/image\n",
              kInt8, s[0], s[1], s[2], r->coco.detections, r->mean_invoke_ms);
  // Ultralytics publishes 39.5 AP for float YOLO11n on all of val2017 with
  // letterboxed input; int8 with a plain resize on 158 photos lands lower,
  // but a wrong box unit, layout or category map would be far below this.
  EXPECT_GT(s[0], 0.25);
  EXPECT_GT(s[1], 0.40);
}

}  // namespace
}  // namespace detlite
