// QatSession's forward passes, loss and training step.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>

#include "train/backward.h"
#include "train/param_update.h"
#include "train/qat.h"

namespace detlite::train {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out.empty() ? "unnamed images" : out;
}

}  // namespace

StatusOr<std::vector<std::vector<float>>> QatSession::StudentOutputs(const std::vector<float>& input) {
  if (stale_) RETURN_IF_ERROR(Rebuild());
  const auto start = std::chrono::steady_clock::now();
  if (forward_ == nullptr) {
    ASSIGN_OR_RETURN(ForwardState f, Forward(graph_.model, {input}, options_.threads));
    forward_ = std::make_unique<ForwardState>(std::move(f));
  } else {
    RETURN_IF_ERROR(forward_->Run({input}));
  }
  last_forward_seconds_ = Seconds(start);
  std::vector<std::vector<float>> out;
  for (int32_t t : graph_.outputs) out.push_back(forward_->Copy(t));
  return out;
}

StatusOr<std::vector<std::vector<float>>> QatSession::TeacherOutputs(const std::vector<float>& input) {
  RETURN_IF_ERROR(teacher_interp_->SetInput(0, input.data(), input.size() * sizeof(float)));
  RETURN_IF_ERROR(teacher_interp_->Invoke());
  std::vector<std::vector<float>> out;
  for (int i = 0; i < teacher_interp_->num_outputs(); ++i) {
    const runtime::TensorRef& t = teacher_interp_->output(i);
    const float* v = t.Data<float>();
    out.emplace_back(v, v + t.NumElements());
  }
  return out;
}

StatusOr<DistillLoss> QatSession::Seed(const std::vector<float>& input,
                                       std::map<int32_t, std::vector<float>>* seeds) {
  ASSIGN_OR_RETURN(auto teacher, TeacherOutputs(input));
  ASSIGN_OR_RETURN(auto student, StudentOutputs(input));
  DistillLoss loss;
  auto last_dim = [&](size_t i) -> int64_t {
    const Shape& shape = forward_->tensor(graph_.outputs[i]).shape;
    return shape.rank() > 0 ? shape.dim(shape.rank() - 1) : 1;
  };
  std::vector<float> anchor_weights;
  bool weighted = false;
  for (size_t i = 0; i < targets_.size() && !weighted; ++i) {
    if (!targets_[i].logits) continue;
    anchor_weights = AnchorWeights(teacher[i].data(), static_cast<int64_t>(teacher[i].size()), last_dim(i));
    weighted = true;
  }
  for (size_t i = 0; i < targets_.size(); ++i) {
    std::vector<float> grad;
    AddDistillLoss(targets_[i], student[i].data(), teacher[i].data(),
                   static_cast<int64_t>(student[i].size()), last_dim(i),
                   targets_[i].logits ? options_.class_weight : 1.0f,
                   weighted ? &anchor_weights : nullptr, &loss, &grad);
    if (seeds != nullptr) (*seeds)[graph_.outputs[i]] = std::move(grad);
  }
  return loss;
}

StatusOr<DistillLoss> QatSession::Loss(const std::vector<std::vector<float>>& inputs) {
  DistillLoss mean;
  for (const auto& in : inputs) {
    ASSIGN_OR_RETURN(DistillLoss l, Seed(in, nullptr));
    mean.box += l.box / static_cast<double>(inputs.size());
    mean.cls += l.cls / static_cast<double>(inputs.size());
  }
  return mean;
}

StatusOr<QatStep> QatSession::Step(const std::vector<std::vector<float>>& inputs,
                                   const std::vector<std::string>& ids) {
  const auto start = std::chrono::steady_clock::now();
  QatStep out;
  out.step = ++step_;
  if (stale_) RETURN_IF_ERROR(Rebuild());
  out.rebuild_seconds = Seconds(start);
  const double n = static_cast<double>(inputs.size());
  double first_forward = 0, later_forwards = 0;
  std::map<int32_t, std::vector<float>> sum;
  std::map<int32_t, quant::Observer> batch;
  const std::vector<bool> computed = Computed();
  BackwardOptions bo;
  bo.input_gradients = false;
  bo.num_threads = options_.threads;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::map<int32_t, std::vector<float>> seeds;
    ASSIGN_OR_RETURN(DistillLoss l, Seed(inputs[i], &seeds));
    // The first forward also creates the interpreter (packing the weights).
    (i == 0 ? first_forward : later_forwards) += last_forward_seconds_;
    // Beyond float32's range counts too: the runtime's float kernels clamp
    // a NaN or infinity to +-FLT_MAX, whose square overflows.
    if (!std::isfinite(static_cast<float>(l.total()))) {
      char value[32];
      std::snprintf(value, sizeof(value), "%g", l.total());
      return InvalidArgument("step " + std::to_string(out.step) + ": the distillation loss is " +
                             value + " (not finite in float32) on " +
                             (i < ids.size() ? ids[i] : "image " + std::to_string(i)) +
                             " (batch of " + std::to_string(inputs.size()) + ": " + JoinIds(ids) + ")");
    }
    out.loss.box += l.box / n;
    out.loss.cls += l.cls / n;
    ASSIGN_OR_RETURN(Gradients g, Backward(*forward_, seeds, bo));
    AccumulateGradients(g, params_, &sum);
    ObserveRanges(computed, &batch);
  }
  if (inputs.size() > 1) {
    out.rebuild_seconds += std::max(0.0, first_forward - later_forwards / (n - 1));
  }
  Update(&sum, n, &batch, &out);
  out.seconds = Seconds(start);
  return out;
}

std::vector<bool> QatSession::Computed() const {
  std::vector<bool> computed(graph_.model.subgraphs[0].tensors.size(), false);
  for (const ir::Operator& op : graph_.model.subgraphs[0].ops) {
    for (int32_t y : op.outputs) {
      if (y >= 0) computed[static_cast<size_t>(y)] = true;
    }
  }
  return computed;
}

void QatSession::ObserveRanges(const std::vector<bool>& computed,
                               std::map<int32_t, quant::Observer>* batch) {
  if (!(options_.range_momentum > 0)) return;
  for (const auto& [t, r] : own_ranges_) {
    if (!computed[static_cast<size_t>(t)]) continue;
    const float* v = forward_->values(t);
    if (v == nullptr) continue;
    auto [it, fresh] = batch->try_emplace(t, quant::MethodNeedsHistogram(options_.method));
    it->second.Observe(v, forward_->tensor(t).NumElements());
  }
}

void QatSession::Update(std::map<int32_t, std::vector<float>>* sum, double normalizer,
                        std::map<int32_t, quant::Observer>* batch, QatStep* out) {
  const int warmup = WarmupSteps(options_.warmup_steps, options_.steps);
  out->lr = ScheduledLearningRate(options_.lr, out->step - 1, options_.steps, warmup, options_.schedule);
  ApplyGradients(sum, normalizer, out->lr, &optimizer_, &student_.subgraphs[0], &masks_);
  out->pruned = options_.prune.Apply(out->step, &student_.subgraphs[0], &masks_);
  TrackRanges(batch);
  stale_ = true;
}

}  // namespace detlite::train
