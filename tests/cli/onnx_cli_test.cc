// `detlite convert M.tflite -o M.onnx` and `detlite bench --vs-onnxruntime`
// as a user runs them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_run.h"
#include "detlite/onnx/onnx.pb.h"
#include "support/onnxruntime_oracle.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::RunCli;
using testing::TempDir;

TEST(OnnxCliTest, ConvertPicksOnnxFromTheExtension) {
  const std::string out = TempDir() + "/face_short.ONNX";
  auto r = RunCli({"convert", DataPath("tflite/face_detection_short_range.tflite"), "-o", out}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream f(out, std::ios::binary);
  std::stringstream bytes;
  bytes << f.rdbuf();
  onnx::ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(bytes.str())) << out << " is not an ONNX model";
  EXPECT_EQ(proto.graph().input(0).name(), "input");
  EXPECT_GT(proto.graph().node_size(), 40);
}

TEST(OnnxCliTest, QuantizedModelGivesOneLineAndNoFile) {
  const std::string out = TempDir() + "/quant.onnx";
  auto r = RunCli({"convert", DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"),
                   "-o", out}, 120);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("float models only"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(OnnxCliTest, BenchTimesOnnxRuntimeInTheSameRun) {
  std::string why;
  ASSERT_TRUE(testing::OnnxRuntimeAvailable(&why)) << why;
  auto r = RunCli({"bench", DataPath("tflite/face_detection_short_range.tflite"), "--runs", "4",
                   "--warmup", "1", "--vs-onnxruntime", "--json"}, 300);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_TRUE(j.contains("onnxruntime")) << r.out;
  EXPECT_EQ(j["onnxruntime"]["runs"], 4);
  EXPECT_GT(j["onnxruntime"]["median_ms"].get<double>(), 0.0);
  EXPECT_GT(j["median_ratio_detlite_over_onnxruntime"].get<double>(), 0.0);
}

}  // namespace
}  // namespace detlite
