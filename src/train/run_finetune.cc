// RunFineTune: the seeded batch draws and the training loop.
#include <random>

#include "quant/fold_float_weights.h"
#include "train/backward.h"
#include "train/checkpoint_state.h"
#include "train/finetune.h"

namespace detlite::train {

StatusOr<ir::Model> RunFineTune(const ir::Model& float_model, int num_samples,
                                const SsdSampleLoader& load, const FineTuneOptions& options) {
  if (options.steps <= 0 || options.batch <= 0) {
    return InvalidArgument("--steps and --batch must be positive");
  }
  if (num_samples <= 0) return InvalidArgument("fine-tuning needs labelled training images");
  if (!(options.lr > 0)) return InvalidArgument("--lr must be positive");
  if (float_model.subgraphs.size() != 1 || float_model.subgraphs[0].inputs.size() != 1 ||
      float_model.subgraphs[0].tensors[static_cast<size_t>(float_model.subgraphs[0].inputs[0])].dtype !=
          DType::kFloat32) {
    return InvalidArgument("fine-tuning needs a float model with one subgraph and one float32 input");
  }
  ir::Model model = float_model;
  int folded = 0;
  RETURN_IF_ERROR(quant::FoldFloatWeights(model, &folded));
  RunHooks h;
  h.kind = "ssd";
  h.steps = options.steps;
  h.seed = options.seed;
  h.model_fingerprint = ModelFingerprint(float_model);
  RETURN_IF_ERROR(CheckResume(h, options.checkpoints));
  FineTuneOptions bound = options;
  RETURN_IF_ERROR(bound.prune.Bind(&model.subgraphs[0]));
  ASSIGN_OR_RETURN(auto session, FineTuneSession::Create(model, bound));
  FineTuneSession* f = session.get();
  h.step = [&](std::mt19937_64& rng) -> StatusOr<LoggedStep> {
    ASSIGN_OR_RETURN(std::vector<SsdSample> batch, DrawSsdBatch(rng, num_samples, options.batch, load));
    ASSIGN_OR_RETURN(FineTuneStep step, f->Step(batch));
    if (options.progress) options.progress(step);
    LoggedStep logged{step.step, step.box, step.cls, step.lr, step.matches, step.seconds, ""};
    for (const SsdSample& b : batch) logged.batch += (logged.batch.empty() ? "" : ", ") + b.name;
    return logged;
  };
  h.save = [f](Checkpoint* c) { f->SaveState(c); };
  h.restore = [f](const Checkpoint& c) { return f->RestoreState(c); };
  h.finite = [f](std::string* which) { return f->ParametersFinite(which); };
  TrainLog own;
  TrainLog* history = options.history != nullptr ? options.history : &own;
  h.export_model = [f, history]() -> StatusOr<ir::Model> {
    history->pruned_sparsity = f->PrunedSparsity();
    return f->Export();
  };
  return RunTrainingLoop(h, options.checkpoints, options.eval, history);
}

}  // namespace detlite::train
