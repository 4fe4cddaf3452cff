// A trial's steps, in `detlite convert`'s order: import (a TensorFlow Object
// Detection API SSD gets its post-processing back, as convert does), add
// post-processing, quantize, save; then the saved file is loaded again and
// measured, so the numbers are those of the file a user would ship.
#include "sweep/run_trial.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

#include "detlite/evaluate.h"
#include "detlite/import.h"
#include "detlite/input_size.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "detlite/quantize.h"

namespace detlite::sweep {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

StatusOr<Model> Convert(const SweepPlan& plan, const TrialSpec& t) {
  const SweepModel& m = *t.model;
  ImportReport report;
  Model model(nullptr);
  InputSize size;  // "native": the model's own
  if (t.input_size != "native") {
    ASSIGN_OR_RETURN(size, ParseInputSize(t.input_size));
  }
  if (IsImportablePath(m.resolved)) {
    ImportOptions io;
    io.input_size = size;
    ASSIGN_OR_RETURN(model, ImportModel(m.resolved, io, &report));
  } else {
    ASSIGN_OR_RETURN(model, Model::Load(m.resolved));
    if (size.given()) RETURN_IF_ERROR(SetInputSize(model, size).status().WithContext("--input-size"));
  }
  if (m.add_postprocess || report.ssd.found) {
    PostprocessOptions o = m.postprocess;
    if (report.ssd.found) {
      o.anchor_values = report.ssd.anchors;
      if (o.config.empty() && o.box_scales.empty()) o.box_scales = report.ssd.box_scales;
      if (o.config.empty() && o.score_converter == ScoreConverter::kAuto) {
        o.score_converter = report.ssd.score_converter;
      }
    }
    RETURN_IF_ERROR(AddPostprocess(model, o).status().WithContext("post-processing"));
  }
  const SweepQuantization& q = *t.quantization;
  if (q.mode) {
    QuantizeOptions o;
    o.mode = *q.mode;
    o.per_tensor = q.per_tensor;
    if (q.calibrated()) {
      o.calibration_data = plan.calibration_resolved;
      o.calibration_size = plan.calibration_size;
      o.threads = plan.calibration_threads;
      o.preprocess.preset = plan.preset;
      o.calibration_method = q.calibration_method;
      o.percentile = q.percentile;
      o.equalize = q.equalize;
      o.bias_correction = q.bias_correction;
      o.weight_rounding = q.weight_rounding;
      o.adaround_iterations = q.adaround_iterations;
    }
    RETURN_IF_ERROR(Quantize(model, o).status().WithContext(std::string("quantize ") + q.label));
  }
  return model;
}

// Deterministic inputs of the right sizes: latency does not depend on values
// for these kernels, only on shapes and types.
Status TimeModel(const SweepPlan& plan, const Model& model, TrialResult* r) {
  RunnerOptions ro;
  ro.num_threads = plan.threads;
  ASSIGN_OR_RETURN(Runner runner, Runner::Create(model, ro));
  std::mt19937 rng(1234);
  for (int i = 0; i < runner.num_inputs(); ++i) {
    const TensorInfo info = runner.InputInfo(i);
    int64_t n = info.dtype == "int64"                               ? 8
                : info.dtype == "float32" || info.dtype == "int32" ? 4
                : info.dtype == "int16" || info.dtype == "float16" ? 2
                                                                   : 1;
    for (int32_t d : info.shape) n *= std::max<int32_t>(d, 1);
    std::vector<uint8_t> bytes(static_cast<size_t>(n));
    if (info.dtype == "float32") {
      std::uniform_real_distribution<float> u(-1.0f, 1.0f);
      for (size_t k = 0; k + 4 <= bytes.size(); k += 4) {
        const float v = u(rng);
        std::memcpy(bytes.data() + k, &v, 4);
      }
    } else {
      for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    }
    RETURN_IF_ERROR(runner.SetInput(i, bytes));
  }
  for (int k = 0; k < plan.warmup; ++k) RETURN_IF_ERROR(runner.Run());
  std::vector<double> ms;
  for (int k = 0; k < plan.runs; ++k) {
    const auto s = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(runner.Run());
    ms.push_back(SecondsSince(s) * 1000.0);
  }
  std::sort(ms.begin(), ms.end());
  r->latency_ms = ms[ms.size() / 2];
  r->latency_min_ms = ms.front();
  r->latency_runs = plan.runs;
  r->threads = plan.threads;
  return Status::Ok();
}

Status Measure(const SweepPlan& plan, const TrialSpec& t, const std::string& out_dir,
               const SweepOptions& options, TrialResult* r) {
  const std::string file = out_dir + "/" + r->model_file;
  auto t0 = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(Model converted, Convert(plan, t));
  RETURN_IF_ERROR(converted.Save(file));
  r->convert_seconds = SecondsSince(t0);
  std::error_code ec;
  r->file_bytes = static_cast<int64_t>(std::filesystem::file_size(file, ec));
  ASSIGN_OR_RETURN(Model model, Model::Load(file));
  EvalOptions eo;
  eo.preprocess.preset = plan.preset;
  eo.labels = plan.labels_resolved;
  eo.max_images = plan.max_images;
  eo.report_samples = 0;
  t0 = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(EvalResult eval, EvaluateModel(model, plan.dataset_resolved, eo));
  r->eval_seconds = SecondsSince(t0);
  r->coco.assign(eval.coco.stats.begin(), eval.coco.stats.end());
  r->eval_images = eval.coco.images;
  RETURN_IF_ERROR(TimeModel(plan, model, r).WithContext("latency"));
  if (options.reference_latency) {
    ASSIGN_OR_RETURN(double ms, options.reference_latency(file, plan.warmup, plan.runs));
    r->tflite_latency_ms = ms;
  }
  return Status::Ok();
}

}  // namespace

TrialResult DescribeTrial(const SweepPlan& plan, const TrialSpec& t) {
  TrialResult r;
  r.id = t.id;
  r.index = t.index;
  r.plan_hash = plan.plan_hash;
  r.settings_json = t.settings_json;
  r.model_name = t.model->name;
  r.model_path = t.model->path;
  r.input_size = t.input_size;
  r.quantization = t.quantization->label;
  r.pruning = t.pruning;
  r.model_file = "models/" + t.id + ".tflite";
  r.command = TrialCommand(plan, t, r.model_file);
  r.metric = plan.metric;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) == 0) r.host = host;
  return r;
}

TrialResult RunTrial(const SweepPlan& plan, const TrialSpec& t, const std::string& out_dir,
                     const SweepOptions& options) {
  TrialResult r = DescribeTrial(plan, t);
  Status s = Measure(plan, t, out_dir, options, &r);
  r.status = s.ok() ? "ok" : "failed";
  if (!s.ok()) r.error = s.message();
  return r;
}

}  // namespace detlite::sweep
