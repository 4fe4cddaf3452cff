// RunQat: calibration, the seeded training loop and the export.
#include <chrono>
#include <cstring>
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

}  // namespace

StatusOr<ir::Model> RunQat(const ir::Model& float_model, int num_calibration,
                           const quant::SampleLoader& calibration, int num_train,
                           const quant::SampleLoader& train, const QatOptions& options,
                           std::vector<QatStep>* log, QuantizeReport* report) {
  if (options.steps <= 0 || options.batch <= 0) {
    return InvalidArgument("--steps and --batch must be positive");
  }
  if (num_train <= 0 || num_calibration <= 0) return InvalidArgument("QAT needs training images");
  if (!(options.lr > 0)) return InvalidArgument("--lr must be positive");
  if (float_model.subgraphs.size() != 1 || float_model.subgraphs[0].inputs.size() != 1 ||
      float_model.subgraphs[0].tensors[static_cast<size_t>(float_model.subgraphs[0].inputs[0])].dtype !=
          DType::kFloat32) {
    return InvalidArgument("QAT needs a float model with one subgraph and one float32 input");
  }
  ir::Model model = float_model;
  int folded = 0;
  RETURN_IF_ERROR(quant::FoldFloatWeights(model, &folded));
  // Refuse an op without a gradient before spending the calibration.
  ASSIGN_OR_RETURN(std::vector<DistillTarget> targets, FindDistillTargets(model.subgraphs[0]));
  RETURN_IF_ERROR(CheckDifferentiable(model.subgraphs[0], TargetTensors(targets)));
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
  ASSIGN_OR_RETURN(auto session, QatSession::Create(model, std::move(observers), options));
  QatSession* q = session.get();
  h.step = [&](std::mt19937_64& rng) -> StatusOr<LoggedStep> {
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
    if (log != nullptr) log->push_back(step);
    if (options.progress) options.progress(step);
    LoggedStep logged{step.step, step.loss.box, step.loss.cls, step.lr, 0, step.seconds, ""};
    for (const std::string& id : ids) logged.batch += (logged.batch.empty() ? "" : ", ") + id;
    return logged;
  };
  h.save = [q](Checkpoint* c) { q->SaveState(c); };
  h.restore = [q](const Checkpoint& c) { return q->RestoreState(c); };
  h.finite = [q](std::string* which) { return q->ParametersFinite(which); };
  h.export_model = [q, report]() { return q->Export(report); };
  TrainLog history;
  return RunTrainingLoop(h, options.checkpoints, options.eval,
                         options.history != nullptr ? options.history : &history);
}

}  // namespace detlite::train
