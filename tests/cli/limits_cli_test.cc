// Memory bounds of docs/LIMITS.md, measured on the real binary: peak RSS of
// the child process (getrusage) on the hostile files of issue 11.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  args.insert(args.begin(), CliPath());
  auto r = testing::RunProcess(args, 300);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : testing::ProcessResult{};
}

const std::string kGt = "coco-eval/padilla_sampled/sampled_gts_bbox_area.json";

TEST(LimitsCliTest, AResultsFileIsStreamedNotHeldWhole) {
  // 120 MB of results: 300 detections, each carrying 400 KB of a field the
  // evaluator skips. Held whole (text plus a JSON tree) this needs several
  // times the file; streamed, one entry at a time.
  const std::string path = TempDir() + "/big_results.json";
  const std::string pad(400'000, 'p');
  {
    std::ofstream f(path, std::ios::binary);
    f << "[";
    for (int i = 0; i < 300; ++i) {
      f << (i ? "," : "") << R"({"image_id":1146,"category_id":1,"bbox":[10,10,50,50],)"
        << R"("score":0.5,"segmentation":")" << pad << "\"}";
    }
    f << "]";
  }
  const auto bytes = std::filesystem::file_size(path);
  auto r = Cli({"eval", "--detections", path, "--dataset", DataPath(kGt), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(nlohmann::json::parse(r.out, nullptr, false).is_discarded());
  std::printf("eval --detections on %.0f MB: max RSS %ld KiB, %.2f s\n", bytes / 1e6,
              r.max_rss_kib, r.seconds);
  EXPECT_LT(r.max_rss_kib * 1024.0, bytes / 2.0);

  // A results file that is not JSON past its first entries says where.
  std::ofstream(path, std::ios::binary)
      << R"([{"image_id":1146,"category_id":1,"bbox":[1,1,2,2],"score":0.5}, {"image_id")";
  r = Cli({"eval", "--detections", path, "--dataset", DataPath(kGt)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("big_results.json: not valid JSON (at byte"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace detlite
