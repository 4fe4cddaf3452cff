// QatSession's set-up (teacher, starting ranges, parameters), the graph
// rebuild after each update, and the export through the int8 converter.
#include <utility>

#include "quant/pipeline.h"
#include "train/backward.h"
#include "train/param_update.h"
#include "train/qat.h"

namespace detlite::train {

std::vector<int32_t> TargetTensors(const std::vector<DistillTarget>& targets) {
  std::vector<int32_t> out;
  for (const DistillTarget& t : targets) out.push_back(t.tensor);
  return out;
}

StatusOr<std::unique_ptr<QatSession>> QatSession::Create(
    const ir::Model& float_model, std::map<int32_t, quant::Observer> observers,
    const QatOptions& options) {
  std::unique_ptr<QatSession> s(new QatSession);
  s->options_ = options;
  s->optimizer_ = Optimizer(options.optimizer);
  s->student_ = float_model;
  s->observers_ = std::move(observers);
  if (float_model.subgraphs.size() != 1) {
    return Unimplemented("quantization-aware training needs a model with one subgraph");
  }
  ASSIGN_OR_RETURN(s->targets_, FindDistillTargets(float_model.subgraphs[0]));
  const std::vector<int32_t> outs = TargetTensors(s->targets_);
  RETURN_IF_ERROR(CheckDifferentiable(float_model.subgraphs[0], outs));
  if (options.ssd_loss) RETURN_IF_ERROR(s->SetUpSsdLoss(float_model.subgraphs[0]));
  s->teacher_ = float_model;
  s->teacher_.signatures.clear();
  TruncateTo(s->teacher_.subgraphs[0], outs);
  runtime::InterpreterOptions io;
  io.num_threads = options.threads;
  ASSIGN_OR_RETURN(s->teacher_interp_, runtime::Interpreter::Create(s->teacher_, io));
  QuantPlanOptions po;
  po.method = options.method;
  po.percentile = options.percentile;
  ASSIGN_OR_RETURN(QuantPlan plan, PlanQuantization(float_model, s->observers_, po));
  for (const auto& [t, c] : plan.acts) s->own_ranges_[t] = c.own;
  RETURN_IF_ERROR(s->Rebuild());
  // Parameters: the float constants the training graph reads.
  s->params_ = FloatParameters(s->graph_.model.subgraphs[0], float_model.subgraphs[0].tensors.size());
  s->masks_ = SparseMasks(s->graph_.model.subgraphs[0], s->params_);
  return s;
}

Status QatSession::Rebuild() {
  forward_.reset();  // reads graph_.model
  QuantPlanOptions po;
  po.method = options_.method;
  po.percentile = options_.percentile;
  po.own_ranges = &own_ranges_;
  ASSIGN_OR_RETURN(QuantPlan plan, PlanQuantization(student_, observers_, po));
  ASSIGN_OR_RETURN(graph_, BuildFakeQuantGraph(student_, plan, TargetTensors(targets_)));
  stale_ = false;
  return Status::Ok();
}

void QatSession::TrackRanges(std::map<int32_t, quant::Observer>* batch) {
  const float m = options_.range_momentum;
  for (auto& [t, obs] : *batch) {
    if (!obs.seen()) continue;
    const quant::Range r = quant::SelectRange(obs, options_.method, options_.percentile, 256);
    quant::Range& own = own_ranges_[t];
    own.min += m * (r.min - own.min);
    own.max += m * (r.max - own.max);
  }
}

StatusOr<ir::Model> QatSession::Export(QuantizeReport* report) const {
  ir::Model model = student_;
  quant::FullIntegerConfig config;
  config.method = options_.method;
  config.percentile = options_.percentile;
  config.threads = options_.threads;
  config.observers = &observers_;
  config.own_ranges = &own_ranges_;
  quant::SampleLoader none = [](int) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    return Internal("QAT export does not calibrate");
  };
  RETURN_IF_ERROR(quant::QuantizeFullInteger(model, 0, none, config, report));
  return model;
}

}  // namespace detlite::train
