// detlite::FineTuneSsd: a labelled dataset's boxes, in the model's class
// columns (mapped as `detlite eval` maps them), augmented and preprocessed
// as `detlite run` does, into train::RunFineTune.
#include <chrono>
#include <cstring>
#include <memory>

#include "api/quantize_internal.h"
#include "api/tensor_info.h"
#include "api/train_run.h"
#include "api/train_ssd_config.h"
#include "api/train_ssd_labels.h"
#include "detlite/train.h"
#include "train/augment.h"
#include "train/finetune.h"

namespace detlite {

StatusOr<TrainReport> FineTuneSsd(Model& model, const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const ir::Model& float_model = model.ir();
  if (float_model.subgraphs.empty() || float_model.subgraphs[0].inputs.size() != 1) {
    return Unimplemented("training needs a model with one input");
  }
  const ir::Subgraph& sg = float_model.subgraphs[0];
  ASSIGN_OR_RETURN(train::SsdHead head, train::FindSsdHead(sg));
  RETURN_IF_ERROR(api::CheckEvalData(model, options));
  ASSIGN_OR_RETURN(Dataset ds, LoadDataset(options.data));
  if (!ds.labelled()) {
    return InvalidArgument(options.data + ": --loss ssd needs labelled data (a COCO json, a VOC "
                           "directory or a TFRecord); a folder of images has no boxes");
  }
  ASSIGN_OR_RETURN(api::SsdLabels labels, api::SsdTrainingLabels(model, ds, head.background_columns, options.labels));
  TrainReport report;
  report.training_boxes = labels.used;
  report.notes = labels.note;
  if (labels.used == 0) {
    return InvalidArgument(ds.path + ": no usable boxes for --loss ssd in " +
                           std::to_string(ds.samples.size()) + " images: " + labels.note);
  }
  report.training_images = static_cast<int>(ds.samples.size());
  const TensorInfo input = api::MakeTensorInfo(sg, sg.inputs[0]);
  train::AugmentOptions aug;
  aug.flip = options.augment_flip;
  aug.crop = options.augment_crop;
  aug.color = options.augment_color;
  train::SsdSampleLoader load = [&](int index, uint64_t seed) -> StatusOr<train::SsdSample> {
    const DatasetSample& s = ds.samples[static_cast<size_t>(index)];
    ASSIGN_OR_RETURN(RgbImage img, LoadSampleImage(s));
    train::SsdSample out;
    out.name = s.file_name;
    const float w = static_cast<float>(img.width), h = static_cast<float>(img.height);
    for (const api::SsdLabelledBox& b : labels.boxes[static_cast<size_t>(index)]) {
      out.boxes.push_back({b.ymin / h, b.xmin / w, b.ymax / h, b.xmax / w, b.column});
    }
    train::Augment(aug, seed, &img, &out.boxes);
    ASSIGN_OR_RETURN(HostTensor t, ImageToInput(img, input, options.preprocess));
    if (t.bytes.size() % sizeof(float) != 0 || input.dtype != "float32") {
      return InvalidArgument("fine-tuning needs a float32 model input");
    }
    out.input.resize(t.bytes.size() / sizeof(float));
    std::memcpy(out.input.data(), t.bytes.data(), t.bytes.size());
    return out;
  };
  train::FineTuneOptions f;
  f.steps = options.steps;
  f.batch = options.batch;
  f.optimizer.kind = options.optimizer == TrainOptimizer::kSgd ? train::OptimizerKind::kSgd
                                                               : train::OptimizerKind::kAdam;
  f.optimizer.momentum = options.momentum;
  f.lr = options.learning_rate;
  f.warmup_steps = options.warmup_steps;
  f.seed = options.seed;
  f.threads = options.threads;
  f.loss.classification.kind = options.ssd_class_loss == SsdClassLoss::kSigmoidFocal
                                   ? train::ClassLoss::kSigmoidFocal
                               : options.ssd_class_loss == SsdClassLoss::kSoftmax
                                   ? train::ClassLoss::kSoftmax
                                   : train::ClassLoss::kSigmoid;
  f.loss.hard_mining = options.ssd_hard_mining;
  if (!options.pipeline_config.empty()) {
    RETURN_IF_ERROR(api::ApplyPipelineLossSettings(options.pipeline_config, &f.loss));
  }
  f.progress = [&](const train::FineTuneStep& s) {
    TrainProgress p;
    p.step = s.step;
    p.steps = options.steps;
    p.box_loss = s.box;
    p.class_loss = s.cls;
    p.matches = s.matches;
    p.learning_rate = s.lr;
    p.seconds = s.seconds;
    p.images_per_second = s.seconds > 0 ? options.batch / s.seconds : 0;
    report.steps.push_back(p);
    if (options.progress) options.progress(p);
  };
  f.checkpoints = api::CheckpointsOf(options, false);
  f.eval = api::EvalOf(options);
  train::TrainLog history;
  f.history = &history;
  ASSIGN_OR_RETURN(ir::Model tuned,
                   train::RunFineTune(float_model, report.training_images, load, f));
  api::FillHistory(history, options, &report);
  // The zeros of a pruned or sparse model were kept: store it sparse again.
  std::vector<std::string> actions;
  RETURN_IF_ERROR(api::StoreSparse(tuned, &actions));
  for (const std::string& a : actions) report.notes += (report.notes.empty() ? "" : "; ") + a;
  model = Model(std::make_shared<ir::Model>(std::move(tuned)), model.path());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace detlite
