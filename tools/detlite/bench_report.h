// Numbers `detlite bench` gathers and how it prints them, and timing the same
// model in the real TFLite runtime.
#ifndef DETLITE_TOOLS_DETLITE_BENCH_REPORT_H_
#define DETLITE_TOOLS_DETLITE_BENCH_REPORT_H_

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite::cli {

struct Stats {
  int runs = 0;
  double min_ms = 0, median_ms = 0, p90_ms = 0, mean_ms = 0;
};

struct OpCost {
  std::string name;  // op type, or "TYPE output_tensor" for one op
  int count = 0;
  double ms_per_run = 0;
  int64_t macs = 0;  // per run
};

struct OpProfile {
  std::vector<OpCost> by_type;  // descending time
  std::vector<OpCost> by_op;    // descending time
  std::vector<OpCost> in_order;  // model order (bench --per-op)
  double total_ms_per_run = 0;
};

struct BenchReport {
  std::string model;
  ModelInfo info;
  double create_ms = 0;
  Stats detlite;
  OpProfile ops;
  int64_t arena_bytes = 0;
  int64_t constant_bytes = 0;
  int64_t peak_rss_bytes = 0;
  std::optional<Stats> tflite;
  std::optional<Stats> onnxruntime;  // --vs-onnxruntime, interleaved
  std::string onnxruntime_version;
  int onnxruntime_threads = 1;
  int threads = 1;  // detlite's intra-op threads
  bool per_op = false;  // list every op with its GFLOP/s
};

// Profile totals minus the warmup part, per timed run.
OpProfile AggregateProfile(const std::vector<OpTiming>& totals,
                           const std::map<int, double>& warmup_us, int runs);

nlohmann::json BenchJson(const BenchReport& r, int top);
void PrintBench(const BenchReport& r, int top);

// Runs `model` in the real TFLite runtime (tfjs-tflite WebAssembly under
// node) with the same input bytes; `runner_script` "" = the default.
StatusOr<Stats> TimeInRealTflite(const std::string& model, const std::vector<HostTensor>& inputs,
                                 int warmup, int runs, const std::string& runner_script);

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_BENCH_REPORT_H_
