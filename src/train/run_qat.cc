// RunQat: calibration, the seeded training loop and the export.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <random>

#include "quant/fold_float_weights.h"
#include "quant/range_select.h"
#include "train/backward.h"
#include "train/checkpoint_state.h"
#include "train/qat.h"

namespace detlite::train {
namespace {

StatusOr<std::vector<float>> LoadFloat(const quant::SampleLoader& load, int i) {
  ASSIGN_OR_RETURN(auto buffers, load(i));
  if (buffers.size() != 1 || buffers[0].size() % sizeof(float) != 0) {
    return InvalidArgument("QAT needs one float32 model input");
  }
  std::vector<float> v(buffers[0].size() / sizeof(float));
  std::memcpy(v.data(), buffers[0].data(), buffers[0].size());
  return v;
}

// What both losses share: checks, float16 folding, calibration, the
// session and the loop; `draw` makes one step from the batch sampler.
using QatStepFn = std::function<StatusOr<LoggedStep>(QatSession*, std::mt19937_64&)>;

StatusOr<ir::Model> RunQatLoop(const ir::Model& float_model, int num_calibration,
                               const quant::SampleLoader& calibration, int num_train,
                               const QatOptions& options, const QatStepFn& draw,
                               QuantizeReport* report) {
  RETURN_IF_ERROR(CheckRunOptions(options.steps, options.batch, options.lr,
                                  std::min(num_train, num_calibration), "QAT needs training images"));
  if (!HasOneFloatInput(float_model)) {
    return InvalidArgument("QAT needs a float model with one subgraph and one float32 input");
  }
  ir::Model model = float_model;
  int folded = 0;
  RETURN_IF_ERROR(quant::FoldFloatWeights(model, &folded));
  // Refuse an op without a gradient, or a model the SSD loss cannot train,
  // before spending the calibration.
  ASSIGN_OR_RETURN(std::vector<DistillTarget> targets, FindDistillTargets(model.subgraphs[0]));
  RETURN_IF_ERROR(CheckDifferentiable(model.subgraphs[0], TargetTensors(targets)));
  if (options.ssd_loss) RETURN_IF_ERROR(FindSsdHead(model.subgraphs[0]).status());
  RunHooks h;
  h.kind = "qat";
  h.steps = options.steps;
  h.seed = options.seed;
  h.model_fingerprint = ModelFingerprint(float_model);
  RETURN_IF_ERROR(CheckResume(h, options.checkpoints));
  quant::CalibrationOptions copts;
  copts.threads = options.threads;
  copts.histograms = quant::MethodNeedsHistogram(options.method);
  ASSIGN_OR_RETURN(auto observers, quant::Calibrate(model, num_calibration, calibration, copts));
  QatOptions bound = options;
  RETURN_IF_ERROR(bound.prune.Bind(&model.subgraphs[0]));
  ASSIGN_OR_RETURN(auto session, QatSession::Create(model, std::move(observers), bound));
  QatSession* q = session.get();
  h.step = [&draw, q](std::mt19937_64& rng) { return draw(q, rng); };
  TrainLog own;
  TrainLog* history = options.history != nullptr ? options.history : &own;
  BindSession(q, history, [q, report]() { return q->Export(report); }, &h);
  return RunTrainingLoop(h, options.checkpoints, options.eval, history);
}

LoggedStep Logged(const QatStep& step, const QatOptions& options, std::vector<QatStep>* log) {
  if (log != nullptr) log->push_back(step);
  if (options.progress) options.progress(step);
  return LoggedStep{step.step, step.loss.box, step.loss.cls, step.lr, step.matches, step.seconds, ""};
}

}  // namespace

StatusOr<ir::Model> RunQat(const ir::Model& float_model, int num_calibration,
                           const quant::SampleLoader& calibration, int num_train,
                           const quant::SampleLoader& train, const QatOptions& options,
                           std::vector<QatStep>* log, QuantizeReport* report) {
  if (options.ssd_loss) return InvalidArgument("the SSD loss needs labelled batches: RunQatSsd");
  QatStepFn draw = [&](QatSession* q, std::mt19937_64& rng) -> StatusOr<LoggedStep> {
    std::uniform_int_distribution<int> pick(0, num_train - 1);
    std::vector<std::vector<float>> inputs;
    std::vector<std::string> ids;
    for (int b = 0; b < options.batch; ++b) {
      const int i = pick(rng);
      ASSIGN_OR_RETURN(std::vector<float> v, LoadFloat(train, i));
      inputs.push_back(std::move(v));
      ids.push_back(options.sample_name ? options.sample_name(i) : "image " + std::to_string(i));
    }
    ASSIGN_OR_RETURN(QatStep step, q->Step(inputs, ids));
    LoggedStep logged = Logged(step, options, log);
    for (const std::string& id : ids) logged.batch += (logged.batch.empty() ? "" : ", ") + id;
    return logged;
  };
  return RunQatLoop(float_model, num_calibration, calibration, num_train, options, draw, report);
}

StatusOr<ir::Model> RunQatSsd(const ir::Model& float_model, int num_calibration,
                              const quant::SampleLoader& calibration, int num_samples,
                              const SsdSampleLoader& train, const QatOptions& options,
                              std::vector<QatStep>* log, QuantizeReport* report) {
  if (!options.ssd_loss) return InvalidArgument("RunQatSsd needs options.ssd_loss");
  QatStepFn draw = [&](QatSession* q, std::mt19937_64& rng) -> StatusOr<LoggedStep> {
    ASSIGN_OR_RETURN(std::vector<SsdSample> batch, DrawSsdBatch(rng, num_samples, options.batch, train));
    ASSIGN_OR_RETURN(QatStep step, q->StepSsd(batch));
    LoggedStep logged = Logged(step, options, log);
    for (const SsdSample& b : batch) logged.batch += (logged.batch.empty() ? "" : ", ") + b.name;
    return logged;
  };
  return RunQatLoop(float_model, num_calibration, calibration, num_samples, options, draw, report);
}

}  // namespace detlite::train
