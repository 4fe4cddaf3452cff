// Float fine-tuning of an SSD detector with the Object Detection API's SSD
// loss on labelled photos (issue 13, items 3b and 4; `detlite train
// --loss ssd`). The graph is cut before TFLite_Detection_PostProcess, at
// its box encodings and class logits (ssd_head.h); each step runs a batch
// image by image forward and back on the float graph, takes the SSD loss
// (ssd_loss.h) normalized by the batch's matched anchors, and updates the
// weights with the same optimizer and schedule as QAT (optimizer.h,
// param_update.h). The exported model is the whole float model, post-
// processing included, with the trained weights.
#ifndef DETLITE_TRAIN_FINETUNE_H_
#define DETLITE_TRAIN_FINETUNE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "train/checkpoint_state.h"
#include "train/forward.h"
#include "train/optimizer.h"
#include "train/param_update.h"
#include "train/prune_schedule.h"
#include "train/ssd_head.h"
#include "train/ssd_loss.h"
#include "train/ssd_sample.h"

namespace detlite::train {

struct FineTuneStep {
  int step = 0;        // 1-based
  double box = 0;      // localization loss, normalized by the matches
  double cls = 0;      // classification loss, normalized by the matches
  int matches = 0;     // matched anchors in the batch (the normalizer)
  int boxes = 0;       // ground-truth boxes in the batch
  int64_t pruned = 0;  // weights the prune schedule zeroed after this step
  float lr = 0;
  double seconds = 0;
};

struct FineTuneOptions {
  int steps = 100;
  int batch = 8;
  OptimizerOptions optimizer;
  float lr = 1e-5f;
  int warmup_steps = -1;  // -1: a tenth of the steps
  LearningRateSchedule schedule;  // after the warmup
  PruneSchedule prune;            // gradual pruning; inactive by default
  uint64_t seed = 1;      // batch draws and augmentation
  int threads = 1;
  SsdLossOptions loss;    // scales, background columns: from the model
  std::function<void(const FineTuneStep&)> progress;
  // RunFineTune: checkpoints and resume, periodic evaluation of the float
  // export, and (when not null) the loss and AP history of the whole run.
  RunCheckpoints checkpoints;
  RunEval eval;
  TrainLog* history = nullptr;
};

class FineTuneSession {
 public:
  // `float_model`: float32 weights (quant::FoldFloatWeights first).
  static StatusOr<std::unique_ptr<FineTuneSession>> Create(const ir::Model& float_model,
                                                           const FineTuneOptions& options);
  const SsdHead& head() const { return head_; }
  // The loss of a batch at the current weights, without training.
  StatusOr<FineTuneStep> Loss(const std::vector<SsdSample>& batch);
  StatusOr<FineTuneStep> Step(const std::vector<SsdSample>& batch);
  // The whole model with the current weights.
  ir::Model Export() const;

  // Checkpoints (checkpoint_state.h): weights, optimizer state, masks and
  // step; Restore refuses records that do not fit this model.
  void SaveState(Checkpoint* c) const;
  Status RestoreState(const Checkpoint& c);
  bool ParametersFinite(std::string* which) const;
  double PrunedSparsity() const { return options_.prune.Achieved(masks_); }

 private:
  FineTuneSession() = default;
  StatusOr<FineTuneStep> Run(const std::vector<SsdSample>& batch, bool train);

  FineTuneOptions options_;
  ir::Model full_;   // with the post-processing
  ir::Model graph_;  // cut at the head's two tensors; same tensor indices
  SsdHead head_;
  std::vector<int32_t> params_;
  ZeroMasks masks_;  // pruned weights that stay zero
  std::unique_ptr<ForwardState> forward_;  // null after an update
  Optimizer optimizer_{OptimizerOptions{}};
  int step_ = 0;
};

// Draws `options.steps` batches from `num_samples` (seeded), loading each
// with `load(index, augmentation_seed)`, trains, and returns the model.
StatusOr<ir::Model> RunFineTune(const ir::Model& float_model, int num_samples,
                                const SsdSampleLoader& load, const FineTuneOptions& options);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_FINETUNE_H_
