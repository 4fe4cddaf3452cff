// `detlite convert` on TF.js graph models: a real model.json converts and
// the result loads; a broken one fails with one line naming the file and
// the problem, and leaves no output file behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 300);
}

TEST(TfjsCli, ConvertsCenterNetModelJson) {
  const std::string src = testing::HumanModelJson("centernet");
  if (!fs::exists(src)) GTEST_SKIP() << src << " missing: run scripts/setup.sh";
  const std::string out = testing::TempDir() + "/cli_centernet.tflite";
  auto r = Cli({"convert", src, "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("imported tfjs_graph_model"), std::string::npos) << r.err;
  ASSERT_TRUE(fs::exists(out));
  auto inspect = Cli({"inspect", out});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("TOPK_V2"), std::string::npos) << inspect.out;
}

// An Object Detection API SSD (preprocessing and NMS in while loops) converts
// with no flags: cut at the raw outputs, post-processing re-attached with
// the graph's own anchors. --no-postprocess keeps the raw outputs.
TEST(TfjsCli, ConvertsHandtrackSsdWithNoFlags) {
  const std::string src = testing::HumanModelJson("handtrack");
  if (!fs::exists(src)) GTEST_SKIP() << src << " missing: run scripts/setup.sh";
  const std::string out = testing::TempDir() + "/cli_handtrack.tflite";
  auto r = Cli({"convert", src, "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Object Detection API SSD"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the graph's box decoder constants, 12804 anchors"), std::string::npos)
      << r.err;
  auto inspect = Cli({"inspect", out});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("TFLite_Detection_PostProcess"), std::string::npos) << inspect.out;

  const std::string raw = testing::TempDir() + "/cli_handtrack_raw.tflite";
  r = Cli({"convert", src, "-o", raw, "--no-postprocess"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  inspect = Cli({"inspect", raw});
  EXPECT_EQ(inspect.out.find("TFLite_Detection_PostProcess"), std::string::npos) << inspect.out;
}

TEST(TfjsCli, TruncatedShardFailsWithOneLineAndWritesNothing) {
  const std::string src = testing::HumanModelJson("centernet");
  if (!fs::exists(src)) GTEST_SKIP() << src << " missing: run scripts/setup.sh";
  const fs::path dir = fs::path(testing::TempDir()) / "broken_centernet";
  fs::create_directories(dir);
  fs::copy_file(src, dir / "model.json", fs::copy_options::overwrite_existing);
  const fs::path bin = fs::path(src).parent_path() / "centernet.bin";
  fs::copy_file(bin, dir / "centernet.bin", fs::copy_options::overwrite_existing);
  fs::resize_file(dir / "centernet.bin", fs::file_size(bin) - 100);
  const std::string out = testing::TempDir() + "/cli_broken.tflite";
  auto r = Cli({"convert", dir.string(), "-o", out});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find((dir / "model.json").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("centernet.bin"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one line
  EXPECT_FALSE(fs::exists(out));

  fs::remove(dir / "centernet.bin");
  r = Cli({"convert", dir.string(), "-o", out});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("weight shard 'centernet.bin'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace detlite
