#include "bench_report.h"

#include <algorithm>
#include <cstdio>

#include "json_util.h"

namespace detlite::cli {

OpProfile AggregateProfile(const std::vector<OpTiming>& totals,
                           const std::map<int, double>& warmup_us, int runs) {
  OpProfile p;
  std::map<std::string, OpCost> types;
  for (const OpTiming& t : totals) {
    auto w = warmup_us.find(t.op_index);
    double us = t.total_us - (w == warmup_us.end() ? 0.0 : w->second);
    double ms = us / 1000.0 / std::max(runs, 1);
    // Ops on another kernel (CONV_2D on the sparse one) count apart.
    const std::string type = t.kernel.empty() ? t.op : t.op + " (" + t.kernel + ")";
    OpCost& c = types[type];
    c.name = type;
    c.count += 1;
    c.ms_per_run += ms;
    c.macs += t.macs;
    // Tensor names are long scope paths whose ends say the most.
    const std::string& n = t.output_name;
    p.by_op.push_back({type + " " + (n.size() > 40 ? "..." + n.substr(n.size() - 37) : n), 1, ms,
                       t.macs});
    p.in_order.push_back(p.by_op.back());
    p.total_ms_per_run += ms;
  }
  for (auto& [name, c] : types) p.by_type.push_back(c);
  auto desc = [](const OpCost& a, const OpCost& b) { return a.ms_per_run > b.ms_per_run; };
  std::stable_sort(p.by_type.begin(), p.by_type.end(), desc);
  std::stable_sort(p.by_op.begin(), p.by_op.end(), desc);
  return p;
}

namespace {

// 2 FLOPs per multiply-accumulate; 0 when unknown.
double Gflops(const OpCost& c) {
  return c.ms_per_run > 0 ? 2.0 * static_cast<double>(c.macs) / (c.ms_per_run * 1e6) : 0.0;
}

nlohmann::json StatsJson(const Stats& s) {
  return {{"runs", s.runs}, {"min_ms", s.min_ms}, {"median_ms", s.median_ms},
          {"p90_ms", s.p90_ms}, {"mean_ms", s.mean_ms}};
}

nlohmann::json CostsJson(const std::vector<OpCost>& costs, int top, double total) {
  nlohmann::json a = nlohmann::json::array();
  for (size_t i = 0; i < costs.size() && static_cast<int>(i) < top; ++i) {
    a.push_back({{"op", costs[i].name}, {"count", costs[i].count},
                 {"ms_per_run", costs[i].ms_per_run},
                 {"share", total > 0 ? costs[i].ms_per_run / total : 0.0}});
    if (costs[i].macs > 0) {
      a.back()["macs"] = costs[i].macs;
      a.back()["gflops"] = Gflops(costs[i]);
    }
  }
  return a;
}

void PrintCosts(const char* title, const std::vector<OpCost>& costs, int top, double total) {
  if (top <= 0 || costs.empty()) return;
  std::printf("%s\n", title);
  for (size_t i = 0; i < costs.size() && static_cast<int>(i) < top; ++i) {
    const OpCost& c = costs[i];
    std::string name = c.name.substr(0, 56);
    std::printf("  %-56s %4d  %9.3f ms  %5.1f%%\n", name.c_str(), c.count,
                c.ms_per_run, total > 0 ? 100.0 * c.ms_per_run / total : 0.0);
  }
}

}  // namespace

nlohmann::json BenchJson(const BenchReport& r, int top) {
  nlohmann::json j = {
      {"model", r.model},
      {"file_bytes", r.info.file_bytes},
      {"ops", r.info.ops},
      {"macs", r.info.macs},
      {"threads", r.threads},
      {"isa", KernelIsa()},
      {"create_ms", r.create_ms},
      {"detlite", StatsJson(r.detlite)},
      {"memory", {{"arena_bytes", r.arena_bytes}, {"constant_bytes", r.constant_bytes},
                  {"peak_rss_bytes", r.peak_rss_bytes}}},
      {"ops_by_type", CostsJson(r.ops.by_type, top, r.ops.total_ms_per_run)},
      {"slowest_ops", CostsJson(r.ops.by_op, top, r.ops.total_ms_per_run)}};
  if (r.per_op) {
    j["per_op"] = CostsJson(r.ops.in_order, static_cast<int>(r.ops.in_order.size()),
                            r.ops.total_ms_per_run);
  }
  if (r.tflite) {
    j["tflite"] = StatsJson(*r.tflite);
    j["tflite"]["runtime"] = "tfjs-tflite WebAssembly (SIMD, 1 thread) under node";
    j["median_ratio_detlite_over_tflite"] = r.detlite.median_ms / r.tflite->median_ms;
  }
  if (r.onnxruntime) {
    j["onnxruntime"] = StatsJson(*r.onnxruntime);
    j["onnxruntime"]["runtime"] = "onnxruntime-node " + r.onnxruntime_version +
                                  " (CPU), runs interleaved with detlite's";
    j["onnxruntime"]["threads"] = r.onnxruntime_threads;
    j["median_ratio_detlite_over_onnxruntime"] = r.detlite.median_ms / r.onnxruntime->median_ms;
  }
  return j;
}

void PrintBench(const BenchReport& r, int top) {
  std::printf("%s: %d ops, %.3f GMACs, %s\n", r.model.c_str(), r.info.ops,
              static_cast<double>(r.info.macs) / 1e9, HumanBytes(r.info.file_bytes).c_str());
  const Stats& s = r.detlite;
  std::printf("detlite (%d thread%s, %s kernels): prepare %.1f ms; %d runs: min %.2f ms, median %.2f ms, p90 %.2f ms\n",
              r.threads, r.threads == 1 ? "" : "s", KernelIsa().c_str(), r.create_ms, s.runs, s.min_ms, s.median_ms, s.p90_ms);
  std::printf("memory: arena %s, constants %s, peak RSS %s\n", HumanBytes(r.arena_bytes).c_str(),
              HumanBytes(r.constant_bytes).c_str(), HumanBytes(r.peak_rss_bytes).c_str());
  PrintCosts("time by op type (per run):", r.ops.by_type, top, r.ops.total_ms_per_run);
  PrintCosts("slowest ops (per run):", r.ops.by_op, top, r.ops.total_ms_per_run);
  if (r.per_op) {
    std::printf("every op in model order (per run; GFLOP/s = 2 * MACs / time):\n");
    for (size_t i = 0; i < r.ops.in_order.size(); ++i) {
      const OpCost& c = r.ops.in_order[i];
      std::printf("  %4zu %-56s %9.3f ms", i, c.name.substr(0, 56).c_str(), c.ms_per_run);
      if (c.macs > 0) std::printf("  %8.1f MMACs  %6.1f GFLOP/s", c.macs / 1e6, Gflops(c));
      std::printf("\n");
    }
  }
  if (r.tflite) {
    const Stats& t = *r.tflite;
    std::printf("TFLite (tfjs-tflite WebAssembly, SIMD, 1 thread): %d runs: min %.2f ms, median %.2f ms, "
                "p90 %.2f ms\n", t.runs, t.min_ms, t.median_ms, t.p90_ms);
    double ratio = s.median_ms / t.median_ms;
    std::printf("median detlite / TFLite = %.2f (%s)\n", ratio,
                ratio <= 1.0 ? "detlite faster" : "detlite slower");
  }
  if (r.onnxruntime) {
    const Stats& t = *r.onnxruntime;
    std::printf("ONNX Runtime %s (CPU, %d thread%s, interleaved): %d runs: min %.2f ms, median %.2f ms, "
                "p90 %.2f ms\n", r.onnxruntime_version.c_str(), r.onnxruntime_threads,
                r.onnxruntime_threads == 1 ? "" : "s", t.runs, t.min_ms, t.median_ms, t.p90_ms);
    double ratio = s.median_ms / t.median_ms;
    std::printf("median detlite / ONNX Runtime = %.2f (%s)\n", ratio,
                ratio <= 1.0 ? "detlite faster" : "detlite slower");
  }
}

}  // namespace detlite::cli
