// eval --shard K/N -o part.json and eval merge: a real detector on real COCO
// photos, sharded three ways (through GNU parallel when installed), merges to
// exactly the numbers of one process; parts that do not belong together are
// refused in one line naming the file.
#include <gtest/gtest.h>

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
using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 600);
}

const std::string kCoral = "tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite";
const std::string kV1 = "tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite";

// eval arguments for `model` on the first `images` photos of coco_val2017_158.
std::vector<std::string> EvalArgs(const std::string& model, const std::string& labels,
                                  int images) {
  return {"eval", DataPath(model), "--dataset", DataPath("datasets/coco_val2017_158"),
          "--labels", DataPath(labels), "--max-images", std::to_string(images)};
}
std::vector<std::string> CoralArgs(int images) {
  return EvalArgs(kCoral, "tflite/mobilenet_ssd_v2_coco_labels.txt", images);
}

std::vector<std::string> With(std::vector<std::string> a, const std::vector<std::string>& more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// Writes shards 1..n of n of the Coral SSD on `images` photos into dir/part<K>.json.
void WriteParts(const std::string& dir, int images, int n) {
  fs::create_directories(dir);
  for (int k = 1; k <= n; ++k) {
    auto r = Cli(With(CoralArgs(images), {"--shard", std::to_string(k) + "/" + std::to_string(n),
                                          "-o", dir + "/part" + std::to_string(k) + ".json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
}

void ExpectRefused(const std::vector<std::string>& args, const std::string& says) {
  auto r = Cli(args);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(Lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
}

TEST(EvalShardCli, ThreeShardsMergeToExactlyOneRun) {
  const std::string dir = TempDir() + "/eval_shards3";
  fs::create_directories(dir);
  auto single = Cli(With(CoralArgs(30), {"--json"}));
  ASSERT_EQ(single.exit_code, 0) << single.err;
  const auto one = nlohmann::json::parse(single.out);

  const std::string parallel = testing::FindExecutable("parallel");
  if (!parallel.empty()) {
    std::vector<std::string> args = {parallel, "--will-cite", "-j", "2", CliPath()};
    for (const std::string& a : CoralArgs(30)) args.push_back(a);
    for (const char* a : {"--shard", "{}/3", "-o", "PART", ":::", "1", "2", "3"}) {
      args.push_back(std::string(a) == "PART" ? dir + "/part{}.json" : a);
    }
    auto r = testing::RunProcess(args, 600);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->exit_code, 0) << r->err;
  } else {
    WriteParts(dir, 30, 3);
  }
  const std::string report = dir + "/merged.html";
  auto merged = Cli({"eval", "merge", dir + "/part1.json", dir + "/part2.json",
                     dir + "/part3.json", "--json", "--report", report});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const auto three = nlohmann::json::parse(merged.out);
  ASSERT_EQ(one["coco"].size(), 12u);
  for (const auto& [name, v] : one["coco"].items()) {
    // Bit for bit: both printed with round-trip precision.
    EXPECT_EQ(three["coco"][name].get<double>(), v.get<double>()) << name;
  }
  EXPECT_GT(one["coco"]["AP50"].get<double>(), 0.1);
  EXPECT_EQ(three["images"], one["images"]);
  EXPECT_EQ(three["ground_truth"], one["ground_truth"]);
  EXPECT_EQ(three["detections"], one["detections"]);
  EXPECT_EQ(three["classes"], one["classes"]);
  EXPECT_TRUE(fs::exists(report));
  // Each part holds only its share: photos 1, 4, 7, ... in part 1.
  int images = 0;
  for (int k = 1; k <= 3; ++k) {
    std::ifstream f(dir + "/part" + std::to_string(k) + ".json");
    const auto part = nlohmann::json::parse(f);
    EXPECT_EQ(part["images"], 10);
    EXPECT_EQ(part["shard"], std::to_string(k) + "/3");
    images += part["images"].get<int>();
    for (const auto& d : part["annotations"]) {
      EXPECT_EQ((d["image_id"].get<int>() - 1) % 3, k - 1) << d.dump();
    }
  }
  EXPECT_EQ(images, 30);
}

TEST(EvalShardCli, SchedulerEnvironmentChoosesTheShard) {
  const std::string dir = TempDir() + "/eval_shard_env";
  fs::create_directories(dir);
  const std::string env = testing::FindExecutable("env");
  ASSERT_FALSE(env.empty());
  std::vector<std::string> args = {env, "SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=2",
                                   "SLURM_ARRAY_TASK_MIN=1", CliPath()};
  for (const std::string& a : CoralArgs(5)) args.push_back(a);
  for (const std::string& a : {std::string("-o"), dir + "/slurm.json", std::string("--json")}) {
    args.push_back(a);
  }
  auto r = testing::RunProcess(args, 300);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 0) << r->err;
  auto j = nlohmann::json::parse(r->out);
  EXPECT_EQ(j["shard"], "2/2");
  EXPECT_EQ(j["images"], 2);  // photos 2 and 4 of 5
  args = {env, "JOB_COMPLETION_INDEX=0", "DETLITE_SHARD_COUNT=2", CliPath()};
  for (const std::string& a : CoralArgs(5)) args.push_back(a);
  for (const std::string& a : {std::string("-o"), dir + "/k8s.json", std::string("--json")}) {
    args.push_back(a);
  }
  r = testing::RunProcess(args, 300);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 0) << r->err;
  j = nlohmann::json::parse(r->out);
  EXPECT_EQ(j["shard"], "1/2");
  EXPECT_EQ(j["images"], 3);
  auto merged = Cli({"eval", "merge", dir + "/k8s.json", dir + "/slurm.json", "--json"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  auto single = Cli(With(CoralArgs(5), {"--json"}));
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(nlohmann::json::parse(merged.out)["coco"], nlohmann::json::parse(single.out)["coco"]);
}

TEST(EvalShardCli, BadShardsAndPartsAreRefusedInOneLine) {
  const std::string dir = TempDir() + "/eval_shard_bad";
  WriteParts(dir, 6, 3);
  ExpectRefused(With(CoralArgs(6), {"--shard", "3/2", "-o", dir + "/x.json"}), "3/2");
  ExpectRefused(With(CoralArgs(6), {"--shard", "0/0", "-o", dir + "/x.json"}), "0/0");
  ExpectRefused(With(CoralArgs(6), {"--shard", "1/2"}), "-o part.json");
  EXPECT_FALSE(fs::exists(dir + "/x.json"));
  const std::string p1 = dir + "/part1.json", p2 = dir + "/part2.json", p3 = dir + "/part3.json";
  // Missing and duplicated shards.
  ExpectRefused({"eval", "merge", p1, p2}, "shard 3/3 is missing");
  ExpectRefused({"eval", "merge", p1, p2, p3, p2}, "part2.json: shard 2/3 is given twice");
  // A part of another model, and one with other options.
  auto v1 = Cli(With(EvalArgs(kV1, "tflite/coco_ssd_mobilenet_v1_labelmap.txt", 6),
                     {"--shard", "3/3", "-o", dir + "/v1.json"}));
  ASSERT_EQ(v1.exit_code, 0) << v1.err;
  ExpectRefused({"eval", "merge", p1, p2, dir + "/v1.json"}, "v1.json: a part of another model");
  auto thr = Cli(With(CoralArgs(6), {"--shard", "3/3", "--score-threshold", "0.3", "-o",
                                     dir + "/thr.json"}));
  ASSERT_EQ(thr.exit_code, 0) << thr.err;
  ExpectRefused({"eval", "merge", p1, p2, dir + "/thr.json"},
                "thr.json: a part of another set of eval options");
  // A part cut short (a node died while copying it).
  std::ifstream in(p3, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::ofstream(dir + "/cut.json", std::ios::binary) << text.substr(0, text.size() / 2);
  ExpectRefused({"eval", "merge", p1, p2, dir + "/cut.json"},
                "cut.json: not a complete eval part file");
  // Not a part at all, and a part whose detection belongs to another shard.
  std::ofstream(dir + "/odd.json") << R"({"detlite_eval_part": "1", "annotations": []})";
  ExpectRefused({"eval", "merge", p1, p2, dir + "/odd.json"},
                "odd.json: not a complete eval part file");
  nlohmann::json moved;
  {
    std::ifstream f(p3);
    moved = nlohmann::json::parse(f);
  }
  ASSERT_FALSE(moved["annotations"].empty());
  moved["annotations"][0]["image_id"] = 1;  // photo 1 is shard 1's
  std::ofstream(dir + "/moved.json") << moved.dump();
  ExpectRefused({"eval", "merge", p1, p2, dir + "/moved.json"},
                "moved.json: a detection on image 1, which is not in shard 3/3");
  // Whole parts still merge.
  EXPECT_EQ(Cli({"eval", "merge", p1, p2, p3}).exit_code, 0);
}

TEST(EvalShardCli, MergeRefusesADatasetChangedSinceTheParts) {
  const std::string dir = TempDir() + "/eval_shard_changed";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(DataPath("datasets/coco_mini"), dir + "/coco_mini", fs::copy_options::recursive);
  const std::vector<std::string> args = {
      "eval", DataPath(kV1), "--dataset", dir + "/coco_mini", "--labels",
      DataPath("tflite/coco_ssd_mobilenet_v1_labelmap.txt")};
  for (const char* k : {"1", "2"}) {
    auto r = Cli(With(args, {"--shard", std::string(k) + "/2", "-o",
                             dir + "/part" + k + ".json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::vector<std::string> merge = {"eval", "merge", dir + "/part1.json",
                                          dir + "/part2.json", "--json"};
  auto ok = Cli(merge);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(nlohmann::json::parse(ok.out)["images"], 5);
  // One ground-truth box fewer: the parts no longer describe this dataset.
  const std::string labels = dir + "/coco_mini/labels.json";
  nlohmann::json gt;
  {
    std::ifstream f(labels);
    gt = nlohmann::json::parse(f);
  }
  gt["annotations"].erase(gt["annotations"].begin());
  std::ofstream(labels) << gt.dump();
  ExpectRefused(merge, "coco_mini: changed since");
}

}  // namespace
}  // namespace detlite
