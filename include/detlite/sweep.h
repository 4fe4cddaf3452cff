// Trade-off sweeps (what `detlite sweep` does): a plan file lists models x
// input sizes x quantization settings; each combination is a trial that is
// converted, measured (file size, COCO AP on an eval set, latency) and
// recorded as one JSON file, so a killed sweep resumes and shards of one plan
// run on many machines and merge into one report.
//
//   ASSIGN_OR_RETURN(detlite::SweepPlan plan, detlite::LoadSweepPlan("plan.json"));
//   detlite::SweepOptions o;
//   o.out_dir = "sweep_out";
//   ASSIGN_OR_RETURN(detlite::SweepSummary s, detlite::RunSweep(plan, o));
//   RETURN_IF_ERROR(detlite::WriteSweepReport(s.results, "sweep_out/report.html"));
//
// The plan format is documented in docs/SWEEP.md.
#ifndef DETLITE_SWEEP_H_
#define DETLITE_SWEEP_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/postprocess.h"
#include "detlite/settings.h"
#include "detlite/shard.h"
#include "detlite/status.h"

namespace detlite {

struct SweepModel {
  std::string path;      // as written in the plan (relative to the plan's folder)
  std::string resolved;  // the file to read
  std::string name;      // display name (default: the file name)
  // "postprocess" in the plan: append TFLite_Detection_PostProcess, as
  // `detlite convert --add-postprocess` with `postprocess_flags`.
  bool add_postprocess = false;
  PostprocessOptions postprocess;  // config path resolved
  std::vector<std::string> postprocess_flags;  // for the recreating command
  std::string canonical;  // JSON of the settings that shape the file
};

// One quantization setting of the plan; mode "float32" means none.
struct SweepQuantization {
  std::optional<QuantizeMode> mode;  // empty = float32
  CalibrationMethod calibration_method = kDefaultCalibrationMethod;
  float percentile = 99.99f;
  bool per_tensor = false;
  Equalization equalize = kDefaultEqualization;
  BiasCorrection bias_correction = kDefaultBiasCorrection;
  WeightRounding weight_rounding = WeightRounding::kNearest;
  int adaround_iterations = 1000;
  std::string label;  // e.g. "int8 (minmax, adaround)"
  std::string canonical;  // JSON, every option the mode takes (defaults filled)
  bool calibrated() const {
    return mode && (*mode == QuantizeMode::kInt8 || *mode == QuantizeMode::kInt16x8);
  }
};

struct SweepPlan {
  std::string path;       // the plan file
  std::string plan_hash;  // of the plan's canonical JSON: shards check it
  std::vector<SweepModel> models;
  std::vector<std::string> input_sizes;  // "native" or "HxW" (convert --input-size)
  std::vector<SweepQuantization> quantization;
  std::vector<double> pruning;  // reserved: {0} only
  // Eval set.
  std::string dataset, dataset_resolved;
  int64_t max_images = -1;
  std::string labels, labels_resolved;
  std::string metric = "AP";  // the y axis of the report: one of CocoStatNames()
  PreprocessPreset preset = PreprocessPreset::kAuto;  // eval and calibration
  // Latency: warmup, then the median of `runs` timed runs.
  int threads = 1;
  int runs = 10;
  int warmup = 2;
  // Calibration (int8/int16x8 trials).
  std::string calibration_data, calibration_resolved;
  int calibration_size = 100;
  int calibration_threads = 2;
};

// Reads and validates a whole plan before anything runs. Every error names
// the plan file and the JSON path of the bad field ("plan.json: /models/0/path:
// no such file 'x.tflite'"); unknown keys are errors.
StatusOr<SweepPlan> LoadSweepPlan(const std::string& path);
StatusOr<SweepPlan> ParseSweepPlan(const std::string& json_text, const std::string& path);

// One point of the plan's grid.
struct TrialSpec {
  int index = 0;            // in expansion order: models, sizes, quantization, pruning
  std::string id;           // 12 hex digits: hash of the canonical settings
  std::string settings_json;  // the canonical settings (sorted keys)
  const SweepModel* model = nullptr;
  std::string input_size;
  const SweepQuantization* quantization = nullptr;
  double pruning = 0;
};

// Every trial of the plan, in a fixed order (the same on every machine).
std::vector<TrialSpec> ExpandTrials(const SweepPlan& plan);

// The `detlite convert ...` command that recreates a trial's file.
std::string TrialCommand(const SweepPlan& plan, const TrialSpec& trial, const std::string& output);

struct TrialResult {
  std::string id;
  int index = 0;
  std::string plan_hash;
  std::string status;  // "ok" or "failed"
  std::string error;   // when failed
  std::string settings_json;
  std::string model_name, model_path, input_size, quantization;
  double pruning = 0;
  std::string command;  // detlite convert ... (paths as in the plan)
  std::string model_file;  // relative to the sweep directory
  int64_t file_bytes = 0;
  double convert_seconds = 0;
  double eval_seconds = 0;
  std::vector<double> coco;  // the 12 COCO stats, CocoStatNames() order
  int eval_images = 0;
  double latency_ms = 0;  // median
  double latency_min_ms = 0;
  int latency_runs = 0;
  int threads = 1;
  std::optional<double> tflite_latency_ms;  // --vs-tflite
  std::string metric = "AP";
  std::string host;
  double Metric() const;  // coco[metric], -1 if unknown
};

struct SweepProgress {
  int done = 0;   // trials finished by this process so far
  int total = 0;  // trials this process will run
  const TrialResult* last = nullptr;
  int skipped = 0;  // finished earlier (resumed)
};

struct SweepOptions {
  std::string out_dir;
  Shard shard;
  bool retry_failed = false;  // run again trials recorded as failed
  std::function<void(const SweepProgress&)> progress;
  // Optional second latency (e.g. the real TFLite runtime) of a written
  // .tflite: median milliseconds.
  std::function<StatusOr<double>(const std::string& tflite, int warmup, int runs)> reference_latency;
};

struct SweepSummary {
  std::string plan_hash;
  int trials = 0;    // in the plan
  int ran = 0;       // by this call
  int skipped = 0;   // already finished in out_dir
  int failed = 0;    // among results
  std::vector<TrialResult> results;  // every trial result in out_dir, by index
};

// Runs the plan's trials of `options.shard` that out_dir does not hold yet.
// A failed trial is recorded (status "failed", the error) and the sweep goes
// on; the returned Status is an error only when nothing can run (out_dir
// unwritable, or holding results of another plan).
StatusOr<SweepSummary> RunSweep(const SweepPlan& plan, const SweepOptions& options);

// Reads DIR/trials/*.json of each directory; all must carry one plan hash.
// A trial present twice keeps its first "ok" record.
StatusOr<std::vector<TrialResult>> ReadTrialResults(const std::vector<std::string>& dirs);

// Gathers the trial results of several sweep directories of one plan (shards)
// into `out_dir`: trials/*.json and, where present, models/*.tflite.
StatusOr<std::vector<TrialResult>> MergeSweeps(const std::vector<std::string>& dirs,
                                               const std::string& out_dir);

// Indices into `points` of the Pareto-optimal ones: no other point has
// cost <= and value >= with one of them strict. Ties on both are all kept.
struct ParetoPoint {
  double cost = 0;   // lower is better (latency, size)
  double value = 0;  // higher is better (AP)
};
std::vector<size_t> ParetoFront(const std::vector<ParetoPoint>& points);

// One self-contained HTML page: AP vs latency and AP vs size scatter plots
// with the Pareto front, a sortable table, each trial's convert command.
Status WriteSweepReport(const std::vector<TrialResult>& results, const std::string& path);

// JSON of a trial result (the file DIR/trials/<id>.json holds) and back.
std::string TrialResultJson(const TrialResult& r);
StatusOr<TrialResult> ParseTrialResult(const std::string& json_text, const std::string& path);

}  // namespace detlite

#endif  // DETLITE_SWEEP_H_
