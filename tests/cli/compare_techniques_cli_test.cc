// `detlite compare --techniques`: BlazeFace short range with post-processing
// attached, quantized step by step (plain, + equalization, + bias
// correction), each step compared with the float model and scored on real
// WIDER FACE photos; and the refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 600);
}

// BlazeFace short range with TFLite_Detection_PostProcess, so it can be scored.
std::string FaceWithPostprocess() {
  const std::string out = TempDir() + "/face_pp.tflite";
  auto r = Cli({"convert", DataPath("tflite/face_detection_short_range.tflite"), "-o", out,
                "--add-postprocess", "--anchors", "blazeface-short", "--score-threshold", "0.01"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

TEST(CompareTechniquesCliTest, EachStepIsComparedAndScored) {
  const std::string face = FaceWithPostprocess();
  const std::string html = TempDir() + "/techniques.html";
  auto r = Cli({"compare", face, "--techniques", "--calibration-data",
                DataPath("datasets/coco_train2017_288/images"), "--calibration-size", "8",
                "--data", DataPath("datasets/widerface_val200_416/images"), "--max-samples", "2",
                "--eval-data", DataPath("datasets/widerface_val200_416"), "--eval-size", "12",
                "--preset", "signed", "--json", "--report", html});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // The heads are the post-processing's box encodings and scores, not its outputs.
  ASSERT_EQ(j["heads"].size(), 2u);
  ASSERT_TRUE(j.contains("float"));
  const double float_ap = j["float"]["ap"].get<double>();
  EXPECT_GT(float_ap, 0.0);
  ASSERT_EQ(j["steps"].size(), 3u);
  EXPECT_EQ(j["steps"][0]["flags"],
            "--quantize int8 --equalize none --bias-correction none");
  EXPECT_EQ(j["steps"][2]["flags"],
            "--quantize int8 --equalize skip-relu6 --bias-correction empirical");
  for (const auto& s : j["steps"]) {
    EXPECT_GE(s["ap"].get<double>(), 0.0) << s["label"];
    EXPECT_LE(s["ap"].get<double>(), 1.0) << s["label"];
    EXPECT_GT(s["head_sqnr_db"].get<double>(), 10.0) << s["label"];
    EXPECT_GT(s["compare"]["tensors"].size(), 30u);
  }
  // Equalization rescales weights, so some tensor's error must change.
  int changed = 0;
  const auto& plain = j["steps"][0]["compare"]["tensors"];
  const auto& equalized = j["steps"][1]["compare"]["tensors"];
  for (size_t i = 0; i < plain.size() && i < equalized.size(); ++i) {
    if (plain[i]["name"] != equalized[i]["name"] || !plain[i]["sqnr_db"].is_number() ||
        !equalized[i]["sqnr_db"].is_number()) {
      continue;
    }
    changed += std::fabs(plain[i]["sqnr_db"].get<double>() -
                         equalized[i]["sqnr_db"].get<double>()) > 0.1;
  }
  EXPECT_GT(changed, 5);
  std::ifstream in(html);
  std::stringstream page;
  page << in.rdbuf();
  EXPECT_NE(page.str().find("What each step bought"), std::string::npos);
  EXPECT_NE(page.str().find("+ bias correction"), std::string::npos);
}

TEST(CompareTechniquesCliTest, RefusesWhatItCannotDo) {
  const std::string face = DataPath("tflite/face_detection_short_range.tflite");
  const std::string photos = DataPath("datasets/widerface_val200_416/images");
  auto r = Cli({"compare", face, "--techniques", "--data", photos});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--calibration-data"), std::string::npos) << r.err;
  r = Cli({"compare", face, face, "--techniques", "--calibration-data", photos, "--data", photos});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("give only the float model"), std::string::npos) << r.err;
  r = Cli({"compare", face, "--techniques", "--quantize", "float16", "--calibration-data", photos,
           "--data", photos});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("int8 or int16x8"), std::string::npos) << r.err;
  r = Cli({"compare", face, "--data", photos});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("give the quantized model"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace detlite
