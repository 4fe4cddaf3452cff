// What TrainQat and FineTuneSsd share around the training loop: the options
// a checkpoint fingerprints, the periodic evaluation through
// detlite::EvaluateModel, and the report's history after a resume.
#ifndef DETLITE_API_TRAIN_RUN_H_
#define DETLITE_API_TRAIN_RUN_H_

#include "detlite/train.h"
#include "train/checkpoint_state.h"
#include "train/finetune.h"
#include "train/optimizer.h"

namespace detlite::api {

// Checkpoint path, period, resume and the (flag, value) pairs that must not
// change on resume (the CLI's flag names, so a refusal names the flag).
// TrainOptions' optimizer (kind and SGD momentum).
train::OptimizerOptions OptimizerOf(const TrainOptions& options);

// The float training loop's options from TrainOptions: steps, batch,
// optimizer, learning rate, warmup and schedule, seed, threads (the loss,
// prune schedule, progress, checkpoints and evaluation are the caller's).
StatusOr<train::FineTuneOptions> FineTuneOptionsOf(const TrainOptions& options);

// A fine-tuning step (SSD loss or distillation) as the API reports it.
TrainProgress ProgressOf(const train::FineTuneStep& s, const TrainOptions& options, bool ssd_loss);

// `path` made absolute (as given when that fails), for checkpoint options.
std::string AbsolutePath(const std::string& path);

// TrainOptions' augmentations as --augment lists them ("flip,crop"; empty
// for none).
std::string AugmentList(const TrainOptions& options);

// `qat`: quantization-aware training; `ssd`: the SSD loss on labels; the
// --augment list is recorded for the SSD loss and float distillation.
train::RunCheckpoints CheckpointsOf(const TrainOptions& options, bool qat, bool ssd);

// TrainOptions' learning-rate schedule; refuses step boundaries that are
// not increasing, not after the warmup or not before the last step, and a
// decay outside (0, 1].
StatusOr<train::LearningRateSchedule> ScheduleOf(const TrainOptions& options);

// Refuses, before training, an eval dataset that does not load or has no
// labels, or that `model` cannot be evaluated on (tried on its first
// photo); then the evaluation hook (none without eval_data).
Status CheckEvalData(const Model& model, const TrainOptions& options);
train::RunEval EvalOf(const TrainOptions& options);

// report->steps gets the steps done before the resumed checkpoint in front
// of the ones seen live; report->evals every evaluation.
void FillHistory(const train::TrainLog& log, const TrainOptions& options, TrainReport* report);

}  // namespace detlite::api

#endif  // DETLITE_API_TRAIN_RUN_H_
