// `detlite convert ... --add-postprocess` as a user runs it: with a zoo
// config that disagrees with the model (one warning, the model wins), with
// flags only, failing with one clear line, and --help that teaches.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

constexpr char kOidv4[] = "tflite/ssd_mobilenetv2_oidv4_fp16.tflite";

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 300);
}

int CountLines(const std::string& text, const std::string& prefix) {
  int n = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (text.compare(pos, prefix.size(), prefix) == 0) ++n;
    pos = end + 1;
  }
  return n;
}

TEST(ConvertPostprocessCli, ZooConfigWarnsOnceAndWritesFourOutputs) {
  const std::string out = TempDir() + "/oidv4_pp.tflite";
  auto r = Cli({"convert", DataPath(kOidv4), "-o", out, "--add-postprocess", "--config",
                DataPath("tf/od_api_configs/ssd_mobilenet_v2_quantized_300x300_coco.config"),
                "--max-detections", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.err, "warning: "), 1) << r.err;
  EXPECT_NE(r.err.find("warning: config says 90 classes, model has 23 (+background); using "
                       "the model"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("1917 anchors"), std::string::npos) << r.err;
  auto inspect = Cli({"inspect", out, "--json"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  const auto j = nlohmann::json::parse(inspect.out);
  ASSERT_EQ(j["outputs"].size(), 4u);
  EXPECT_EQ(j["outputs"][0]["name"], "TFLite_Detection_PostProcess");
  EXPECT_EQ(j["outputs"][0]["shape"], std::vector<int>({1, 20, 4}));
  EXPECT_EQ(j["outputs"][3]["name"], "TFLite_Detection_PostProcess:3");
  EXPECT_EQ(j["op_histogram"]["TFLite_Detection_PostProcess"], 1);
  EXPECT_EQ(j["op_histogram"]["LOGISTIC"], 1);
}

TEST(ConvertPostprocessCli, BlazeFaceFromFlags) {
  const std::string out = TempDir() + "/face_pp.tflite";
  auto r = Cli({"convert", DataPath("tflite/face_detection_short_range.tflite"), "-o", out,
                "--add-postprocess", "--anchors", "blazeface-short"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CountLines(r.err, "warning: "), 0) << r.err;
  EXPECT_NE(r.err.find("896 anchors"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out));
}

TEST(ConvertPostprocessCli, ImpossibleAnchorsFailWithOneLineAndNoFile) {
  const std::string out = TempDir() + "/never.tflite";
  auto r = Cli({"convert", DataPath(kOidv4), "-o", out, "--add-postprocess", "--anchors", "ssd",
                "--num-layers", "4"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(CountLines(r.err, ""), 1) << r.err;
  EXPECT_NE(r.err.find("1917"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  r = Cli({"convert", DataPath(kOidv4), "-o", out, "--add-postprocess", "--anchors", "nope"});
  EXPECT_NE(r.exit_code, 0);
  r = Cli({"convert", DataPath(kOidv4), "-o", out, "--add-postprocess", "--config",
           DataPath("no/such/pipeline.config")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("pipeline.config"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(ConvertPostprocessCli, HelpTeachesWithAnExample) {
  auto r = Cli({"convert", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("--add-postprocess --config pipeline.config"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--anchors blazeface-short"), std::string::npos);
  EXPECT_NE(r.out.find("--score-converter"), std::string::npos);
}

}  // namespace
}  // namespace detlite
