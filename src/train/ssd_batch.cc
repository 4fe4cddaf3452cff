#include "train/ssd_batch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace detlite::train {

SsdBatchLoss::SsdBatchLoss(const SsdHead& head, const SsdLossOptions& options,
                           const std::vector<SsdSample>& batch)
    : head_(head), options_(options), batch_(batch) {
  for (const SsdSample& s : batch) {
    matches_.push_back(MatchAnchors(head.anchors, s.boxes, options.match));
    matches_total_ += CountMatches(matches_.back());
    boxes_ += static_cast<int>(s.boxes.size());
  }
  scale_ = 1.0 / std::max(1, matches_total_);
}

StatusOr<SsdBatchLoss::Terms> SsdBatchLoss::Image(size_t i, const float* boxes, const float* logits,
                                                  int step, std::vector<float>* dbox,
                                                  std::vector<float>* dlogits) const {
  const SsdImageLoss l = SsdLoss(head_.anchors, matches_[i], batch_[i].boxes, boxes, logits,
                                 head_.columns, options_, scale_, dbox, dlogits);
  Terms t;
  t.box = options_.localization_weight * l.box * scale_;
  t.cls = options_.classification_weight * l.cls * scale_;
  if (!std::isfinite(static_cast<float>(t.box + t.cls))) {
    std::string names;
    for (const SsdSample& b : batch_) names += (names.empty() ? "" : ", ") + b.name;
    char value[32];
    std::snprintf(value, sizeof(value), "%g", t.box + t.cls);
    return InvalidArgument((step > 0 ? "step " + std::to_string(step) + ": " : std::string()) +
                           "the SSD loss is " + value + " (not finite in float32) on " +
                           batch_[i].name + " (batch of " + std::to_string(batch_.size()) + ": " +
                           names + ")");
  }
  return t;
}

}  // namespace detlite::train
