// detlite::FineTuneSsd: a labelled dataset's boxes, in the model's class
// columns (mapped as `detlite eval` maps them), augmented and preprocessed
// as `detlite run` does, into train::RunFineTune.
#include <chrono>
#include <memory>

#include "api/quantize_internal.h"
#include "api/train_prune.h"
#include "api/train_run.h"
#include "api/train_ssd_data.h"
#include "detlite/train.h"
#include "train/finetune.h"

namespace detlite {

StatusOr<TrainReport> FineTuneSsd(Model& model, const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(std::unique_ptr<api::SsdTrainingSet> set, api::SsdTrainingSet::Open(model, options));
  RETURN_IF_ERROR(api::CheckEvalData(model, options));
  TrainReport report;
  report.loss = "ssd";
  report.training_boxes = set->boxes();
  report.notes = set->note();
  report.training_images = set->images();
  ASSIGN_OR_RETURN(train::FineTuneOptions f, api::FineTuneOptionsOf(options));
  ASSIGN_OR_RETURN(f.loss, api::SsdLossOf(options));
  ASSIGN_OR_RETURN(f.prune, api::PruneScheduleOf(model, options));
  f.progress = [&](const train::FineTuneStep& s) {
    report.steps.push_back(api::ProgressOf(s, options, true));
    if (options.progress) options.progress(report.steps.back());
  };
  f.checkpoints = api::CheckpointsOf(options, false, true);
  f.eval = api::EvalOf(options);
  train::TrainLog history;
  f.history = &history;
  ASSIGN_OR_RETURN(ir::Model tuned,
                   train::RunFineTune(model.ir(), report.training_images, set->Loader(), f));
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
