// RunDistillTune: checks, float16 folding, the seeded batch draws and the
// training loop of float distillation from a teacher.
#include <cstring>
#include <random>

#include "quant/fold_float_weights.h"
#include "train/backward.h"
#include "train/checkpoint_state.h"
#include "train/distill_tune.h"

namespace detlite::train {

StatusOr<ir::Model> RunDistillTune(const ir::Model& student, const ir::Model& teacher, int num_train,
                                   const quant::SampleLoader& train, const FineTuneOptions& options,
                                   float class_weight) {
  RETURN_IF_ERROR(CheckRunOptions(options.steps, options.batch, options.lr, num_train,
                                  "distillation needs training images"));
  for (const ir::Model* m : {&student, &teacher}) {
    if (!HasOneFloatInput(*m)) {
      return InvalidArgument(std::string(m == &student ? "the model" : "--teacher") +
                             " must be float, with one subgraph and one float32 input");
    }
  }
  const ir::Tensor& a = student.subgraphs[0].tensors[static_cast<size_t>(student.subgraphs[0].inputs[0])];
  const ir::Tensor& b = teacher.subgraphs[0].tensors[static_cast<size_t>(teacher.subgraphs[0].inputs[0])];
  if (a.shape != b.shape) {
    return InvalidArgument("--teacher's input " + b.shape.ToString() + " is not the model's " + a.shape.ToString());
  }
  ir::Model s = student, t = teacher;
  int folded = 0;
  RETURN_IF_ERROR(quant::FoldFloatWeights(s, &folded));
  RETURN_IF_ERROR(quant::FoldFloatWeights(t, &folded));
  RunHooks h;
  h.kind = "distill";
  h.steps = options.steps;
  h.seed = options.seed;
  h.model_fingerprint = ModelFingerprint(student);
  RETURN_IF_ERROR(CheckResume(h, options.checkpoints));
  FineTuneOptions bound = options;
  RETURN_IF_ERROR(bound.prune.Bind(&s.subgraphs[0]));
  ASSIGN_OR_RETURN(auto session, DistillTuneSession::Create(s, t, bound, class_weight));
  DistillTuneSession* d = session.get();
  h.step = [&](std::mt19937_64& rng) -> StatusOr<LoggedStep> {
    std::uniform_int_distribution<int> pick(0, num_train - 1);
    std::vector<std::vector<float>> inputs;
    std::vector<std::string> ids;
    for (int k = 0; k < options.batch; ++k) {
      const int i = pick(rng);
      ASSIGN_OR_RETURN(auto buffers, train(i));
      if (buffers.size() != 1 || buffers[0].size() != a.shape.NumElements() * sizeof(float)) {
        return InvalidArgument("distillation needs one float32 input of the model's size");
      }
      std::vector<float> v(buffers[0].size() / sizeof(float));
      std::memcpy(v.data(), buffers[0].data(), buffers[0].size());
      inputs.push_back(std::move(v));
      ids.push_back("image " + std::to_string(i));
    }
    ASSIGN_OR_RETURN(FineTuneStep step, d->Step(inputs, ids));
    if (options.progress) options.progress(step);
    LoggedStep logged{step.step, step.box, step.cls, step.lr, 0, step.seconds, ""};
    for (const std::string& id : ids) logged.batch += (logged.batch.empty() ? "" : ", ") + id;
    return logged;
  };
  TrainLog own;
  TrainLog* history = options.history != nullptr ? options.history : &own;
  BindSession(d, history, [d]() { return d->Export(); }, &h);
  return RunTrainingLoop(h, options.checkpoints, options.eval, history);
}

}  // namespace detlite::train
