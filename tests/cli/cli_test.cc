// The detlite binary as a user runs it: real models, real photos, and bad
// input that must give one clear line and a non-zero exit.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/file_io.h"
#include "data/npy.h"
#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 300);
}

TEST(CliTest, InspectJsonDescribesTheQuantizedSsd) {
  auto r = Cli({"inspect", DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"),
                "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["inputs"].size(), 1u);
  EXPECT_EQ(j["inputs"][0]["dtype"], "uint8");
  EXPECT_EQ(j["inputs"][0]["shape"], std::vector<int>({1, 300, 300, 3}));
  EXPECT_DOUBLE_EQ(j["inputs"][0]["quantization"]["scale"][0].get<double>(), 0.0078125);
  EXPECT_EQ(j["inputs"][0]["quantization"]["zero_point"][0], 128);
  EXPECT_EQ(j["outputs"].size(), 4u);
  EXPECT_EQ(j["op_histogram"]["CONV_2D"], 34);
  EXPECT_EQ(j["op_histogram"]["TFLite_Detection_PostProcess"], 1);
  EXPECT_TRUE(j["metadata"].contains("TFLITE_METADATA"));
  // This zoo model is MobileNet V1 at depth 0.75 (its first box predictor
  // reads 384 channels, not 512): about 4.1M weights and 0.73 GMACs at 300x300,
  // against 4.2M / ~1.2G for depth 1.0.
  int64_t constant_bytes = 0;
  for (const auto& [dtype, st] : j["constants_by_dtype"].items()) {
    constant_bytes += st["bytes"].get<int64_t>();
  }
  // Weights are nearly all of the file, and never more than it.
  EXPECT_LE(constant_bytes, j["file_bytes"].get<int64_t>());
  EXPECT_GT(constant_bytes, j["file_bytes"].get<int64_t>() * 9 / 10);
  EXPECT_GT(j["parameters"].get<int64_t>(), 3'500'000);
  EXPECT_LT(j["parameters"].get<int64_t>(), 4'500'000);
  EXPECT_GT(j["macs"].get<int64_t>(), 600'000'000);
  EXPECT_LT(j["macs"].get<int64_t>(), 900'000'000);
}

TEST(CliTest, InspectShowsSparseTensors) {
  auto r = Cli({"inspect", DataPath("tflite/face_detection_full_range_sparse.tflite"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sparse_tensors"].size(), 46u);
  EXPECT_EQ(j["op_histogram"]["DENSIFY"], 46);
}

TEST(CliTest, RunWritesEveryOutputAsNpy) {
  const std::string dir = TempDir() + "/cli_run";
  auto r = Cli({"run", DataPath("tflite/face_detection_short_range.tflite"), "--input",
                DataPath("images/face.jpg"), "--output-dir", dir, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["outputs"].size(), 2u);
  for (const auto& o : j["outputs"]) {
    auto npy = ReadNpyFile(o["file"].get<std::string>());
    ASSERT_TRUE(npy.ok()) << npy.status().ToString();
    EXPECT_EQ(npy->shape.dims(), o["shape"].get<std::vector<int32_t>>());
  }
  // The face in face.jpg is found: a confident anchor (logit > 0).
  EXPECT_GT(j["outputs"][1]["max"].get<double>(), 0.0);
}

TEST(CliTest, ConvertRoundTripRunsInTheRealRuntime) {
  std::string why;
  ASSERT_TRUE(testing::OracleAvailable(&why)) << why;
  const std::string out = TempDir() + "/cli_copy.tflite";
  auto r = Cli({"convert", DataPath("tflite/ssd_mobilenetv2_oidv4_fp16.tflite"), "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto o = testing::RunInRealTflite(out, {std::vector<uint8_t>(300 * 300 * 3 * 4, 0)});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->outputs.size(), 2u);
}

TEST(CliTest, BadInputGivesOneLineNamingTheFile) {
  const std::string bad = TempDir() + "/not_a_model.tflite";
  ASSERT_TRUE(WriteFileAtomic(bad, std::string_view("this is not a flatbuffer")).ok());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"inspect", bad},
           {"inspect", TempDir() + "/missing.tflite"},
           {"convert", bad, "-o", TempDir() + "/never_written.tflite"},
           {"run", DataPath("tflite/face_detection_short_range.tflite"), "--input",
            bad}}) {
    auto r = Cli(args);
    EXPECT_EQ(r.exit_code, 1) << args[0];
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("detlite: error: "), std::string::npos) << r.err;
    const bool names_file = r.err.find("not_a_model.tflite") != std::string::npos ||
                            r.err.find("missing.tflite") != std::string::npos;
    EXPECT_TRUE(names_file) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(TempDir() + "/never_written.tflite"));
}

TEST(CliTest, HelpTeachesEachCommand) {
  for (const char* cmd : {"inspect", "run", "convert"}) {
    auto r = Cli({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("Example: detlite"), std::string::npos) << cmd;
  }
  EXPECT_NE(Cli({}).exit_code, 0);
}

}  // namespace
}  // namespace detlite
