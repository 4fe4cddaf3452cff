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
  int matches = 0;  // FineTuneSsd: matched anchors in the batch (the loss's normalizer)
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
  float learning_rate = 1e-5f;  // peak, after warmup; cosine decay to 0
  float momentum = 0.9f;        // SGD
  int warmup_steps = -1;        // -1: a tenth of the steps
  uint64_t seed = 1;            // batches drawn from `data`
  // EMA weight of each step's activation ranges; 0 (default) keeps the
  // calibrated ones (0.01 scored lower on the SSDLite: docs/TRAINING.md).
  float range_momentum = 0.0f;
  // Weight of the class-score term of the loss against the box term.
  float class_weight = 1.0f;
  int threads = 2;
  // FineTuneSsd's augmentations: random horizontal flip, random crop
  // keeping boxes (both drawn from `seed`).
  bool augment_flip = true;
  bool augment_crop = true;
  // FineTuneSsd: a label map naming the model's classes, matched to the
  // dataset's categories by name (as `detlite eval --labels`); empty: the
  // model's own label map, else class c = category id c + 1.
  std::string labels;
  SsdClassLoss ssd_class_loss = SsdClassLoss::kSigmoid;
  // Hard example mining (3 negatives per positive, at least 3); off: every
  // positive and negative anchor counts.
  bool ssd_hard_mining = true;
  // Called after every step; may be empty.
  std::function<void(const TrainProgress&)> progress;
};

struct TrainReport {
  std::vector<TrainProgress> steps;
  QuantizeReport quantize;  // of the export
  int training_images = 0;
  int training_boxes = 0;  // FineTuneSsd: the boxes it trains on
  std::string notes;       // FineTuneSsd: what was left out of the labels, and why
  double seconds = 0;  // calibration, training and export
};

// Replaces `model` (float, one float32 input) by its quantization-aware
// trained int8 version. Refuses, before training, a model with an op that
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

}  // namespace detlite

#endif  // DETLITE_TRAIN_H_
