// detlite::DistillFineTune: the photos of `data` preprocessed as `detlite
// run` does (and augmented copies, api/train_distill_data.h), the teacher
// loaded, into train::RunDistillTune.
#include <chrono>
#include <memory>

#include "api/quantize_calibration.h"
#include "api/quantize_internal.h"
#include "api/tensor_info.h"
#include "api/train_distill_data.h"
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
  int samples = 0;
  const quant::SampleLoader load = api::DistillLoader(training, input, options, &samples);
  TrainReport report;
  report.loss = "distill";
  report.training_images = static_cast<int>(training.size());
  ASSIGN_OR_RETURN(train::FineTuneOptions f, api::FineTuneOptionsOf(options));
  ASSIGN_OR_RETURN(f.prune, api::PruneScheduleOf(model, options));
  f.progress = [&](const train::FineTuneStep& s) {
    report.steps.push_back(api::ProgressOf(s, options, false));
    if (options.progress) options.progress(report.steps.back());
  };
  f.checkpoints = api::CheckpointsOf(options, false, false);
  f.checkpoints.options.push_back({"--teacher", api::AbsolutePath(options.teacher)});
  f.checkpoints.options.push_back({"--class-weight", std::to_string(options.class_weight)});
  f.eval = api::EvalOf(options);
  train::TrainLog history;
  f.history = &history;
  ASSIGN_OR_RETURN(ir::Model tuned,
                   train::RunDistillTune(student, teacher->ir(), samples, load, f,
                                         options.class_weight));
  api::FillHistory(history, options, &report);
  RETURN_IF_ERROR(api::StoreSparse(tuned, &report.quantize.actions));
  model = Model(std::make_shared<ir::Model>(std::move(tuned)), model.path());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace detlite
