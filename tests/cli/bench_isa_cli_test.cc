// detlite bench reports the ISA level its kernels run on, which DETLITE_ISA
// lowers, and --per-op lists every op with MACs adding up to the model's
// (ops fused into a conv at prepare named in its row, "CONV_2D (+ADD+RELU)").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_run.h"
#include "kernels/optimized/cpu.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

namespace opt = kernels::optimized;
using testing::DataPath;

const std::string kFace = "tflite/face_detection_short_range.tflite";

// Runs `detlite bench kFace --json ...` with DETLITE_ISA=isa ("" = unset).
testing::ProcessResult Bench(const std::string& isa, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {"/usr/bin/env", "-u", "DETLITE_ISA"};
  if (!isa.empty()) argv.push_back("DETLITE_ISA=" + isa);
  argv.push_back(testing::CliPath());
  for (const char* a : {"bench", "--runs", "1", "--warmup", "0", "--json"}) argv.push_back(a);
  argv.push_back(DataPath(kFace));
  for (auto& e : extra) argv.push_back(e);
  auto r = testing::RunProcess(argv, 300);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : testing::ProcessResult{};
}

TEST(BenchIsaCliTest, ReportsEveryLevelTheMachineHasAndTheForcedOne) {
  auto r = Bench("");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["isa"], opt::IsaName(opt::SupportedIsa()));
  for (opt::Isa isa : opt::SupportedIsas()) {
    r = Bench(opt::IsaName(isa));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["isa"], opt::IsaName(isa));
  }
}

TEST(BenchIsaCliTest, UnknownLevelWarnsAndKeepsTheMachinesLevel) {
  auto r = Bench("sse2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("DETLITE_ISA=sse2"), std::string::npos) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["isa"], opt::IsaName(opt::SupportedIsa()));
}

TEST(BenchIsaCliTest, PerOpListsEveryOpAndTheirMacsAddUp) {
  auto r = Bench("", {"--per-op"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("per_op"));
  // Each row is one op run, plus the ops its "(+A+B)" label says it absorbed.
  size_t listed = 0;
  int fused_rows = 0;
  for (const auto& op : j["per_op"]) {
    const std::string name = op["op"];
    ++listed;
    const size_t open = name.find(" (+");
    if (open == std::string::npos) continue;
    ++fused_rows;
    const size_t close = name.find(')', open);
    ASSERT_NE(close, std::string::npos) << name;
    for (size_t i = open; i < close; ++i) listed += name[i] == '+' ? 1 : 0;
  }
  EXPECT_EQ(listed, j["ops"].get<size_t>());
  EXPECT_GE(fused_rows, 16);  // every BlazeBlock's conv + ADD (+ RELU)
  int64_t macs = 0;
  int with_gflops = 0;
  for (const auto& op : j["per_op"]) {
    if (!op.contains("macs")) continue;
    macs += op["macs"].get<int64_t>();
    if (op["gflops"].get<double>() > 0) ++with_gflops;
  }
  EXPECT_EQ(macs, j["macs"].get<int64_t>());
  EXPECT_GT(with_gflops, 20);  // BlazeFace has 21 convs and 16 depthwise
}

}  // namespace
}  // namespace detlite
