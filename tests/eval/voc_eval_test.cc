#include "eval/voc_eval.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/paths.h"

namespace detlite::eval {
namespace {

constexpr double kTol = 1e-6;  // EXPECTED.md gives 10 decimals

class VocCase1Test : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = testing::DataPath("coco-eval/padilla_voc_case1/");
    auto gts = ReadVocBoxes(dir + "gts", VocFileKind::kGroundTruth);
    ASSERT_TRUE(gts.ok()) << gts.status().ToString();
    auto dets = ReadVocBoxes(dir + "dets", VocFileKind::kDetections);
    ASSERT_TRUE(dets.ok()) << dets.status().ToString();
    gts_ = *gts;
    dets_ = *dets;
  }
  double Ap(double iou, VocInterpolation interp) {
    return EvaluateVocClass(gts_, dets_, "object", iou, interp).ap;
  }
  std::vector<VocBox> gts_, dets_;
};

TEST_F(VocCase1Test, ReadsAllBoxes) {
  EXPECT_EQ(gts_.size(), 15u);
  EXPECT_EQ(dets_.size(), 24u);
}

TEST_F(VocCase1Test, ElevenPointMatchesReference) {
  EXPECT_NEAR(Ap(0.1, VocInterpolation::kElevenPoint), 0.3333333333, kTol);
  EXPECT_NEAR(Ap(0.3, VocInterpolation::kElevenPoint), 0.2683982683, kTol);
  EXPECT_NEAR(Ap(0.5, VocInterpolation::kElevenPoint), 0.0303030303, kTol);
  EXPECT_NEAR(Ap(0.75, VocInterpolation::kElevenPoint), 0.0, kTol);
}

TEST_F(VocCase1Test, EveryPointMatchesReference) {
  EXPECT_NEAR(Ap(0.1, VocInterpolation::kEveryPoint), 0.3371980676, kTol);
  EXPECT_NEAR(Ap(0.3, VocInterpolation::kEveryPoint), 0.2456866804, kTol);
  EXPECT_NEAR(Ap(0.5, VocInterpolation::kEveryPoint), 0.0222222222, kTol);
  EXPECT_NEAR(Ap(0.75, VocInterpolation::kEveryPoint), 0.0, kTol);
}

TEST(VocEvalTest, MalformedLineNamesFileAndLine) {
  const std::string dir = testing::TempDir() + "/voc_bad";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/img.txt") << "object 0.5 1 2 3 4\nobject 0.5 1 x 3 4\n";
  auto r = ReadVocBoxes(dir, VocFileKind::kDetections);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("img.txt: line 2"), std::string::npos)
      << r.status().message();
  // The same line is one field short for a detection, one too many for gt.
  std::ofstream(dir + "/img.txt") << "object 1 2 3 4 5\n";
  EXPECT_FALSE(ReadVocBoxes(dir, VocFileKind::kGroundTruth).ok());
  EXPECT_TRUE(ReadVocBoxes(dir, VocFileKind::kDetections).ok());
}

TEST(VocEvalTest, MissingDirectoryIsAnError) {
  EXPECT_FALSE(
      ReadVocBoxes("/nonexistent/voc", VocFileKind::kGroundTruth).ok());
}

}  // namespace
}  // namespace detlite::eval
