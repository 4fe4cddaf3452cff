// detlite::TrainQat: images from the calibration set loader, preprocessed
// as `detlite run` does, into train::RunQat; with the SSD loss, the
// labelled batches of FineTuneSsd into train::RunQatSsd.
#include <chrono>
#include <memory>
#include <optional>

#include "api/quantize_calibration.h"
#include "api/quantize_internal.h"
#include "api/tensor_info.h"
#include "api/train_prune.h"
#include "api/train_run.h"
#include "api/train_ssd_data.h"
#include "detlite/dataset.h"
#include "detlite/train.h"
#include "train/qat.h"

namespace detlite {
namespace {

// kAuto: the SSD loss when the data loads as a labelled dataset. A folder
// of .npy files or anything LoadDataset refuses is left to the calibration
// set reader, which names what is wrong with it.
bool UseSsdLoss(const TrainOptions& options) {
  if (options.qat_loss != QatLoss::kAuto) return options.qat_loss == QatLoss::kSsd;
  DatasetOptions d;
  d.max_samples = 1;
  StatusOr<Dataset> ds = LoadDataset(options.data, d);
  return ds.ok() && ds->labelled();
}

train::QatOptions QatOptionsOf(const TrainOptions& options) {
  train::QatOptions q;
  q.steps = options.steps;
  q.batch = options.batch;
  q.optimizer = api::OptimizerOf(options);
  q.lr = options.learning_rate;
  q.warmup_steps = options.warmup_steps;
  q.seed = options.seed;
  q.range_momentum = options.range_momentum;
  q.class_weight = options.class_weight;
  q.threads = options.threads;
  q.method = options.calibration_method;
  q.percentile = options.percentile;
  return q;
}

}  // namespace

StatusOr<TrainReport> TrainQat(Model& model, const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.calibration_size <= 0) return InvalidArgument("--calibration-size must be positive");
  const bool ssd = UseSsdLoss(options);
  std::unique_ptr<api::SsdTrainingSet> labelled;
  if (ssd) {
    ASSIGN_OR_RETURN(labelled, api::SsdTrainingSet::Open(model, options));
  }
  RETURN_IF_ERROR(api::CheckEvalData(model, options));
  const ir::Model& float_model = model.ir();
  if (float_model.subgraphs.empty() || float_model.subgraphs[0].inputs.size() != 1) {
    return Unimplemented("training needs a model with one input");
  }
  ASSIGN_OR_RETURN(api::CalibrationSet calibration,
                   api::CalibrationSet::Open(options.data, options.calibration_size));
  const ir::Subgraph& sg = float_model.subgraphs[0];
  const TensorInfo input = api::MakeTensorInfo(sg, sg.inputs[0]);
  // Distillation draws from every photo of the data; the SSD loss from the
  // labelled set opened above.
  std::optional<api::CalibrationSet> training;
  if (!ssd) {
    ASSIGN_OR_RETURN(training, api::CalibrationSet::Open(options.data, 0));
  }
  TrainReport report;
  report.loss = ssd ? "ssd" : "distill";
  train::QatOptions q = QatOptionsOf(options);
  ASSIGN_OR_RETURN(q.schedule, api::ScheduleOf(options));
  ASSIGN_OR_RETURN(q.prune, api::PruneScheduleOf(model, options));
  q.ssd_loss = ssd;
  if (ssd) {
    ASSIGN_OR_RETURN(q.loss, api::SsdLossOf(options));
    report.training_images = labelled->images();
    report.training_boxes = labelled->boxes();
    report.notes = labelled->note();
  } else {
    report.training_images = static_cast<int>(training->size());
    q.sample_name = [&training](int i) { return training->name(static_cast<size_t>(i)); };
  }
  q.progress = [&](const train::QatStep& s) {
    TrainProgress p;
    p.step = s.step;
    p.steps = options.steps;
    p.box_loss = s.loss.box;
    p.class_loss = s.loss.cls;
    p.matches = s.matches;
    p.ssd_loss = ssd;
    p.learning_rate = s.lr;
    p.seconds = s.seconds;
    p.images_per_second = s.seconds > 0 ? options.batch / s.seconds : 0;
    p.rebuild_seconds = s.rebuild_seconds;
    p.pruned = s.pruned;
    report.steps.push_back(p);
    if (options.progress) options.progress(p);
  };
  q.checkpoints = api::CheckpointsOf(options, true, ssd);
  q.eval = api::EvalOf(options);
  train::TrainLog history;
  q.history = &history;
  const int num_calibration = static_cast<int>(calibration.size());
  ir::Model int8;
  if (ssd) {
    ASSIGN_OR_RETURN(int8, train::RunQatSsd(float_model, num_calibration,
                                            calibration.Loader(input, options.preprocess),
                                            labelled->images(), labelled->Loader(), q, nullptr,
                                            &report.quantize));
  } else {
    ASSIGN_OR_RETURN(int8, train::RunQat(float_model, num_calibration,
                                         calibration.Loader(input, options.preprocess),
                                         static_cast<int>(training->size()),
                                         training->Loader(input, options.preprocess), q, nullptr,
                                         &report.quantize));
  }
  api::FillHistory(history, options, &report);
  // A pruned or sparse model trained with its zeros kept is stored sparse
  // again, as detlite::Quantize does.
  RETURN_IF_ERROR(api::StoreSparse(int8, &report.quantize.actions));
  report.quantize.mode = ssd ? "int8 (quantization-aware training, SSD loss)"
                             : "int8 (quantization-aware training)";
  report.quantize.calibration_images = num_calibration;
  model = Model(std::make_shared<ir::Model>(std::move(int8)), model.path());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace detlite
