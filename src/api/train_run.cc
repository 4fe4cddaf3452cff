#include "api/train_run.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "detlite/dataset.h"
#include "detlite/evaluate.h"
#include "detlite/settings.h"

namespace detlite::api {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

std::string Floats(const std::vector<float>& v) {
  std::string out;
  for (float x : v) out += (out.empty() ? "" : ",") + Num(x);
  return out;
}

}  // namespace

std::string AbsolutePath(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

namespace {

std::string ScheduleName(const TrainOptions& o) {
  if (o.lr_schedule == LrSchedule::kCosine) return "cosine";
  if (o.lr_schedule == LrSchedule::kConstant) return "constant";
  std::string out = "step:";
  for (size_t i = 0; i < o.lr_boundaries.size(); ++i) out += (i ? "," : "") + std::to_string(o.lr_boundaries[i]);
  return out + " x" + Num(o.lr_decay);
}

std::string PruneName(const TrainOptions& o) {
  if (o.prune_sparsity == 0) return "off";
  return Num(o.prune_sparsity) + " " + NameOf(o.prune_block) + " from " + std::to_string(o.prune_begin) +
         " to " + std::to_string(o.prune_end) + " every " + std::to_string(o.prune_every);
}

}  // namespace

train::OptimizerOptions OptimizerOf(const TrainOptions& o) {
  train::OptimizerOptions out;
  out.kind = o.optimizer == TrainOptimizer::kSgd ? train::OptimizerKind::kSgd : train::OptimizerKind::kAdam;
  out.momentum = o.momentum;
  return out;
}

StatusOr<train::FineTuneOptions> FineTuneOptionsOf(const TrainOptions& o) {
  train::FineTuneOptions f;
  f.steps = o.steps;
  f.batch = o.batch;
  f.optimizer = OptimizerOf(o);
  f.lr = o.learning_rate;
  f.warmup_steps = o.warmup_steps;
  ASSIGN_OR_RETURN(f.schedule, ScheduleOf(o));
  f.seed = o.seed;
  f.threads = o.threads;
  return f;
}

TrainProgress ProgressOf(const train::FineTuneStep& s, const TrainOptions& o, bool ssd_loss) {
  TrainProgress p;
  p.step = s.step;
  p.steps = o.steps;
  p.box_loss = s.box;
  p.class_loss = s.cls;
  p.matches = s.matches;
  p.ssd_loss = ssd_loss;
  p.learning_rate = s.lr;
  p.seconds = s.seconds;
  p.images_per_second = s.seconds > 0 ? o.batch / s.seconds : 0;
  p.pruned = s.pruned;
  return p;
}

StatusOr<train::LearningRateSchedule> ScheduleOf(const TrainOptions& o) {
  train::LearningRateSchedule s;
  using Kind = train::LearningRateSchedule::Kind;
  s.kind = o.lr_schedule == LrSchedule::kStep       ? Kind::kStep
           : o.lr_schedule == LrSchedule::kConstant ? Kind::kConstant
                                                    : Kind::kCosine;
  if (s.kind != Kind::kStep) return s;
  if (o.lr_boundaries.empty()) return InvalidArgument("--lr-schedule step needs at least one step: step:N1,N2,...");
  if (!(o.lr_decay > 0 && o.lr_decay <= 1)) return InvalidArgument("--lr-decay must be in (0, 1]");
  const int warmup = train::WarmupSteps(o.warmup_steps, o.steps);
  int last = warmup - 1;
  for (int b : o.lr_boundaries) {
    if (b <= last || b >= o.steps) {
      return InvalidArgument("--lr-schedule step: " + std::to_string(b) + " must be after the warmup (" +
                             std::to_string(warmup) + " steps), after the previous step and before --steps " +
                             std::to_string(o.steps));
    }
    last = b;
  }
  s.boundaries = o.lr_boundaries;
  s.factor = o.lr_decay;
  return s;
}

std::string AugmentList(const TrainOptions& o) {
  std::string list;
  for (auto [on, name] : {std::pair{o.augment_flip, "flip"}, std::pair{o.augment_crop, "crop"},
                          std::pair{o.augment_color, "color"}}) {
    if (on) list += std::string(list.empty() ? "" : ",") + name;
  }
  return list;
}

train::RunCheckpoints CheckpointsOf(const TrainOptions& o, bool qat, bool ssd) {
  train::RunCheckpoints c;
  c.path = o.checkpoint;
  c.every = o.checkpoint_every;
  c.resume = o.resume;
  c.saved = o.on_checkpoint;
  c.stop_after = o.stop_after_step;
  c.options = {{"--data", AbsolutePath(o.data)},
               {"--steps", std::to_string(o.steps)},
               {"--batch", std::to_string(o.batch)},
               {"--lr", Num(o.learning_rate)},
               {"--warmup", std::to_string(o.warmup_steps)},
               {"--optimizer", o.optimizer == TrainOptimizer::kSgd ? "sgd" : "adam"},
               {"--momentum", Num(o.momentum)},
               {"--seed", std::to_string(o.seed)},
               {"--lr-schedule", ScheduleName(o)},
               {"--prune-schedule", PruneName(o)},
               {"--preprocess", std::string(NameOf(o.preprocess.preset)) + " mean " +
                                    Floats(o.preprocess.mean) + " std " + Floats(o.preprocess.stddev) +
                                    (o.preprocess.bgr ? " bgr" : "") + " resize " +
                                    std::string(NameOf(o.preprocess.resize))}};
  if (qat) {
    c.options.push_back({"--calibration-size", std::to_string(o.calibration_size)});
    c.options.push_back({"--calibration-method", std::string(NameOf(o.calibration_method))});
    c.options.push_back({"--percentile", Num(o.percentile)});
    c.options.push_back({"--range-momentum", Num(o.range_momentum)});
    c.options.push_back({"--class-weight", Num(o.class_weight)});
    c.options.push_back({"--loss", ssd ? "ssd" : "distill"});
  }
  if (ssd) {
    c.options.push_back({"--labels", AbsolutePath(o.labels)});
    c.options.push_back({"--class-loss", o.ssd_class_loss == SsdClassLoss::kSigmoidFocal ? "focal"
                                         : o.ssd_class_loss == SsdClassLoss::kSoftmax  ? "softmax"
                                                                                        : "sigmoid"});
    c.options.push_back({"--hard-mining", o.ssd_hard_mining ? "on" : "off"});
    c.options.push_back({"--pipeline-config", AbsolutePath(o.pipeline_config)});
  }
  // The SSD loss and float distillation (neither QAT nor SSD: --teacher)
  // train on augmented photos.
  if (ssd || !qat) c.options.push_back({"--augment", AugmentList(o)});
  return c;
}

Status CheckEvalData(const Model& model, const TrainOptions& o) {
  if (o.eval_data.empty()) return Status::Ok();
  if (o.eval_every < 0) return InvalidArgument("--eval-every must be 0 or positive");
  DatasetOptions dopts;
  dopts.max_samples = 1;
  ASSIGN_OR_RETURN(Dataset ds, LoadDataset(o.eval_data, dopts));
  if (!ds.labelled()) {
    return InvalidArgument(o.eval_data + ": --eval-data needs a labelled dataset (COCO json, VOC, "
                           "TFRecord); a folder of images has no boxes to score against");
  }
  EvalOptions eo;
  eo.preprocess = o.preprocess;
  eo.labels = o.labels;
  eo.max_images = 1;
  eo.report_samples = 0;
  eo.worst_images = 0;
  StatusOr<EvalResult> r = EvaluateModel(model, o.eval_data, eo);
  if (!r.ok()) return r.status().WithContext("--eval-data");
  return Status::Ok();
}

train::RunEval EvalOf(const TrainOptions& o) {
  train::RunEval e;
  if (o.eval_data.empty()) return e;
  e.every = o.eval_every > 0 ? o.eval_every : o.steps;
  e.evaluate = [&o](const ir::Model& exported, int step) -> StatusOr<train::EvalPoint> {
    const auto start = std::chrono::steady_clock::now();
    Model model(std::make_shared<ir::Model>(exported));
    EvalOptions eo;
    eo.preprocess = o.preprocess;
    eo.labels = o.labels;
    eo.max_images = o.eval_max_images;
    eo.report_samples = 0;
    eo.worst_images = 0;
    StatusOr<EvalResult> r = EvaluateModel(model, o.eval_data, eo);
    if (!r.ok()) return r.status().WithContext("--eval-data at step " + std::to_string(step));
    train::EvalPoint p;
    p.step = step;
    p.ap = r->coco.stats[0];
    p.ap50 = r->coco.stats[1];
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return p;
  };
  if (o.on_eval) {
    e.done = [&o](const train::EvalPoint& p) { o.on_eval({p.step, p.ap, p.ap50, p.seconds}); };
  }
  return e;
}

void FillHistory(const train::TrainLog& log, const TrainOptions& o, TrainReport* report) {
  report->resumed_from = log.resumed_from;
  report->pruned_sparsity = log.pruned_sparsity;
  std::vector<TrainProgress> earlier;
  for (const train::LoggedStep& s : log.steps) {
    if (s.step > log.resumed_from) break;
    TrainProgress p;
    p.step = s.step;
    p.steps = o.steps;
    p.box_loss = s.box;
    p.class_loss = s.cls;
    p.learning_rate = s.lr;
    p.matches = s.matches;
    p.ssd_loss = report->loss == "ssd";
    earlier.push_back(p);
  }
  report->steps.insert(report->steps.begin(), earlier.begin(), earlier.end());
  report->evals.clear();
  for (const train::EvalPoint& e : log.evals) report->evals.push_back({e.step, e.ap, e.ap50, e.seconds});
}

}  // namespace detlite::api
