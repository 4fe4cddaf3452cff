// DistillTuneSession: the float student cut at its head outputs, the
// teacher's outputs as targets, one optimizer step per batch.
#include "train/distill_tune.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "train/backward.h"
#include "train/fake_quant.h"
#include "train/param_update.h"
#include "train/qat.h"

namespace detlite::train {

StatusOr<std::unique_ptr<DistillTuneSession>> DistillTuneSession::Create(
    const ir::Model& student, const ir::Model& teacher, const FineTuneOptions& options,
    float class_weight) {
  if (student.subgraphs.size() != 1 || teacher.subgraphs.size() != 1) {
    return Unimplemented("distillation needs a student and a teacher with one subgraph each");
  }
  std::unique_ptr<DistillTuneSession> s(new DistillTuneSession);
  s->options_ = options;
  s->class_weight_ = class_weight;
  s->optimizer_ = Optimizer(options.optimizer);
  ASSIGN_OR_RETURN(s->targets_, FindDistillTargets(student.subgraphs[0]));
  ASSIGN_OR_RETURN(std::vector<DistillTarget> taught, FindDistillTargets(teacher.subgraphs[0]));
  if (taught.size() != s->targets_.size()) {
    return InvalidArgument("--teacher has " + std::to_string(taught.size()) + " head outputs, the model " +
                           std::to_string(s->targets_.size()));
  }
  for (size_t i = 0; i < taught.size(); ++i) {
    const ir::Tensor& a = student.subgraphs[0].tensors[static_cast<size_t>(s->targets_[i].tensor)];
    const ir::Tensor& b = teacher.subgraphs[0].tensors[static_cast<size_t>(taught[i].tensor)];
    if (a.shape != b.shape || s->targets_[i].logits != taught[i].logits) {
      return InvalidArgument("--teacher's head output '" + b.name + "' " + b.shape.ToString() +
                             " does not match the model's '" + a.name + "' " + a.shape.ToString());
    }
  }
  const std::vector<int32_t> outs = TargetTensors(s->targets_);
  RETURN_IF_ERROR(CheckDifferentiable(student.subgraphs[0], outs));
  s->full_ = student;
  s->graph_ = student;
  s->graph_.signatures.clear();
  TruncateTo(s->graph_.subgraphs[0], outs);
  s->teacher_ = teacher;
  s->teacher_.signatures.clear();
  TruncateTo(s->teacher_.subgraphs[0], TargetTensors(taught));
  runtime::InterpreterOptions io;
  io.num_threads = options.threads;
  ASSIGN_OR_RETURN(s->teacher_interp_, runtime::Interpreter::Create(s->teacher_, io));
  s->params_ = FloatParameters(s->graph_.subgraphs[0], s->graph_.subgraphs[0].tensors.size());
  s->masks_ = SparseMasks(s->graph_.subgraphs[0], s->params_);
  return s;
}

StatusOr<DistillLoss> DistillTuneSession::Loss(const std::vector<std::vector<float>>& inputs) {
  return Run(inputs, {}, false, 0);
}

StatusOr<FineTuneStep> DistillTuneSession::Step(const std::vector<std::vector<float>>& inputs,
                                                const std::vector<std::string>& ids) {
  const auto start = std::chrono::steady_clock::now();
  FineTuneStep out;
  out.step = ++step_;
  ASSIGN_OR_RETURN(DistillLoss l, Run(inputs, ids, true, out.step));
  out.box = l.box;
  out.cls = l.cls;
  out.lr = last_lr_;
  out.pruned = last_pruned_;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

StatusOr<DistillLoss> DistillTuneSession::Run(const std::vector<std::vector<float>>& inputs,
                                              const std::vector<std::string>& ids, bool train,
                                              int step) {
  BackwardOptions bo;
  bo.input_gradients = false;
  bo.num_threads = options_.threads;
  std::map<int32_t, std::vector<float>> sum;
  DistillLoss mean;
  const double n = static_cast<double>(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    RETURN_IF_ERROR(teacher_interp_->SetInput(0, inputs[i].data(), inputs[i].size() * sizeof(float)));
    RETURN_IF_ERROR(teacher_interp_->Invoke());
    if (forward_ == nullptr) {
      ASSIGN_OR_RETURN(ForwardState f, Forward(graph_, {inputs[i]}, options_.threads));
      forward_ = std::make_unique<ForwardState>(std::move(f));
    } else {
      RETURN_IF_ERROR(forward_->Run({inputs[i]}));
    }
    // Per anchor, the teacher's best object score weighs the box term.
    std::vector<float> anchor_weights;
    for (size_t k = 0; k < targets_.size() && anchor_weights.empty(); ++k) {
      if (!targets_[k].logits) continue;
      const runtime::TensorRef& t = teacher_interp_->output(static_cast<int>(k));
      const Shape& shape = forward_->tensor(targets_[k].tensor).shape;
      anchor_weights = AnchorWeights(t.Data<float>(), t.NumElements(), shape.dim(shape.rank() - 1));
    }
    DistillLoss l;
    std::map<int32_t, std::vector<float>> seeds;
    for (size_t k = 0; k < targets_.size(); ++k) {
      const runtime::TensorRef& t = teacher_interp_->output(static_cast<int>(k));
      const Shape& shape = forward_->tensor(targets_[k].tensor).shape;
      std::vector<float> grad;
      AddDistillLoss(targets_[k], forward_->values(targets_[k].tensor), t.Data<float>(), t.NumElements(),
                     shape.dim(shape.rank() - 1), targets_[k].logits ? class_weight_ : 1.0f,
                     anchor_weights.empty() ? nullptr : &anchor_weights, &l, &grad);
      seeds[targets_[k].tensor] = std::move(grad);
    }
    if (!std::isfinite(static_cast<float>(l.total()))) {
      char value[32];
      std::snprintf(value, sizeof(value), "%g", l.total());
      return InvalidArgument((train ? "step " + std::to_string(step) + ": " : std::string()) +
                             "the distillation loss is " + value + " (not finite in float32) on " +
                             (i < ids.size() ? ids[i] : "image " + std::to_string(i)));
    }
    mean.box += l.box / n;
    mean.cls += l.cls / n;
    if (!train) continue;
    ASSIGN_OR_RETURN(Gradients g, Backward(*forward_, seeds, bo));
    AccumulateGradients(g, params_, &sum);
  }
  if (train) {
    const int warmup = WarmupSteps(options_.warmup_steps, options_.steps);
    last_lr_ = ScheduledLearningRate(options_.lr, step - 1, options_.steps, warmup, options_.schedule);
    forward_.reset();  // it reads the weights about to be replaced
    ApplyGradients(&sum, n, last_lr_, &optimizer_, &graph_.subgraphs[0], &masks_);
    last_pruned_ = options_.prune.Apply(step, &graph_.subgraphs[0], &masks_);
  }
  return mean;
}

ir::Model DistillTuneSession::Export() const {
  return WithParameters(full_, graph_.subgraphs[0], params_);
}

void DistillTuneSession::SaveState(Checkpoint* c) const {
  AddParameters(graph_.subgraphs[0], params_, optimizer_, masks_, c);
  c->AddI64("session/step", {step_});
}

Status DistillTuneSession::RestoreState(const Checkpoint& c) {
  RETURN_IF_ERROR(RestoreParameters(c, params_, &optimizer_, &masks_, &graph_.subgraphs[0]));
  ASSIGN_OR_RETURN(int64_t step, c.Int("session/step"));
  step_ = static_cast<int>(step);
  forward_.reset();
  return Status::Ok();
}

bool DistillTuneSession::ParametersFinite(std::string* which) const {
  return train::ParametersFinite(graph_.subgraphs[0], params_, which);
}

}  // namespace detlite::train
