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
  ASSIGN_OR_RETURN(auto session, FineTuneSession::Create(model, options));
  FineTuneSession* f = session.get();
  h.step = [&](std::mt19937_64& rng) -> StatusOr<LoggedStep> {
    std::vector<SsdSample> batch;
    for (int b = 0; b < options.batch; ++b) {
      // Two draws per photo, in a fixed order: which photo, and the seed of
      // its augmentation.
      const int i = static_cast<int>(rng() % static_cast<uint64_t>(num_samples));
      const uint64_t augment_seed = rng();
      ASSIGN_OR_RETURN(SsdSample sample, load(i, augment_seed));
      batch.push_back(std::move(sample));
    }
    ASSIGN_OR_RETURN(FineTuneStep step, f->Step(batch));
    if (options.progress) options.progress(step);
    LoggedStep logged{step.step, step.box, step.cls, step.lr, step.matches, step.seconds, ""};
    for (const SsdSample& b : batch) logged.batch += (logged.batch.empty() ? "" : ", ") + b.name;
    return logged;
  };
  h.save = [f](Checkpoint* c) { f->SaveState(c); };
  h.restore = [f](const Checkpoint& c) { return f->RestoreState(c); };
  h.finite = [f](std::string* which) { return f->ParametersFinite(which); };
  h.export_model = [f]() -> StatusOr<ir::Model> { return f->Export(); };
  TrainLog history;
  return RunTrainingLoop(h, options.checkpoints, options.eval,
                         options.history != nullptr ? options.history : &history);
}

}  // namespace detlite::train
