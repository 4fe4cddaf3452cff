// `detlite convert --dequantize`: Coral's uint8 SSD (with its uint8
// post-processing inputs and anchors) back to a float32 graph that still
// detects, and a float model refused with one line and nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 300);
}

TEST(DequantizeCliTest, CoralSsdBecomesFloatAndStillDetects) {
  const std::string out = TempDir() + "/coral_float.tflite";
  auto r = Cli({"convert", DataPath("tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite"),
                "--dequantize", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("dequantize: "), std::string::npos) << r.err;
  r = Cli({"inspect", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["inputs"][0]["dtype"], "float32");
  EXPECT_FALSE(j["op_histogram"].contains("QUANTIZE"));
  EXPECT_FALSE(j["op_histogram"].contains("DEQUANTIZE"));
  EXPECT_TRUE(j["op_histogram"].contains("TFLite_Detection_PostProcess"));
  // The float graph takes the uint8 model's real input values: (q - 128) / 128,
  // the [-1, 1] that a float input gets by default.
  r = Cli({"detect", out, DataPath("images/cats_and_dogs.jpg"), "--score-threshold", "0.4",
           "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto d = nlohmann::json::parse(r.out);
  ASSERT_TRUE(d.contains("detections")) << r.out;
  EXPECT_GE(d["detections"].size(), 2u) << r.out;  // a cat and a dog
}

TEST(DequantizeCliTest, AFloatModelIsRefusedAndNothingWritten) {
  const std::string out = TempDir() + "/not_written.tflite";
  auto r = Cli({"convert", DataPath("tflite/face_detection_short_range.tflite"), "--dequantize",
                "-o", out});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("float already"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace detlite
