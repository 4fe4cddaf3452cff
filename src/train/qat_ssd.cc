// QatSession with labels (`detlite train --qat --loss ssd`): the SSD loss of
// fine-tuning on the fake-quant student's head outputs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "train/backward.h"
#include "train/qat.h"
#include "train/ssd_batch.h"

namespace detlite::train {

Status QatSession::SetUpSsdLoss(const ir::Subgraph& sg) {
  ASSIGN_OR_RETURN(head_, FindSsdHead(sg));
  options_.loss.scales = head_.scales;
  options_.loss.background_columns = head_.background_columns;
  bool boxes = false, logits = false;
  for (size_t i = 0; i < targets_.size(); ++i) {
    if (targets_[i].tensor == head_.boxes) head_boxes_ = i, boxes = true;
    if (targets_[i].tensor == head_.logits) head_logits_ = i, logits = true;
  }
  if (!boxes || !logits) {
    return Internal("the SSD head's box encodings and class logits are not the QAT graph's outputs");
  }
  return Status::Ok();
}

StatusOr<QatStep> QatSession::StepSsd(const std::vector<SsdSample>& batch) {
  if (!options_.ssd_loss) return Internal("StepSsd on a distillation session");
  const auto start = std::chrono::steady_clock::now();
  QatStep out;
  out.step = ++step_;
  if (stale_) RETURN_IF_ERROR(Rebuild());
  const SsdBatchLoss loss(head_, options_.loss, batch);
  out.matches = loss.matches();
  BackwardOptions bo;
  bo.input_gradients = false;
  bo.num_threads = options_.threads;
  std::map<int32_t, std::vector<float>> sum;
  std::map<int32_t, quant::Observer> ranges;
  const std::vector<bool> computed = Computed();
  const int32_t box_out = graph_.outputs[head_boxes_], logit_out = graph_.outputs[head_logits_];
  for (size_t i = 0; i < batch.size(); ++i) {
    RETURN_IF_ERROR(StudentOutputs(batch[i].input).status());
    std::vector<float> dbox, dlogits;
    ASSIGN_OR_RETURN(SsdBatchLoss::Terms l, loss.Image(i, forward_->values(box_out),
                                                       forward_->values(logit_out), out.step,
                                                       &dbox, &dlogits));
    out.loss.box += l.box;
    out.loss.cls += l.cls;
    std::map<int32_t, std::vector<float>> seeds = {{box_out, std::move(dbox)},
                                                   {logit_out, std::move(dlogits)}};
    ASSIGN_OR_RETURN(Gradients g, Backward(*forward_, seeds, bo));
    AccumulateGradients(g, params_, &sum);
    ObserveRanges(computed, &ranges);
  }
  // The loss is already normalized over the batch (by its matches).
  Update(&sum, 1.0, &ranges, &out);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace detlite::train
