#include "sweep_output.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench_report.h"
#include "detlite/model.h"
#include "json_util.h"

namespace detlite::cli {
namespace {

std::string Clock(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof(buf), "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

// The metric in percent, or "n/a" when the eval set had nothing to measure it
// on (e.g. APl without large objects).
std::string MetricText(const TrialResult& r) {
  if (r.Metric() < 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", r.Metric() * 100);
  return buf;
}

// Ids of the trials on the front of metric against `cost`.
nlohmann::json FrontIds(const std::vector<TrialResult>& results, bool by_size) {
  std::vector<ParetoPoint> points;
  std::vector<const TrialResult*> ok;
  for (const TrialResult& r : results) {
    if (r.status != "ok" || r.Metric() < 0) continue;
    ok.push_back(&r);
    points.push_back({by_size ? static_cast<double>(r.file_bytes) : r.latency_ms, r.Metric()});
  }
  nlohmann::json ids = nlohmann::json::array();
  for (size_t i : ParetoFront(points)) ids.push_back(ok[i]->id);
  return ids;
}

}  // namespace

void PrintTrialList(const SweepPlan& plan, const Shard& shard, bool json) {
  nlohmann::json list = nlohmann::json::array();
  for (const TrialSpec& t : ExpandTrials(plan)) {
    const std::string command = TrialCommand(plan, t, "models/" + t.id + ".tflite");
    if (json) {
      list.push_back({{"index", t.index}, {"trial", t.id}, {"in_shard", shard.Contains(t.index)},
                      {"model", t.model->name}, {"input_size", t.input_size},
                      {"quantization", t.quantization->label}, {"command", command}});
    } else {
      std::printf("%3d %s %s %-28s %-10s %s\n", t.index, t.id.c_str(),
                  shard.Contains(t.index) ? "*" : " ", t.model->name.c_str(),
                  t.input_size.c_str(), t.quantization->label.c_str());
    }
  }
  if (json) {
    std::cout << DumpJson({{"plan_hash", plan.plan_hash}, {"trials", list}}, 2) << "\n";
  } else {
    std::printf("plan hash %s; * = in shard %d/%d\n", plan.plan_hash.c_str(), shard.index,
                shard.count);
  }
}

void PrintProgress(const SweepProgress& s, std::chrono::steady_clock::time_point start) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (s.last == nullptr) {
    std::fprintf(stderr, "sweep: %d trials to run%s\n", s.total,
                 s.skipped > 0 ? (", " + std::to_string(s.skipped) + " finished earlier (skipped)").c_str()
                               : "");
    return;
  }
  const TrialResult& r = *s.last;
  std::string what;
  if (r.status == "ok") {
    char buf[160];
    std::snprintf(buf, sizeof(buf), "%s %s, %.3f MB, %.2f ms, convert %.1f s", r.metric.c_str(),
                  MetricText(r).c_str(), r.file_bytes / 1e6, r.latency_ms, r.convert_seconds);
    what = buf;
  } else {
    what = "FAILED: " + r.error;
  }
  const double eta = elapsed / s.done * (s.total - s.done);
  std::fprintf(stderr, "sweep: trial %d/%d %s %s, %s: %s [%s elapsed, ETA %s]\n", s.done, s.total,
               r.id.c_str(), r.model_name.c_str(), r.quantization.c_str(), what.c_str(),
               Clock(elapsed).c_str(), Clock(eta).c_str());
  std::fflush(stderr);
}

void PrintSummary(const SweepSummary& summary, const Shard& shard, const std::string& report,
                  bool json) {
  if (json) {
    nlohmann::json trials = nlohmann::json::array();
    for (const TrialResult& r : summary.results) trials.push_back(nlohmann::json::parse(TrialResultJson(r)));
    nlohmann::json j = {{"plan_hash", summary.plan_hash}, {"trials_in_plan", summary.trials},
                        {"ran", summary.ran}, {"skipped", summary.skipped},
                        {"failed", summary.failed}, {"shard", std::to_string(shard.index) + "/" +
                                                                  std::to_string(shard.count)},
                        {"report", report}, {"pareto_latency", FrontIds(summary.results, false)},
                        {"pareto_size", FrontIds(summary.results, true)}, {"results", trials}};
    std::cout << DumpJson(j, 2) << "\n";
    return;
  }
  std::printf("%-12s %-24s %-34s %9s %7s %9s\n", "trial", "model", "quantization", "MB",
              summary.results.empty() ? "AP" : summary.results[0].metric.c_str(), "ms");
  for (const TrialResult& r : summary.results) {
    if (r.status != "ok") {
      std::printf("%-12s %-24s %-34s failed: %s\n", r.id.c_str(), r.model_name.substr(0, 24).c_str(),
                  r.quantization.substr(0, 34).c_str(), r.error.c_str());
      continue;
    }
    std::printf("%-12s %-24s %-34s %9.3f %7s %9.2f\n", r.id.c_str(),
                r.model_name.substr(0, 24).c_str(), r.quantization.substr(0, 34).c_str(),
                r.file_bytes / 1e6, MetricText(r).c_str(), r.latency_ms);
  }
  std::printf("%zu results (%d failed)", summary.results.size(), summary.failed);
  if (summary.ran + summary.skipped > 0) {
    std::printf(", %d run now, %d finished earlier", summary.ran, summary.skipped);
  }
  std::printf("; Pareto front (latency): %s\nreport: %s\n",
              FrontIds(summary.results, false).dump().c_str(), report.c_str());
}

std::function<StatusOr<double>(const std::string&, int, int)> RealTfliteLatency(
    const std::string& runner_script) {
  return [runner_script](const std::string& file, int warmup, int runs) -> StatusOr<double> {
    ASSIGN_OR_RETURN(Model model, Model::Load(file));
    ASSIGN_OR_RETURN(Runner runner, Runner::Create(model));
    std::vector<HostTensor> inputs;
    for (int i = 0; i < runner.num_inputs(); ++i) {
      HostTensor t;
      t.info = runner.InputInfo(i);
      int64_t n = t.info.dtype == "int64"                                 ? 8
                  : t.info.dtype == "float32" || t.info.dtype == "int32" ? 4
                  : t.info.dtype == "int16" || t.info.dtype == "float16" ? 2
                                                                         : 1;
      for (int32_t d : t.info.shape) n *= d > 0 ? d : 1;
      t.bytes.assign(static_cast<size_t>(n), 0);
      inputs.push_back(std::move(t));
    }
    ASSIGN_OR_RETURN(Stats s, TimeInRealTflite(file, inputs, warmup, runs, runner_script));
    return s.median_ms;
  };
}

}  // namespace detlite::cli
