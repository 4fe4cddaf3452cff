// FineTuneSession: the float graph cut at the SSD head, the SSD loss of a
// batch and one optimizer step.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "train/backward.h"
#include "train/fake_quant.h"
#include "train/finetune.h"
#include "train/param_update.h"
#include "train/ssd_batch.h"

namespace detlite::train {

StatusOr<std::unique_ptr<FineTuneSession>> FineTuneSession::Create(const ir::Model& float_model,
                                                                   const FineTuneOptions& options) {
  if (float_model.subgraphs.size() != 1) {
    return Unimplemented("fine-tuning needs a model with one subgraph");
  }
  std::unique_ptr<FineTuneSession> s(new FineTuneSession);
  s->options_ = options;
  s->optimizer_ = Optimizer(options.optimizer);
  ASSIGN_OR_RETURN(s->head_, FindSsdHead(float_model.subgraphs[0]));
  s->options_.loss.scales = s->head_.scales;
  s->options_.loss.background_columns = s->head_.background_columns;
  const std::vector<int32_t> outs = {s->head_.boxes, s->head_.logits};
  RETURN_IF_ERROR(CheckDifferentiable(float_model.subgraphs[0], outs));
  s->full_ = float_model;
  s->graph_ = float_model;
  s->graph_.signatures.clear();
  TruncateTo(s->graph_.subgraphs[0], outs);
  s->params_ = FloatParameters(s->graph_.subgraphs[0], s->graph_.subgraphs[0].tensors.size());
  s->masks_ = SparseMasks(s->graph_.subgraphs[0], s->params_);
  return s;
}

StatusOr<FineTuneStep> FineTuneSession::Loss(const std::vector<SsdSample>& batch) {
  return Run(batch, false);
}

StatusOr<FineTuneStep> FineTuneSession::Step(const std::vector<SsdSample>& batch) {
  return Run(batch, true);
}

StatusOr<FineTuneStep> FineTuneSession::Run(const std::vector<SsdSample>& batch, bool train) {
  const auto start = std::chrono::steady_clock::now();
  FineTuneStep out;
  if (train) out.step = ++step_;
  const SsdBatchLoss loss(head_, options_.loss, batch);
  out.matches = loss.matches();
  out.boxes = loss.boxes();
  BackwardOptions bo;
  bo.input_gradients = false;
  bo.num_threads = options_.threads;
  std::map<int32_t, std::vector<float>> sum;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (forward_ == nullptr) {
      ASSIGN_OR_RETURN(ForwardState f, Forward(graph_, {batch[i].input}, options_.threads));
      forward_ = std::make_unique<ForwardState>(std::move(f));
    } else {
      RETURN_IF_ERROR(forward_->Run({batch[i].input}));
    }
    std::vector<float> dbox, dlogits;
    ASSIGN_OR_RETURN(SsdBatchLoss::Terms l, loss.Image(i, forward_->values(head_.boxes),
                                                       forward_->values(head_.logits),
                                                       train ? out.step : 0, &dbox, &dlogits));
    out.box += l.box;
    out.cls += l.cls;
    if (!train) continue;
    std::map<int32_t, std::vector<float>> seeds = {{head_.boxes, std::move(dbox)},
                                                   {head_.logits, std::move(dlogits)}};
    ASSIGN_OR_RETURN(Gradients g, Backward(*forward_, seeds, bo));
    AccumulateGradients(g, params_, &sum);
  }
  if (train) {
    const int warmup = WarmupSteps(options_.warmup_steps, options_.steps);
    out.lr = ScheduledLearningRate(options_.lr, out.step - 1, options_.steps, warmup, options_.schedule);
    forward_.reset();  // it reads the weights about to be replaced
    // The loss is already normalized over the batch (by its matches).
    ApplyGradients(&sum, 1.0, out.lr, &optimizer_, &graph_.subgraphs[0], &masks_);
    out.pruned = options_.prune.Apply(out.step, &graph_.subgraphs[0], &masks_);
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

ir::Model FineTuneSession::Export() const {
  return WithParameters(full_, graph_.subgraphs[0], params_);
}

}  // namespace detlite::train
