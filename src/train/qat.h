// Quantization-aware training by distillation (issue 13, items 2, 3a, 4):
// the float model is the teacher, its fake-quantized copy (fake_quant.h)
// the student; each step runs a batch of unlabelled photos through both,
// takes the distillation loss (distill.h) of the raw head outputs, back-
// propagates through the fake-quant graph (straight-through estimator) and
// updates the float master weights with SGD or Adam (optimizer.h).
//
// Activation ranges start from the int8 converter's own calibration and
// can then be EMA-tracked (range_momentum > 0): after each step every
// quantized activation's range on the batch (the calibration method applied
// to the batch's values) is blended into its own range; src/quant then
// derives the shared ranges, scale and zero point from these as it would
// from calibration. Off by default: on the SSDLite, 0.01 scored 0.4 AP
// lower than keeping the calibrated ranges (docs/TRAINING.md). Export gives
// the trained weights and those ranges to
// quant::QuantizeFullInteger (no second calibration), so the int8 file is
// the graph the student simulated.
//
// With labels (`--qat --loss ssd`, options.ssd_loss) the loss is the SSD
// loss of fine-tuning (ssd_loss.h) on the student's box encodings and class
// logits, against a batch's boxes (StepSsd) instead of the teacher.
//
// Updated weights need a new interpreter (it packs constant weights when
// created): each step builds the fake-quant graph once and creates one
// interpreter for it, reused for every image of the batch.
#ifndef DETLITE_TRAIN_QAT_H_
#define DETLITE_TRAIN_QAT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "detlite/quantize.h"
#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/calibrate.h"
#include "quant/observer.h"
#include "runtime/interpreter.h"
#include "train/checkpoint_state.h"
#include "train/distill.h"
#include "train/fake_quant.h"
#include "train/forward.h"
#include "train/optimizer.h"
#include "train/param_update.h"
#include "train/prune_schedule.h"
#include "train/ssd_head.h"
#include "train/ssd_loss.h"
#include "train/ssd_sample.h"

namespace detlite::train {

struct QatStep {
  int step = 0;  // 1-based
  // Distillation: the mean over the batch's images; SSD loss: the batch's
  // box and class terms normalized by its matched anchors. Before the update.
  DistillLoss loss;
  int matches = 0;  // SSD loss: matched anchors in the batch
  int64_t pruned = 0;  // weights the prune schedule zeroed after this step
  float lr = 0;
  double seconds = 0;  // wall time of the step
  // Of which: planning, building the fake-quant graph, and creating its
  // interpreter (the first image's forward minus the mean of the others').
  double rebuild_seconds = 0;
};

struct QatOptions {
  int steps = 100;
  int batch = 8;
  OptimizerOptions optimizer;
  float lr = 1e-5f;
  int warmup_steps = -1;  // -1: a tenth of the steps
  LearningRateSchedule schedule;  // after the warmup
  PruneSchedule prune;            // gradual pruning; inactive by default
  uint64_t seed = 1;
  // EMA weight of each step's ranges; 0 (default) keeps the calibrated
  // ones, which scored better on the SSDLite (docs/TRAINING.md).
  float range_momentum = 0.0f;
  float class_weight = 1.0f;  // distillation: the class term against the box term
  // Train on labels with the SSD loss (StepSsd) instead of distilling;
  // `loss`'s scales and background columns come from the model.
  bool ssd_loss = false;
  SsdLossOptions loss;
  int threads = 1;  // forward and backward kernels
  CalibrationMethod method = kDefaultCalibrationMethod;
  float percentile = 99.99f;
  std::function<void(const QatStep&)> progress;
  // Names sample i in errors (e.g. its file); default "image i".
  std::function<std::string(int)> sample_name;
  // RunQat: checkpoints and resume, periodic evaluation of the int8
  // export, and (when not null) the loss and AP history of the whole run.
  RunCheckpoints checkpoints;
  RunEval eval;
  TrainLog* history = nullptr;
};

class QatSession {
 public:
  // `float_model`: float32 weights (quant::FoldFloatWeights first),
  // `observers`: quant::Calibrate on it, as the int8 converter calibrates.
  static StatusOr<std::unique_ptr<QatSession>> Create(const ir::Model& float_model,
                                                      std::map<int32_t, quant::Observer> observers,
                                                      const QatOptions& options);

  const std::vector<DistillTarget>& targets() const { return targets_; }
  // Raw head outputs (targets' order) of the fake-quant student / teacher.
  StatusOr<std::vector<std::vector<float>>> StudentOutputs(const std::vector<float>& input);
  StatusOr<std::vector<std::vector<float>>> TeacherOutputs(const std::vector<float>& input);
  // Mean distillation loss over `inputs`, without training.
  StatusOr<DistillLoss> Loss(const std::vector<std::vector<float>>& inputs);
  // One training step on a batch; `ids` name the images in errors.
  StatusOr<QatStep> Step(const std::vector<std::vector<float>>& inputs,
                         const std::vector<std::string>& ids);
  // One training step with the SSD loss on a labelled batch (ssd_loss set).
  StatusOr<QatStep> StepSsd(const std::vector<SsdSample>& batch);

  const ir::Model& student() const { return student_; }  // float master weights
  const std::map<int32_t, quant::Range>& ranges() const { return own_ranges_; }
  // The int8 model, by detlite's exporter from the current weights and ranges.
  StatusOr<ir::Model> Export(QuantizeReport* report) const;

  // Checkpoints (checkpoint_state.h): the master weights, optimizer state,
  // masks, activation ranges and step; Restore refuses records that do not
  // fit this model.
  void SaveState(Checkpoint* c) const;
  Status RestoreState(const Checkpoint& c);
  bool ParametersFinite(std::string* which) const;
  double PrunedSparsity() const { return options_.prune.Achieved(masks_); }

 private:
  QatSession() = default;
  Status Rebuild();  // plan + fake-quant graph + interpreter for the current state
  StatusOr<DistillLoss> Seed(const std::vector<float>& input,
                             std::map<int32_t, std::vector<float>>* seeds);
  void TrackRanges(std::map<int32_t, quant::Observer>* batch);
  Status SetUpSsdLoss(const ir::Subgraph& sg);  // head_ and its target positions
  // Shared by Step and StepSsd: which tensors the graph computes, the batch
  // ranges of the current forward, and the update that ends a step.
  std::vector<bool> Computed() const;
  void ObserveRanges(const std::vector<bool>& computed, std::map<int32_t, quant::Observer>* batch);
  void Update(std::map<int32_t, std::vector<float>>* sum, double normalizer,
              std::map<int32_t, quant::Observer>* batch, QatStep* out);

  QatOptions options_;
  ir::Model student_;
  ir::Model teacher_;  // truncated to the targets
  std::unique_ptr<runtime::Interpreter> teacher_interp_;
  std::map<int32_t, quant::Observer> observers_;
  std::map<int32_t, quant::Range> own_ranges_;
  std::vector<DistillTarget> targets_;
  SsdHead head_;                 // ssd_loss: anchors, box coder, classes
  size_t head_boxes_ = 0, head_logits_ = 0;  // their positions in targets_
  std::vector<int32_t> params_;  // trained float constants
  ZeroMasks masks_;              // pruned weights that stay zero
  FakeQuantGraph graph_;
  std::unique_ptr<ForwardState> forward_;
  bool stale_ = true;
  Optimizer optimizer_{OptimizerOptions{}};
  int step_ = 0;
  double last_forward_seconds_ = 0;
};

// The tensors of `targets`, in order.
std::vector<int32_t> TargetTensors(const std::vector<DistillTarget>& targets);

// The whole run: folds float16 weights, calibrates on `calibration` as the
// int8 converter does, trains `options.steps` steps on batches drawn from
// `train` (seeded), and exports. `log` (may be null) gets every step.
StatusOr<ir::Model> RunQat(const ir::Model& float_model, int num_calibration,
                           const quant::SampleLoader& calibration, int num_train,
                           const quant::SampleLoader& train, const QatOptions& options,
                           std::vector<QatStep>* log, QuantizeReport* report);
// The same with the SSD loss (options.ssd_loss) on labelled batches drawn
// as fine-tuning draws them (DrawSsdBatch).
StatusOr<ir::Model> RunQatSsd(const ir::Model& float_model, int num_calibration,
                              const quant::SampleLoader& calibration, int num_samples,
                              const SsdSampleLoader& train, const QatOptions& options,
                              std::vector<QatStep>* log, QuantizeReport* report);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_QAT_H_
