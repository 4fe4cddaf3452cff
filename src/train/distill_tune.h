// Float fine-tuning by distillation from a teacher (`detlite train STUDENT
// --distill --teacher TEACHER`, issue 14 item 5): a pruned or channel-pruned
// student learns the raw head outputs (box encodings and class logits,
// distill.h) of the model it was pruned from, on unlabelled photos. Every
// photo then teaches every anchor, where labels teach only the matched
// ones, so a few hundred photos go further. The student's and teacher's
// head outputs must have the same shapes (channel pruning keeps them).
// Optimizer, schedule, masks, gradual pruning, checkpoints and evaluation
// are fine-tuning's (finetune.h); only the loss differs.
#ifndef DETLITE_TRAIN_DISTILL_TUNE_H_
#define DETLITE_TRAIN_DISTILL_TUNE_H_

#include <memory>
#include <string>
#include <vector>

#include "quant/calibrate.h"
#include "runtime/interpreter.h"
#include "train/distill.h"
#include "train/finetune.h"

namespace detlite::train {

class DistillTuneSession {
 public:
  // Both models float32 (quant::FoldFloatWeights first). `class_weight`
  // weighs the class term against the box term.
  static StatusOr<std::unique_ptr<DistillTuneSession>> Create(const ir::Model& student,
                                                              const ir::Model& teacher,
                                                              const FineTuneOptions& options,
                                                              float class_weight);
  // The mean loss over `inputs` at the current weights, without training.
  StatusOr<DistillLoss> Loss(const std::vector<std::vector<float>>& inputs);
  // One step; `ids` name the photos in errors. FineTuneStep::box/cls are the
  // distillation terms (matches and boxes stay 0).
  StatusOr<FineTuneStep> Step(const std::vector<std::vector<float>>& inputs,
                              const std::vector<std::string>& ids);
  ir::Model Export() const;  // the whole student with the current weights

  void SaveState(Checkpoint* c) const;
  Status RestoreState(const Checkpoint& c);
  bool ParametersFinite(std::string* which) const;
  double PrunedSparsity() const { return options_.prune.Achieved(masks_); }

 private:
  DistillTuneSession() = default;
  StatusOr<DistillLoss> Run(const std::vector<std::vector<float>>& inputs,
                            const std::vector<std::string>& ids, bool train, int step);

  FineTuneOptions options_;
  float class_weight_ = 1.0f;
  ir::Model full_;   // the student as given
  ir::Model graph_;  // cut at its head outputs; same tensor indices
  std::vector<DistillTarget> targets_;
  ir::Model teacher_;  // cut at its head outputs
  std::unique_ptr<runtime::Interpreter> teacher_interp_;
  std::vector<int32_t> params_;
  ZeroMasks masks_;
  std::unique_ptr<ForwardState> forward_;  // null after an update
  Optimizer optimizer_{OptimizerOptions{}};
  int step_ = 0;
  float last_lr_ = 0;
  int64_t last_pruned_ = 0;
};

// The whole run: batches of unlabelled photos drawn from `train` (seeded),
// returns the trained float student.
StatusOr<ir::Model> RunDistillTune(const ir::Model& student, const ir::Model& teacher, int num_train,
                                   const quant::SampleLoader& train, const FineTuneOptions& options,
                                   float class_weight);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_DISTILL_TUNE_H_
