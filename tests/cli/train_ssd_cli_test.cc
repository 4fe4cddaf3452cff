// `detlite train --loss ssd` as a user runs it: the SSDLite converted with
// `detlite convert`, fine-tuned for 2 steps on real labelled COCO photos;
// progress lines with the matched anchors, a JSON summary with the loss per
// step, a float file that runs; a model without TFLite_Detection_PostProcess,
// a folder without labels, --qat with --loss ssd and an unknown
// augmentation each give one error line and no file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_run.h"
#include "detlite/model.h"
#include "support/paths.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) { return testing::RunCli(std::move(args), 600); }

const char kTrain[] = "datasets/coco_train2017_288";

// The float SSDLite, converted once; "" when the data is missing.
std::string Ssdlite() {
  static const std::string path = [] {
    const std::string src = DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json");
    if (!fs::exists(src) || !fs::exists(DataPath(kTrain))) return std::string();
    const std::string out = TempDir() + "/ssdlite.tflite";
    return Cli({"convert", src, "-o", out}).exit_code == 0 ? out : std::string();
  }();
  return path;
}

TEST(TrainSsdCli, FineTunesInFloat) {
  const std::string model = Ssdlite();
  if (model.empty()) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  const std::string out = TempDir() + "/ssdlite_ft.tflite";
  auto r = Cli({"train", model, "--loss", "ssd", "--data", DataPath(kTrain), "--steps", "2", "--batch",
                "2", "--lr", "1e-5", "-o", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("step 2/2  loss "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("matched anchors"), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["loss"], "ssd");
  EXPECT_EQ(j["steps"], 2);
  EXPECT_EQ(j["training_images"], 288);
  EXPECT_EQ(j["training_boxes"], 2359);  // 2,383 minus 24 crowd regions
  ASSERT_EQ(j["loss_per_step"].size(), 2u);
  EXPECT_GT(j["loss_per_step"][0]["class"].get<double>(), 0);
  auto tuned = Model::Load(out);
  ASSERT_TRUE(tuned.ok()) << tuned.status().ToString();
  EXPECT_EQ(tuned->Inspect().constants_by_dtype.count("int8"), 0u);  // float, not quantized
  auto runner = Runner::Create(*tuned);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  ASSERT_TRUE(runner->SetInput(0, std::vector<uint8_t>(300 * 300 * 3 * sizeof(float), 0)).ok());
  EXPECT_TRUE(runner->Run().ok());
}

TEST(TrainSsdCli, BadInputGivesOneLineAndNoFile) {
  const std::string model = Ssdlite();
  if (model.empty()) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  const std::string out = TempDir() + "/never.tflite";
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{DataPath("tflite/face_detection_short_range.tflite"), "--loss", "ssd", "--data",
        DataPath(kTrain)},
       "TFLite_Detection_PostProcess"},
      {{model, "--loss", "ssd", "--data", DataPath(std::string(kTrain) + "/images")},
       "needs labelled data"},
      {{model, "--loss", "ssd", "--distill", "--qat", "--data", DataPath(kTrain)}, "contradict"},
      {{model, "--loss", "distill", "--data", DataPath(kTrain)}, "needs a teacher"},
      {{model, "--qat", "--loss", "ssd", "--data", DataPath(std::string(kTrain) + "/images")},
       "needs labelled data"},
      {{model, "--loss", "ssd", "--augment", "rotate", "--data", DataPath(kTrain)}, "'rotate'"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"train"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), {"-o", out, "--steps", "1"});
    auto r = Cli(args);
    EXPECT_NE(r.exit_code, 0) << c.expected;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
}

}  // namespace
}  // namespace detlite
