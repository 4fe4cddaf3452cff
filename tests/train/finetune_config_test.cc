// `train --loss ssd --pipeline-config`: the SSDLite's own pipeline.config
// describes exactly detlite's default SSD loss (argmax matcher at 0.5,
// sigmoid cross-entropy, 3:1 hard mining, at least 3 negatives, NMS at
// 0.99), so a step with it gives the same losses bit for bit as a step
// without; a TF2 focal config changes the class loss; a loss detlite cannot
// compute is refused naming it.
#include <gtest/gtest.h>

#include <string>

#include "core/file_io.h"
#include "detlite/train.h"
#include "support/paths.h"
#include "train/ssdlite_fixture.h"

namespace detlite {
namespace {

StatusOr<TrainReport> OneStep(const std::string& config) {
  Model m = *testing::SsdliteFixture();
  TrainOptions o;
  o.data = testing::DataPath(testing::kCocoTrain);
  o.steps = 1;
  o.batch = 2;
  o.learning_rate = 1e-5f;
  o.pipeline_config = config;
  return FineTuneSsd(m, o);
}

TEST(FineTuneSsdConfig, TheSsdliteConfigIsTheDefaultLossAndFocalDiffers) {
  if (testing::SsdliteFixture() == nullptr) GTEST_SKIP() << "SSDLite model.json or COCO train missing";
  auto plain = OneStep("");
  auto same = OneStep(testing::DataPath("tf/od_api_configs/ssdlite_mobilenet_v2_coco.config"));
  auto focal = OneStep(testing::DataPath("tf/od_api_configs/ssd_mobilenet_v2_320x320_coco17_tpu-8.config"));
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  ASSERT_TRUE(focal.ok()) << focal.status().ToString();
  ASSERT_EQ(plain->steps.size(), 1u);
  EXPECT_EQ(same->steps[0].box_loss, plain->steps[0].box_loss);
  EXPECT_EQ(same->steps[0].class_loss, plain->steps[0].class_loss);
  EXPECT_GT(plain->steps[0].class_loss, 0.0);
  EXPECT_NE(focal->steps[0].class_loss, plain->steps[0].class_loss);
}

TEST(FineTuneSsdConfig, ALossDetliteCannotComputeIsRefusedNamingIt) {
  if (testing::SsdliteFixture() == nullptr) GTEST_SKIP() << "SSDLite model.json or COCO train missing";
  const std::string path = testing::TempDir() + "/bootstrapped.config";
  ASSERT_TRUE(WriteFileAtomic(path, "model { ssd { num_classes: 90 loss { classification_loss { "
                                    "bootstrapped_sigmoid { } } } } }").ok());
  auto r = OneStep(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bootstrapped_sigmoid"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace detlite
