// detlite::DistillFineTune: the photos of `data` preprocessed as `detlite
// run` does, the teacher loaded, into train::RunDistillTune.
#include <chrono>
#include <memory>

#include "api/quantize_calibration.h"
#include "api/quantize_internal.h"
#include "api/tensor_info.h"
#include "api/train_prune.h"
#include "api/train_run.h"
#include "detlite/train.h"
#include "train/distill_tune.h"

namespace detlite {

StatusOr<TrainReport> DistillFineTune(Model& model, const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.teacher.empty()) return InvalidArgument("distillation fine-tuning needs --teacher MODEL");
  StatusOr<Model> teacher = Model::Load(options.teacher);
  if (!teacher.ok()) return teacher.status().WithContext("--teacher");
  RETURN_IF_ERROR(api::CheckEvalData(model, options));
  const ir::Model& student = model.ir();
  if (student.subgraphs.empty() || student.subgraphs[0].inputs.size() != 1) {
    return Unimplemented("training needs a model with one input");
  }
  ASSIGN_OR_RETURN(api::CalibrationSet training, api::CalibrationSet::Open(options.data, 0));
  const ir::Subgraph& sg = student.subgraphs[0];
  const TensorInfo input = api::MakeTensorInfo(sg, sg.inputs[0]);
  quant::SampleLoader load = [&](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    std::string how;
    ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                     training.Load(static_cast<size_t>(i), input, options.preprocess, &how));
    return std::vector<std::vector<uint8_t>>{std::move(bytes)};
  };
  TrainReport report;
  report.loss = "distill";
  report.training_images = static_cast<int>(training.size());
  train::FineTuneOptions f;
  f.steps = options.steps;
  f.batch = options.batch;
  f.optimizer.kind = options.optimizer == TrainOptimizer::kSgd ? train::OptimizerKind::kSgd
                                                               : train::OptimizerKind::kAdam;
  f.optimizer.momentum = options.momentum;
  f.lr = options.learning_rate;
  f.warmup_steps = options.warmup_steps;
  ASSIGN_OR_RETURN(f.schedule, api::ScheduleOf(options));
  ASSIGN_OR_RETURN(f.prune, api::PruneScheduleOf(model, options));
  f.seed = options.seed;
  f.threads = options.threads;
  f.progress = [&](const train::FineTuneStep& s) {
    TrainProgress p;
    p.step = s.step;
    p.steps = options.steps;
    p.box_loss = s.box;
    p.class_loss = s.cls;
    p.learning_rate = s.lr;
    p.seconds = s.seconds;
    p.images_per_second = s.seconds > 0 ? options.batch / s.seconds : 0;
    p.pruned = s.pruned;
    report.steps.push_back(p);
    if (options.progress) options.progress(p);
  };
  f.checkpoints = api::CheckpointsOf(options, false, false);
  f.checkpoints.options.push_back({"--teacher", api::AbsolutePath(options.teacher)});
  f.checkpoints.options.push_back({"--class-weight", std::to_string(options.class_weight)});
  f.eval = api::EvalOf(options);
  train::TrainLog history;
  f.history = &history;
  ASSIGN_OR_RETURN(ir::Model tuned,
                   train::RunDistillTune(student, teacher->ir(), report.training_images, load, f,
                                         options.class_weight));
  api::FillHistory(history, options, &report);
  RETURN_IF_ERROR(api::StoreSparse(tuned, &report.quantize.actions));
  model = Model(std::make_shared<ir::Model>(std::move(tuned)), model.path());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace detlite
