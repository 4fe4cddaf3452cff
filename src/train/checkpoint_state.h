// What a training checkpoint holds, shared by QAT (qat.h) and fine-tuning
// (finetune.h), and the loop both runs use to write, resume and evaluate
// (issue 13, item 5).
//
// Records (checkpoint.h) of a run:
//   run/kind       text  "qat" or "ssd"
//   run/step       i64   steps done
//   run/model      text  fingerprint of the float model trained
//   option/<flag>  text  every option that must not change on resume
//   run/rng        text  the batch sampler's mt19937_64 state (augmentation
//                        seeds are drawn from it, so it is the only RNG)
//   log/...        f64   loss, learning rate and matches per step; AP points
//   param/<t>      f32   tensor t's trained values (shape = the tensor's)
//   opt/steps      i64   the optimizer's step count (Adam's bias correction)
//   opt/m/<t>, opt/v/<t>  f32  momentum / Adam moments of tensor t
//   mask/<t>       u8    pruned weights of t that stay zero
//   range/<t>      f32   QAT: activation t's own [min, max]
// The learning-rate schedule is a function of run/step and the options.
#ifndef DETLITE_TRAIN_CHECKPOINT_STATE_H_
#define DETLITE_TRAIN_CHECKPOINT_STATE_H_

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "train/checkpoint.h"
#include "train/optimizer.h"
#include "train/param_update.h"

namespace detlite::train {

struct LoggedStep {
  int step = 0;
  double box = 0, cls = 0;
  float lr = 0;
  int matches = 0;
  double seconds = 0;  // not saved (0 after a resume)
  std::string batch;   // the batch's photos, for errors; not saved
};
struct EvalPoint {
  int step = 0;
  double ap = -1, ap50 = -1;  // as CocoSummary::stats: 0..1, -1 unmeasured
  double seconds = 0;
};
struct TrainLog {
  std::vector<LoggedStep> steps;
  std::vector<EvalPoint> evals;
  int resumed_from = 0;  // the checkpoint's step, 0 when not resumed
  double pruned_sparsity = -1;  // a prune schedule's result at export, else -1
};

struct RunCheckpoints {
  std::string path;    // where checkpoints go; empty: none
  int every = 50;      // and always after the last step; 0: only then
  std::string resume;  // a checkpoint to continue from; empty: start afresh
  // (flag, value) pairs that must be the same on resume, e.g. ("--lr", "1e-05").
  std::vector<std::pair<std::string, std::string>> options;
  std::function<void(int step, const std::string& path)> saved;  // may be empty
  // A test's kill: returning true stops the run after that step (and its
  // checkpoint, if one was due) with FailedPrecondition.
  std::function<bool(int step)> stop_after;
};

struct RunEval {
  int every = 0;  // 0: never; else every N steps and after the last
  std::function<StatusOr<EvalPoint>(const ir::Model& exported, int step)> evaluate;
  std::function<void(const EvalPoint&)> done;  // may be empty
};

// A short fingerprint of a model's graph and constants ("crc32c ... , N ops").
std::string ModelFingerprint(const ir::Model& model);

// The trained tensors, optimizer state and masks, to and from a checkpoint;
// a record whose size does not fit the model is refused.
void AddParameters(const ir::Subgraph& sg, const std::vector<int32_t>& params,
                   const Optimizer& optimizer, const ZeroMasks& masks, Checkpoint* c);
Status RestoreParameters(const Checkpoint& c, const std::vector<int32_t>& params,
                         Optimizer* optimizer, ZeroMasks* masks, ir::Subgraph* sg);
// False, naming the first tensor with a NaN or infinity in *which, when a
// parameter is not finite.
bool ParametersFinite(const ir::Subgraph& sg, const std::vector<int32_t>& params, std::string* which);

// The loop of a training run, between set-up and export.
struct RunHooks {
  std::string kind;  // "qat", "ssd", "distill"
  int steps = 0;
  uint64_t seed = 1;
  std::string model_fingerprint;
  // One step: draws its batch from `rng`, trains, and appends to the log.
  std::function<StatusOr<LoggedStep>(std::mt19937_64& rng)> step;
  std::function<void(Checkpoint*)> save;  // the session's state
  std::function<Status(const Checkpoint&)> restore;
  std::function<bool(std::string*)> finite;
  std::function<StatusOr<ir::Model>()> export_model;
};
// Refuses, before any work, a checkpoint to resume from that does not read
// or belongs to another kind of run, model (`hooks.model_fingerprint`) or
// options; the hooks' functions are not used.
Status CheckResume(const RunHooks& hooks, const RunCheckpoints& checkpoints);
// Resumes (when asked), runs the remaining steps, writes checkpoints and
// evaluates as asked, and returns the exported model. A failed step or
// non-finite weights stop the run naming the last good checkpoint, which is
// never overwritten by a bad state.
StatusOr<ir::Model> RunTrainingLoop(const RunHooks& hooks, const RunCheckpoints& checkpoints,
                                    const RunEval& eval, TrainLog* log);

// What every run checks first: positive steps, batch and learning rate,
// and some training images (else `no_images`).
Status CheckRunOptions(int steps, int batch, float lr, int images, const std::string& no_images);
// One subgraph with one float32 input.
bool HasOneFloatInput(const ir::Model& model);

// The hooks every session type answers the same way: its state to and
// from checkpoints, its finiteness, and the export through `export_fn`,
// which also records the prune schedule's result in `history`.
template <typename Session, typename ExportFn>
void BindSession(Session* s, TrainLog* history, ExportFn export_fn, RunHooks* h) {
  h->save = [s](Checkpoint* c) { s->SaveState(c); };
  h->restore = [s](const Checkpoint& c) { return s->RestoreState(c); };
  h->finite = [s](std::string* which) { return s->ParametersFinite(which); };
  h->export_model = [s, history, export_fn]() -> StatusOr<ir::Model> {
    history->pruned_sparsity = s->PrunedSparsity();
    return export_fn();
  };
}

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_CHECKPOINT_STATE_H_
