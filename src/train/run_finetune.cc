// RunFineTune: the seeded batch draws and the training loop.
#include <random>

#include "quant/fold_float_weights.h"
#include "train/backward.h"
#include "train/checkpoint_state.h"
#include "train/finetune.h"

namespace detlite::train {

StatusOr<ir::Model> RunFineTune(const ir::Model& float_model, int num_samples,
                                const SsdSampleLoader& load, const FineTuneOptions& options) {
  RETURN_IF_ERROR(CheckRunOptions(options.steps, options.batch, options.lr, num_samples,
                                  "fine-tuning needs labelled training images"));
  if (!HasOneFloatInput(float_model)) {
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
  TrainLog own;
  TrainLog* history = options.history != nullptr ? options.history : &own;
  BindSession(f, history, [f]() { return f->Export(); }, &h);
  return RunTrainingLoop(h, options.checkpoints, options.eval, history);
}

}  // namespace detlite::train
