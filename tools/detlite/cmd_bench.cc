// detlite bench MODEL [--runs N] [--warmup N] [--threads N] [--input FILE...]
//                     [--vs-tflite] [--vs-onnxruntime] [--json] [--per-op]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <cstring>

#include "bench_onnxruntime.h"
#include "bench_report.h"
#include "cli_common.h"
#include "commands.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "json_util.h"

namespace detlite::cli {
namespace {

struct BenchParams {
  std::string model;
  std::vector<std::string> inputs;
  int runs = 20;
  int warmup = 3;
  int threads = 1;
  int top = 10;
  bool vs_tflite = false;
  std::string tflite_runner;
  bool vs_onnxruntime = false;
  std::string onnxruntime_runner;
  bool json = false;
  bool per_op = false;
  PreprocessOptions pre;
};

// Deterministic inputs: what a benchmark needs is realistic sizes, not
// meaning; images given with --input are used as they are.
HostTensor SyntheticInput(const TensorInfo& info, uint32_t seed) {
  HostTensor t;
  t.info = info;
  int64_t n = 1;
  for (int32_t d : info.shape) n *= std::max<int32_t>(d, 1);
  std::mt19937 rng(seed);
  if (info.dtype == "float32") {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    t.bytes.resize(static_cast<size_t>(n) * 4);
    for (int64_t i = 0; i < n; ++i) {
      float v = u(rng);
      std::memcpy(t.bytes.data() + i * 4, &v, 4);
    }
  } else {
    int64_t width = info.dtype == "int16" ? 2 : info.dtype == "int32" || info.dtype == "int64" ? 4 : 1;
    if (info.dtype == "int64") width = 8;
    t.bytes.resize(static_cast<size_t>(n * width));
    for (auto& b : t.bytes) b = static_cast<uint8_t>(rng());
  }
  return t;
}

Stats Summarize(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  s.runs = static_cast<int>(ms.size());
  s.min_ms = ms.front();
  s.median_ms = ms[ms.size() / 2];
  s.p90_ms = ms[std::min(ms.size() - 1, static_cast<size_t>(static_cast<double>(ms.size()) * 0.9))];
  double sum = 0;
  for (double v : ms) sum += v;
  s.mean_ms = sum / static_cast<double>(ms.size());
  return s;
}

Status RunBench(const BenchParams& p) {
  ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
  const ModelInfo info = model.Inspect();
  auto t0 = std::chrono::steady_clock::now();
  RunnerOptions ro;
  ro.profile = true;
  ro.num_threads = p.threads;
  ASSIGN_OR_RETURN(Runner runner, Runner::Create(model, ro));
  const double create_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!p.inputs.empty() && static_cast<int>(p.inputs.size()) != runner.num_inputs()) {
    return InvalidArgument(p.model + ": the model has " + std::to_string(runner.num_inputs()) +
                           " input(s); " + std::to_string(p.inputs.size()) + " --input given");
  }
  std::vector<HostTensor> inputs;
  for (int i = 0; i < runner.num_inputs(); ++i) {
    if (p.inputs.empty()) {
      inputs.push_back(SyntheticInput(runner.InputInfo(i), 1234u + static_cast<uint32_t>(i)));
    } else {
      ASSIGN_OR_RETURN(HostTensor t, LoadInput(p.inputs[static_cast<size_t>(i)], runner.InputInfo(i), p.pre));
      inputs.push_back(std::move(t));
    }
    RETURN_IF_ERROR(runner.SetInput(i, inputs.back().bytes));
  }
  // ONNX Runtime runs once after each of detlite's runs (warmup included),
  // so both see the same machine state over the same stretch of time.
  std::unique_ptr<OnnxRuntimePeer> ort;
  std::vector<double> ort_ms;
  if (p.vs_onnxruntime) {
    ASSIGN_OR_RETURN(ort, OnnxRuntimePeer::Start(model, inputs, p.onnxruntime_runner, p.threads));
  }
  Progress progress("bench", p.warmup + p.runs);
  for (int k = 0; k < p.warmup; ++k) {
    RETURN_IF_ERROR(runner.Run());
    if (ort) RETURN_IF_ERROR(ort->RunOnce().status());
    progress.Update(k + 1);
  }
  // Per-op times accumulate over warmup too; only timed runs are kept below.
  std::map<int, double> warm_us;
  for (const OpTiming& t : runner.Profile()) warm_us[t.op_index] = t.total_us;
  std::vector<double> ms;
  for (int k = 0; k < p.runs; ++k) {
    auto s = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(runner.Run());
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    if (ort) {
      ASSIGN_OR_RETURN(double t, ort->RunOnce());
      ort_ms.push_back(t);
    }
    progress.Update(p.warmup + k + 1);
  }
  progress.Finish();
  OpProfile ops = AggregateProfile(runner.Profile(), warm_us, p.runs);
  Stats mine = Summarize(ms);
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  int64_t constant_bytes = 0;
  for (const auto& [dtype, st] : info.constants_by_dtype) constant_bytes += st.bytes;
  BenchReport report{p.model, info, create_ms, mine, ops, static_cast<int64_t>(runner.arena_bytes()),
                     constant_bytes, static_cast<int64_t>(ru.ru_maxrss) * 1024};
  if (ort) {
    report.onnxruntime = Summarize(ort_ms);
    report.onnxruntime_version = ort->version();
    report.onnxruntime_threads = p.threads;
    ort.reset();
  }
  report.threads = p.threads;
  report.per_op = p.per_op;
  if (p.vs_tflite) {
    ASSIGN_OR_RETURN(Stats theirs, TimeInRealTflite(p.model, inputs, p.warmup, p.runs, p.tflite_runner));
    report.tflite = theirs;
  }
  if (p.json) {
    std::cout << DumpJson(BenchJson(report, p.top), 2) << "\n";
  } else {
    PrintBench(report, p.top);
  }
  return Status::Ok();
}

}  // namespace

void AddBenchCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<BenchParams>();
  CLI::App* cmd = app.add_subcommand(
      "bench",
      "Time a model in detlite's interpreter: latency min/median/p90 over --runs\n"
      "after --warmup, the ops that take the time, and memory. With --vs-tflite the\n"
      "real TFLite runtime (tfjs-tflite's WebAssembly build under node, 1 thread)\n"
      "runs the same inputs in the same session, and the ratio is printed.\n"
      "With --vs-onnxruntime the model is exported to a temporary .onnx and ONNX\n"
      "Runtime (npm onnxruntime-node, CPU, --threads intra-op threads) runs once\n"
      "after each of detlite's runs, on the same inputs (float models only).\n"
      "Inputs are deterministic random values unless --input gives files.\n"
      "Example: detlite bench detect.tflite --runs 50 --vs-tflite");
  cmd->add_option("model", params->model, "a .tflite file")->required();
  cmd->add_option("-i,--input", params->inputs, "one image or .npy per model input");
  cmd->add_option("--runs", params->runs, "timed runs (20)")->check(CLI::Range(1, 100000));
  cmd->add_option("--warmup", params->warmup, "untimed runs first (3)")->check(CLI::Range(0, 100000));
  cmd->add_option("--threads", params->threads, "intra-op threads for detlite (1)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--top", params->top, "how many ops to list (10)")->check(CLI::Range(0, 10000));
  cmd->add_flag("--vs-tflite", params->vs_tflite, "also time the real TFLite runtime");
  cmd->add_option("--tflite-runner", params->tflite_runner,
                  "the node script that runs TFLite (default: this checkout's "
                  "tests/oracle/run_tflite.mjs, or $DETLITE_TFLITE_RUNNER)");
  cmd->add_flag("--vs-onnxruntime", params->vs_onnxruntime,
                "also time ONNX Runtime on the model exported to ONNX, interleaved");
  cmd->add_option("--onnxruntime-runner", params->onnxruntime_runner,
                  "the node script that runs ONNX Runtime (default: this checkout's "
                  "tests/support/run_onnxruntime.mjs, or $DETLITE_ONNXRUNTIME_RUNNER)");
  cmd->add_flag("--json", params->json, "print the numbers as JSON");
  cmd->add_flag("--per-op", params->per_op,
                "list every op in model order with its time and GFLOP/s");
  AddPreprocessFlags(cmd, &params->pre);
  cmd->callback([params, run] { *run = [params] { return RunBench(*params); }; });
}

}  // namespace detlite::cli
