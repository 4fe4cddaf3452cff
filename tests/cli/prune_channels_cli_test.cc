// `detlite convert --prune-channels` as a user runs it: the written file
// (read back here) has fewer CONV_2D output channels, the same model
// outputs, and composes with --prune and --quantize; bad ratios and models
// with nothing to prune give one clear error line and no file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "cli/cli_run.h"
#include "importers/tflite/tflite_reader.h"
#include "support/paths.h"
#include "support/photos.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

std::string ShortRange() {
  return testing::DepsDir() + "/npm/node_modules/@mediapipe/face_detection/face_detection_short_range.tflite";
}

testing::ProcessResult Cli(std::vector<std::string> args) { return testing::RunCli(std::move(args), 600); }

struct Counts {
  int64_t conv_channels = 0;  // sum of CONV_2D output channels
  std::vector<Shape> outputs;
};

Counts Count(const std::string& path) {
  Counts c;
  auto m = ReadTfliteFile(path);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  if (!m.ok()) return c;
  const ir::Subgraph& sg = m->subgraphs[0];
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kConv2D) c.conv_channels += sg.tensors[static_cast<size_t>(op.outputs[0])].shape.dim(3);
  }
  for (int32_t o : sg.outputs) c.outputs.push_back(sg.tensors[static_cast<size_t>(o)].shape);
  return c;
}

TEST(PruneChannelsCliTest, RemovesChannelsAndComposesWithPruneAndQuantize) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const Counts before = Count(ShortRange());
  const std::string out = TempDir() + "/chp.tflite";
  auto r = Cli({"convert", ShortRange(), "-o", out, "--prune-channels", "0.3", "--calibration-data", photos,
                "--prune-images", "2", "--preset", "signed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("prune-channels: MACs"), std::string::npos) << r.err;
  const Counts after = Count(out);
  EXPECT_EQ(after.outputs, before.outputs);
  EXPECT_LT(after.conv_channels, before.conv_channels);
  EXPECT_LT(std::filesystem::file_size(out), std::filesystem::file_size(ShortRange()));
  const std::string both = TempDir() + "/chp_int8.tflite";
  r = Cli({"convert", ShortRange(), "-o", both, "--prune-channels", "0.2", "--prune", "0.5", "--quantize", "int8",
           "--calibration-data", photos, "--calibration-size", "2", "--prune-images", "2", "--preset", "signed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("prune: pruned"), std::string::npos) << r.err;
  EXPECT_LT(Count(both).conv_channels, before.conv_channels);
}

TEST(PruneChannelsCliTest, BadInputGivesOneLineAndNoFile) {
  const std::string out = TempDir() + "/never_chp.tflite";
  for (const std::string ratio : {"1", "-0.2"}) {
    auto r = Cli({"convert", ShortRange(), "-o", out, "--prune-channels", ratio});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("--prune-channels " + ratio), std::string::npos) << r.err;
  }
  auto r = Cli({"convert", DataPath("tflite/half_plus_two.tflite"), "-o", out, "--prune-channels", "0.3"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("half_plus_two.tflite"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no channel group can be pruned"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace detlite
