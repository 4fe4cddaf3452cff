// Training (what `detlite train` does). Quantization-aware training by
// distillation (`--qat`): the float model teaches a fake-quantized copy of itself on
// unlabelled photos, then detlite's int8 exporter writes the trained weights
// with the trained activation ranges.
//
//   detlite::TrainOptions opts;
//   opts.data = "coco_train2017_288/images";
//   opts.steps = 200;
//   ASSIGN_OR_RETURN(detlite::TrainReport report, detlite::TrainQat(model, opts));
//   RETURN_IF_ERROR(model.Save("model_qat_int8.tflite"));
//
// The int8 model follows the same specification as detlite::Quantize
// (detlite/quantize.h) with the same calibration (the first
// `calibration_size` images of `data`) as the starting point.
#ifndef DETLITE_TRAIN_H_
#define DETLITE_TRAIN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/quantize.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite {

enum class TrainOptimizer { kAdam, kSgd };
// The learning rate after the warmup: cosine decay to 0, constant, or
// steps (TrainOptions::lr_boundaries, as the Object Detection API's
// manual_step_learning_rate).
enum class LrSchedule { kCosine, kConstant, kStep };
// TrainQat's loss: distillation from the float model (needs no labels) or
// the SSD loss of FineTuneSsd on a labelled dataset's boxes. kAuto: the SSD
// loss when `data` is a labelled dataset (COCO json, VOC, TFRecord), else
// distillation.
enum class QatLoss { kAuto, kDistill, kSsd };
// FineTuneSsd's classification loss: the Object Detection API's
// weighted_sigmoid (default, the SSDLite config's), weighted_sigmoid_focal
// (gamma 2, alpha 0.25) or weighted_softmax.
enum class SsdClassLoss { kSigmoid, kSigmoidFocal, kSoftmax };

struct TrainProgress {
  int step = 0;  // 1-based
  int steps = 0;
  double box_loss = 0;    // squared error of the box encodings, per anchor
  double class_loss = 0;  // KL divergence of the sigmoid scores, per anchor
  float learning_rate = 0;
  double seconds = 0;         // this step
  double images_per_second = 0;
  double rebuild_seconds = 0;  // of which: fake-quant graph and interpreter creation
  int matches = 0;  // SSD loss: matched anchors in the batch (the loss's normalizer)
  bool ssd_loss = false;  // box_loss / class_loss are the SSD loss's, not distillation's
  int64_t pruned = 0;  // weights the prune schedule zeroed after this step
};

// One evaluation during training: COCO AP of the model exported as the
// final output would be (int8 for TrainQat, float for FineTuneSsd) on
// TrainOptions::eval_data.
struct TrainEvalPoint {
  int step = 0;
  double ap = -1;    // AP @[.50:.95], 0..1 (CocoSummary::stats[0])
  double ap50 = -1;  // AP @.50
  double seconds = 0;
};

struct TrainOptions {
  // A folder of images (JPEG/PNG/BMP) or a dataset; labels are not used.
  std::string data;
  int calibration_size = 100;  // as detlite::QuantizeOptions
  CalibrationMethod calibration_method = kDefaultCalibrationMethod;
  float percentile = 99.99f;
  PreprocessOptions preprocess;
  int steps = 100;
  int batch = 8;
  TrainOptimizer optimizer = TrainOptimizer::kAdam;
  float learning_rate = 1e-5f;  // peak, after warmup; then as lr_schedule says
  LrSchedule lr_schedule = LrSchedule::kCosine;
  // kStep: from each of these 0-based steps on (increasing, after the
  // warmup) the rate is multiplied by lr_decay once more.
  std::vector<int> lr_boundaries;
  float lr_decay = 0.1f;
  float momentum = 0.9f;        // SGD
  int warmup_steps = -1;        // -1: a tenth of the steps
  uint64_t seed = 1;            // batches drawn from `data`
  // EMA weight of each step's activation ranges; 0 (default) keeps the
  // calibrated ones (0.01 scored lower on the SSDLite: docs/TRAINING.md).
  float range_momentum = 0.0f;
  // Weight of the class-score term of the loss against the box term
  // (distillation).
  float class_weight = 1.0f;
  // TrainQat's loss. With the SSD loss the settings below (labels, class
  // loss, hard mining, pipeline config, augmentations) apply as in
  // FineTuneSsd, and calibration uses the dataset's first photos.
  QatLoss qat_loss = QatLoss::kAuto;
  // DistillFineTune: the model whose head outputs the trained model learns
  // (any model detlite loads; typically the one it was pruned from).
  std::string teacher;
  int threads = 2;
  // FineTuneSsd's augmentations: random horizontal flip, random crop
  // keeping boxes (drawn from `seed`, as is the color jitter below).
  bool augment_flip = true;
  bool augment_crop = true;
  // Color jitter (brightness, contrast, saturation; off by default).
  bool augment_color = false;
  // FineTuneSsd: a label map naming the model's classes, matched to the
  // dataset's categories by name (as `detlite eval --labels`); empty: the
  // model's own label map, else class c = category id c + 1.
  std::string labels;
  SsdClassLoss ssd_class_loss = SsdClassLoss::kSigmoid;
  // Hard example mining (3 negatives per positive, at least 3); off: every
  // positive and negative anchor counts.
  bool ssd_hard_mining = true;
  // FineTuneSsd: an Object Detection API pipeline.config whose
  // model.ssd.matcher and .loss (thresholds, loss kinds and weights, hard
  // example miner) replace the settings above; empty: none.
  std::string pipeline_config;
  // Gradual pruning while training (`--prune-schedule`; fine-tuning and
  // QAT): the conv/FC weights reach `prune_sparsity` overall, each layer its
  // share as detlite::Prune allocates it by measured sensitivity (on the
  // first 8 photos of `data`; first conv and small layers dense), along a
  // cubic from step prune_begin to prune_end, pruning every prune_every
  // steps. Pruned weights stay zero and the output is stored sparse.
  float prune_sparsity = 0;  // 0: off
  PruneBlock prune_block = PruneBlock::k1x1;
  int prune_begin = 0;
  int prune_end = -1;    // -1: two thirds of the steps
  int prune_every = -1;  // -1: a twentieth of the steps (at least 1)
  // Told after each sensitivity trial of the allocation (done, total).
  std::function<void(int, int)> prune_progress;
  // Called after every step; may be empty.
  std::function<void(const TrainProgress&)> progress;

  // Checkpoints (format in docs/TRAINING.md): written atomically to
  // `checkpoint` every `checkpoint_every` steps (0: none on the way) and
  // after the last; empty: none. A step whose loss or updated weights are
  // not finite stops the run and never overwrites the last good one.
  std::string checkpoint;
  int checkpoint_every = 50;
  // A checkpoint to continue from. The model and every option that shapes
  // the run (data, steps, batch, lr, seed, loss, ...) must be the same as
  // when it was written (else refused, naming the option); the result is
  // then the same, bit for bit, as a run that was never stopped.
  std::string resume;
  // Periodic COCO AP on a labelled dataset (as `detlite eval --dataset`,
  // with `labels` and `preprocess`): every `eval_every` steps (0: only at
  // the end) and after the last step.
  std::string eval_data;
  int eval_every = 0;
  int64_t eval_max_images = -1;  // -1: all
  std::function<void(const TrainEvalPoint&)> on_eval;                  // may be empty
  std::function<void(int step, const std::string& path)> on_checkpoint;  // may be empty
  // For tests (a kill): returning true stops the run after that step and
  // its checkpoint, with a FailedPrecondition error.
  std::function<bool(int step)> stop_after_step;
};

struct TrainReport {
  std::vector<TrainProgress> steps;
  QuantizeReport quantize;  // of the export
  int training_images = 0;
  std::string loss;        // "distill" or "ssd"
  int training_boxes = 0;  // SSD loss: the boxes it trains on
  std::string notes;       // SSD loss: what was left out of the labels, and why
  double seconds = 0;  // calibration, training and export
  // With eval_data: the AP after every evaluation, in step order.
  std::vector<TrainEvalPoint> evals;
  int resumed_from = 0;  // the step of TrainOptions::resume's checkpoint, else 0
  // With prune_sparsity: the share of zeros over the layers the schedule
  // pruned, in the written model; -1 otherwise.
  double pruned_sparsity = -1;
};

// Replaces `model` (float, one float32 input) by its quantization-aware
// trained int8 version, by distillation or with the SSD loss on labels
// (options.qat_loss). Refuses, before training, a model with an op that
// has no gradient (naming each), no images, and bad options; a NaN or
// infinite loss stops the run with the step and the images of the batch.
StatusOr<TrainReport> TrainQat(Model& model, const TrainOptions& options);

// Float fine-tuning with the Object Detection API's SSD loss (`detlite train
// --loss ssd`): `options.data` is a labelled dataset (COCO json, VOC,
// TFRecord; see detlite/dataset.h), `model` a float detector ending in
// TFLite_Detection_PostProcess, whose anchors, box coder and class layout
// the loss uses; its classes are matched to the dataset's categories as
// `detlite eval` matches them. Crowd and difficult boxes are left out.
// Replaces `model` by the fine-tuned float model. Refuses a model without
// the post-processing op, an op with no gradient, and a dataset with no
// usable box (naming it); a NaN or infinite loss stops the run.
// (calibration_* and range_momentum are not used.)
StatusOr<TrainReport> FineTuneSsd(Model& model, const TrainOptions& options);

// Float fine-tuning by distillation (`detlite train MODEL --distill
// --teacher TEACHER`): `model` learns the teacher's raw head outputs (box
// encodings by squared error, class scores by KL divergence, as QAT's
// distillation) on the photos of `options.data`, labels unused. For a
// pruned or channel-pruned model and the model it came from: every photo
// teaches every anchor. Refuses a teacher whose head outputs or input do
// not have the model's shapes. Replaces `model` by the trained float model.
StatusOr<TrainReport> DistillFineTune(Model& model, const TrainOptions& options);

// A self-contained HTML page (inline SVG, no script) of a run: the loss
// per step and the AP per evaluation. Written atomically.
Status WriteTrainReport(const TrainReport& report, const std::string& title,
                        const std::string& path);

}  // namespace detlite

#endif  // DETLITE_TRAIN_H_
