// detlite sweep PLAN.json -o DIR [--shard K/N] [--retry-failed] [--vs-tflite] [--list] [--json]
// detlite sweep merge DIR... -o OUT [--json]
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_common.h"
#include "commands.h"
#include "detlite/sweep.h"
#include "json_util.h"
#include "sweep_output.h"

namespace detlite::cli {
namespace {

struct SweepParams {
  std::string plan;
  std::string out;
  std::string shard;
  bool retry_failed = false;
  bool vs_tflite = false;
  std::string tflite_runner;
  bool list = false;
  bool json = false;
  std::vector<std::string> merge_dirs;
  std::string merge_out;
};

Status RunSweepCommand(const SweepParams& p) {
  if (p.plan.empty()) return InvalidArgument("sweep: give a PLAN.json (see detlite sweep --help)");
  ASSIGN_OR_RETURN(SweepPlan plan, LoadSweepPlan(p.plan));
  std::string source;
  ASSIGN_OR_RETURN(Shard shard, ChooseShard(p.shard, &source));
  if (p.list) {
    PrintTrialList(plan, shard, p.json);
    return Status::Ok();
  }
  if (p.out.empty()) return InvalidArgument("sweep: give -o DIR, where trials and the report go");
  SweepOptions o;
  o.out_dir = p.out;
  o.shard = shard;
  o.retry_failed = p.retry_failed;
  if (p.vs_tflite) o.reference_latency = RealTfliteLatency(p.tflite_runner);
  if (!source.empty()) {
    std::fprintf(stderr, "sweep: shard %d/%d (from %s)\n", shard.index, shard.count, source.c_str());
  }
  const auto start = std::chrono::steady_clock::now();
  o.progress = [start](const SweepProgress& s) { PrintProgress(s, start); };
  ASSIGN_OR_RETURN(SweepSummary summary, RunSweep(plan, o));
  const std::string report = p.out + "/report.html";
  RETURN_IF_ERROR(WriteSweepReport(summary.results, report));
  PrintSummary(summary, shard, report, p.json);
  return Status::Ok();
}

Status RunMerge(const SweepParams& p) {
  ASSIGN_OR_RETURN(std::vector<TrialResult> results, MergeSweeps(p.merge_dirs, p.merge_out));
  const std::string report = p.merge_out + "/report.html";
  RETURN_IF_ERROR(WriteSweepReport(results, report));
  SweepSummary summary;
  summary.plan_hash = results.empty() ? "" : results[0].plan_hash;
  summary.results = results;
  for (const TrialResult& r : results) summary.failed += r.status == "ok" ? 0 : 1;
  summary.trials = static_cast<int>(results.size());
  PrintSummary(summary, Shard{}, report, p.json);
  return Status::Ok();
}

}  // namespace

void AddSweepCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<SweepParams>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Explore the accuracy / latency / size trade-off: every combination of a plan's\n"
      "models x input sizes x quantization settings is a trial that is converted\n"
      "(DIR/models/<id>.tflite), evaluated (COCO AP on the plan's eval set) and timed;\n"
      "each result is DIR/trials/<id>.json, and DIR/report.html plots AP against\n"
      "latency and size with the Pareto front. A killed sweep run again skips the\n"
      "finished trials. The plan format: docs/SWEEP.md; clusters: docs/SCALE.md.\n"
      "  detlite sweep plan.json -o out/            run (or resume) every trial\n"
      "  detlite sweep plan.json --list             the trials, their ids and commands\n"
      "  detlite sweep plan.json -o out/ --shard 2/4   trials with index % 4 == 1\n"
      "  detlite sweep merge out1/ out2/ -o all/    one report from shards\n"
      "Without --shard, SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (Slurm job arrays)\n"
      "or JOB_COMPLETION_INDEX/DETLITE_SHARD_COUNT (Kubernetes Indexed Jobs) choose\n"
      "the shard, in that order. A failed trial is recorded with its error and the\n"
      "sweep goes on (exit 0); --retry-failed runs failed trials again.");
  cmd->add_option("plan", params->plan, "the plan (JSON, docs/SWEEP.md)");
  cmd->add_option("-o,--output", params->out, "the sweep directory (created; reused to resume)")
      ->check(kNonEmpty);
  cmd->add_option("--shard", params->shard, "K/N: run trials whose index % N == K-1 (1-based K)");
  cmd->add_flag("--retry-failed", params->retry_failed, "run trials recorded as failed again");
  cmd->add_flag("--vs-tflite", params->vs_tflite,
                "also time each trial's file in the real TFLite runtime (node, 1 thread)");
  cmd->add_option("--tflite-runner", params->tflite_runner,
                  "the node script that runs TFLite (default: as bench --vs-tflite)");
  cmd->add_flag("--list", params->list, "print the trials (and this shard's share); run nothing");
  cmd->add_flag("--json", params->json, "print the summary as JSON on stdout");
  CLI::App* merge = cmd->add_subcommand(
      "merge",
      "Merge sweep directories of one plan (shards) into one: trial files, models\n"
      "and the same report a single run writes. Refuses results of different plans.\n"
      "Example: detlite sweep merge out1/ out2/ -o all/");
  merge->add_option("dirs", params->merge_dirs, "sweep directories")->required();
  merge->add_option("-o,--output", params->merge_out, "the merged directory")
      ->required()
      ->check(kNonEmpty);
  merge->add_flag("--json", params->json, "print the summary as JSON on stdout");
  cmd->callback([params, run, merge] {
    if (merge->parsed()) {
      *run = [params] { return RunMerge(*params); };
    } else {
      *run = [params] { return RunSweepCommand(*params); };
    }
  });
}

}  // namespace detlite::cli
