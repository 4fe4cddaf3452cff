// `detlite convert --prune-channels --reconstruct`: with photos the
// consumers of removed channels are refitted by default (one-shot least
// squares), `ls-sequential` and `none` choose the other ways, and the written
// files differ accordingly; bad values give one error line (and CLI11's
// --help hint) and no file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/photos.h"

namespace detlite {
namespace {

using testing::TempDir;

std::string ShortRange() {
  return testing::DepsDir() + "/npm/node_modules/@mediapipe/face_detection/face_detection_short_range.tflite";
}

testing::ProcessResult Cli(std::vector<std::string> args) { return testing::RunCli(std::move(args), 600); }

std::string Bytes(const std::string& path) { return testing::FileBytes(path); }

TEST(PruneChannelsReconstructCliTest, FlagChoosesTheRefit) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  std::vector<std::string> files;
  for (const std::string mode : {"", "ls-sequential", "none"}) {
    const std::string out = TempDir() + "/chrec_" + (mode.empty() ? "default" : mode) + ".tflite";
    std::vector<std::string> args = {"convert", ShortRange(), "-o", out, "--prune-channels", "0.5",
                                     "--calibration-data", photos, "--prune-images", "2",
                                     "--reconstruct-images", "3", "--preset", "signed"};
    if (!mode.empty()) args.insert(args.end(), {"--reconstruct", mode});
    auto r = Cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const bool refit = mode != "none";
    EXPECT_EQ(r.err.find("least-squares reconstruction") != std::string::npos, refit) << r.err;
    if (refit) {
      EXPECT_NE(r.err.find(mode.empty() ? "(one-shot)" : "(sequential)"), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("on 3 photos"), std::string::npos) << r.err;
    }
    files.push_back(Bytes(out));
  }
  EXPECT_TRUE(files[0] != files[1]);
  EXPECT_TRUE(files[0] != files[2]);
  EXPECT_TRUE(files[1] != files[2]);
}

TEST(PruneChannelsReconstructCliTest, BadValuesGiveOneLineAndNoFile) {
  const std::string out = TempDir() + "/never_chrec.tflite";
  const std::vector<std::vector<std::string>> bad = {{"--reconstruct", "lsq"}, {"--reconstruct", ""},
                                                     {"--reconstruct-images", "0"}, {"--reconstruct-images", "x"}};
  for (const auto& flag : bad) {
    auto r = Cli({"convert", ShortRange(), "-o", out, "--prune-channels", "0.3", flag[0], flag[1]});
    EXPECT_NE(r.exit_code, 0) << flag[0] << " " << flag[1];
    // CLI11's one line naming the flag and the value (then its --help hint).
    const std::string first = r.err.substr(0, r.err.find('\n'));
    EXPECT_NE(first.find(flag[0] + ":"), std::string::npos) << r.err;
    EXPECT_NE(first.find(flag[1].empty() ? "not in" : flag[1]), std::string::npos) << r.err;
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
}

}  // namespace
}  // namespace detlite
