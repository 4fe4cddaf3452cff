// `detlite sweep` as a user runs it: plan errors in one line naming the plan
// and the field, shard specs, the scheduler's environment, and two shards run
// by GNU parallel merging to exactly what one process measures (timings
// aside, the converted files byte for byte).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) { return testing::RunCli(std::move(args), 300); }

std::string WritePlan(const std::string& dir, const std::string& quantization) {
  fs::create_directories(dir);
  const std::string path = dir + "/plan.json";
  std::ofstream(path) << R"({"models": [{"path": ")"
                      << DataPath("tflite/face_detection_short_range.tflite")
                      << R"(", "name": "face", "postprocess": {"anchors": "blazeface-short"}}],
    "quantization": )" << quantization << R"(,
    "eval": {"dataset": ")" << DataPath("datasets/widerface_val200_416") << R"(", "max_images": 3},
    "latency": {"runs": 3, "warmup": 1},
    "calibration": {"data": ")" << DataPath("datasets/coco_train2017_288/images")
                      << R"(", "size": 4, "threads": 1}})";
  return path;
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Each trial file of `dir` without its timings, by trial id.
std::map<std::string, nlohmann::json> TrialsWithoutTimings(const std::string& dir) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& e : fs::directory_iterator(dir + "/trials")) {
    nlohmann::json j = nlohmann::json::parse(ReadText(e.path().string()));
    j.erase("timing");
    out[j["trial"].get<std::string>()] = j;
  }
  return out;
}

TEST(SweepCli, BadPlanIsOneLineNamingThePlanAndField) {
  const std::string plan = WritePlan(TempDir() + "/sweep_bad", R"(["float32", {"mode": "int4"}])");
  auto r = Cli({"sweep", plan, "-o", TempDir() + "/sweep_bad/out"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(Lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(plan + ": line 2: /quantization/1/mode: 'int4'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(TempDir() + "/sweep_bad/out"));
  for (const char* shard : {"3/2", "0/0"}) {
    const std::string good = WritePlan(TempDir() + "/sweep_shard", R"(["float32"])");
    r = Cli({"sweep", good, "-o", TempDir() + "/sweep_shard/out", "--shard", shard});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(std::string("--shard ") + shard), std::string::npos) << r.err;
  }
}

TEST(SweepCli, HelpTeaches) {
  auto r = Cli({"sweep", "--help"});
  ASSERT_EQ(r.exit_code, 0);
  for (const char* s : {"--shard", "merge", "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX",
                        "docs/SWEEP.md", "--vs-tflite"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
}

TEST(SweepCli, VsTfliteRecordsTheRealRuntimesLatency) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string dir = TempDir() + "/sweep_tflite";
  const std::string plan = WritePlan(dir, R"(["float32", "int8"])");
  auto r = Cli({"sweep", plan, "-o", dir + "/out", "--vs-tflite", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["results"].size(), 2u);
  for (const auto& t : j["results"]) {
    ASSERT_EQ(t["status"], "ok") << t.dump();
    EXPECT_GT(t["timing"]["tflite_latency_ms"].get<double>(), 0.0);
  }
  // The report has the real runtime's column filled.
  std::ifstream f(dir + "/out/report.html");
  std::stringstream html;
  html << f.rdbuf();
  EXPECT_NE(html.str().find("ms (TFLite)"), std::string::npos);
}

TEST(SweepCli, SchedulerEnvironmentChoosesTheShard) {
  const std::string plan = WritePlan(TempDir() + "/sweep_env", R"(["float32", "float16", "dynamic"])");
  const std::string env = testing::FindExecutable("env");
  ASSERT_FALSE(env.empty());
  auto r = testing::RunProcess({env, "SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=2",
                                "SLURM_ARRAY_TASK_MIN=1", CliPath(), "sweep", plan, "--list",
                                "--json"},
                               60);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 0) << r->err;
  const auto j = nlohmann::json::parse(r->out);
  ASSERT_EQ(j["trials"].size(), 3u);
  EXPECT_EQ(j["trials"][0]["in_shard"], false);
  EXPECT_EQ(j["trials"][1]["in_shard"], true);
  EXPECT_EQ(j["trials"][2]["in_shard"], false);
  r = testing::RunProcess({env, "JOB_COMPLETION_INDEX=0", CliPath(), "sweep", plan, "--list"}, 60);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->exit_code, 0);
  EXPECT_NE(r->err.find("DETLITE_SHARD_COUNT"), std::string::npos) << r->err;
}

TEST(SweepCli, TwoShardsThroughParallelMergeToOneProcessResults) {
  const std::string dir = TempDir() + "/sweep_shards";
  const std::string plan = WritePlan(dir, R"(["float32", "float16", "dynamic", "int8"])");
  auto single = Cli({"sweep", plan, "-o", dir + "/single", "--json"});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  const auto summary = nlohmann::json::parse(single.out);
  EXPECT_EQ(summary["ran"], 4);
  EXPECT_EQ(summary["failed"], 0);
  EXPECT_NE(single.err.find("sweep: trial 4/4"), std::string::npos) << single.err;
  EXPECT_NE(single.err.find("ETA"), std::string::npos);

  // Two shards, as a cluster would run them: GNU parallel when installed.
  const std::string parallel = testing::FindExecutable("parallel");
  if (!parallel.empty()) {
    auto r = testing::RunProcess({parallel, "--will-cite", "-j", "2", CliPath(), "sweep", plan,
                                  "-o", dir + "/shard{}", "--shard", "{}/2", ":::", "1", "2"},
                                 300);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->exit_code, 0) << r->err;
  } else {
    for (const char* k : {"1", "2"}) {
      auto r = Cli({"sweep", plan, "-o", dir + "/shard" + k, "--shard", std::string(k) + "/2"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  auto merged = Cli({"sweep", "merge", dir + "/shard1", dir + "/shard2", "-o", dir + "/merged",
                     "--json"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const auto one = TrialsWithoutTimings(dir + "/single");
  const auto two = TrialsWithoutTimings(dir + "/merged");
  ASSERT_EQ(one.size(), 4u);
  EXPECT_EQ(one, two);
  for (const auto& [id, j] : one) {
    const std::string file = j["model_file"].get<std::string>();
    EXPECT_EQ(ReadText(dir + "/single/" + file), ReadText(dir + "/merged/" + file)) << file;
  }
  EXPECT_EQ(nlohmann::json::parse(merged.out)["pareto_size"],
            summary["pareto_size"]);
  EXPECT_TRUE(fs::exists(dir + "/merged/report.html"));

  // Merging results of another plan is refused.
  const std::string other = WritePlan(dir + "/other", R"(["float32"])");
  ASSERT_EQ(Cli({"sweep", other, "-o", dir + "/other/out"}).exit_code, 0);
  auto bad = Cli({"sweep", "merge", dir + "/shard1", dir + "/other/out", "-o", dir + "/bad"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(Lines(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("from another plan"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace detlite
