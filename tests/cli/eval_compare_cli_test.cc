// eval --compare-to: a model against a reference on the same real COCO
// photos, and the labels of every format as eval and detect read them.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 600);
}

const std::string kV1 = "tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite";
const std::string kCoral = "tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite";

TEST(EvalCompareCliTest, AgainstItselfNothingIsLost) {
  auto r = Cli({"eval", DataPath(kV1), "--dataset", DataPath("datasets/coco_val2017_158"),
                "--labels", DataPath("tflite/coco_ssd_mobilenet_v1_labelmap.txt"), "--max-images",
                "8", "--compare-to", DataPath(kV1), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["reference"]["coco"]["AP"], j["coco"]["AP"]);
  EXPECT_TRUE(j["reference"]["worst_images"].empty());
}

TEST(EvalCompareCliTest, WorstPhotosAreRankedAndDrawnInTheReport) {
  const std::string report = TempDir() + "/compare_report.html";
  // The Coral labels are 'ID NAME' lines: class ids as given.
  auto r = Cli({"eval", DataPath(kV1), "--dataset", DataPath("datasets/coco_val2017_158"),
                "--labels", DataPath("tflite/coco_ssd_mobilenet_v1_labelmap.txt"), "--max-images",
                "12", "--compare-to", DataPath(kCoral), "--worst", "3", "--report", report,
                "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& worst = j["reference"]["worst_images"];
  ASSERT_FALSE(worst.empty());
  ASSERT_LE(worst.size(), 3u);
  double last_drop = 1e9;
  for (const auto& w : worst) {
    const double drop = w["reference_ap"].get<double>() - w["ap"].get<double>();
    EXPECT_GT(drop, 0) << w.dump();
    EXPECT_LE(drop, last_drop) << "not ranked by AP lost";
    last_drop = drop;
  }
  std::ifstream f(report);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string html = ss.str();
  EXPECT_NE(html.find("Photos losing most AP"), std::string::npos);
  EXPECT_NE(html.find(worst[0]["image"].get<std::string>()), std::string::npos);
}

TEST(EvalCompareCliTest, CoralIdNameLabelsMatchCocoCategories) {
  auto r = Cli({"eval", DataPath(kCoral), "--dataset", DataPath("datasets/coco_val2017_158"),
                "--labels", DataPath("tflite/mobilenet_ssd_v2_coco_labels.txt"), "--max-images",
                "4", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NE(j["notes"][0].get<std::string>().find("80 of the dataset's 80"), std::string::npos)
      << j["notes"].dump();
}

TEST(EvalCompareCliTest, ABrokenLabelFileNamesTheLine) {
  const std::string labels = TempDir() + "/broken_labels.txt";
  std::ofstream(labels) << "0 person\n1 bicycle\n1 car\n";
  auto r = Cli({"detect", DataPath(kCoral), DataPath("images/cats_and_dogs.jpg"), "--labels",
                labels});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("broken_labels.txt: line 3: id 1 is used twice"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace detlite
