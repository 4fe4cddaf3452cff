// model.ssd.matcher and model.ssd.loss of a pipeline.config: the settings
// the Object Detection API trains an SSD with, for `detlite train --loss ssd
// --pipeline-config`. Values a loss cannot use are refused here, naming the
// field, so a run never starts on a misread config.
#include <cmath>
#include <string>

#include "detlite/odapi/pipeline.pb.h"
#include "importers/odapi/pipeline_config.h"

namespace detlite::odapi {

Status ReadTrainSettings(const pb::Ssd& s, const std::string& name, SsdTrainSettings* t) {
  auto bad = [&](const std::string& what) { return InvalidArgument(name + ": " + what); };
  if (s.matcher().has_argmax_matcher()) {
    const pb::ArgMaxMatcher& m = s.matcher().argmax_matcher();
    t->has_matcher = true;
    t->matched_threshold = m.matched_threshold();
    t->unmatched_threshold = m.ignore_thresholds() ? m.matched_threshold() : m.unmatched_threshold();
    t->force_match = m.force_match_for_each_row();
    if (!(t->matched_threshold >= 0 && t->matched_threshold <= 1) ||
        !(t->unmatched_threshold >= 0 && t->unmatched_threshold <= t->matched_threshold)) {
      return bad("argmax_matcher thresholds must satisfy 0 <= unmatched <= matched <= 1");
    }
  }
  if (!s.has_loss()) return Status::Ok();
  const pb::Loss& l = s.loss();
  t->has_loss = true;
  t->localization_weight = l.localization_weight();
  t->classification_weight = l.classification_weight();
  if (!(t->localization_weight >= 0) || !(t->classification_weight >= 0) ||
      !std::isfinite(t->localization_weight) || !std::isfinite(t->classification_weight)) {
    return bad("loss weights must be finite and >= 0");
  }
  if (l.localization_loss().has_weighted_smooth_l1()) {
    t->huber_delta = l.localization_loss().weighted_smooth_l1().delta();
    if (!(t->huber_delta > 0)) return bad("weighted_smooth_l1 delta must be > 0");
  } else if (l.localization_loss().has_weighted_l2()) {
    t->localization = "weighted_l2";
  }
  const pb::ClassificationLoss& c = l.classification_loss();
  if (c.has_weighted_softmax()) {
    t->classification = "softmax";
  } else if (c.has_weighted_sigmoid_focal()) {
    t->classification = "focal";
    t->focal_gamma = c.weighted_sigmoid_focal().gamma();
    t->focal_alpha = c.weighted_sigmoid_focal().has_alpha() ? c.weighted_sigmoid_focal().alpha() : -1;
    if (!(t->focal_gamma >= 0) || t->focal_alpha > 1) return bad("focal gamma/alpha out of range");
  } else if (c.has_bootstrapped_sigmoid()) {
    t->classification = "bootstrapped_sigmoid";
  }
  if (l.has_hard_example_miner()) {
    const pb::HardExampleMiner& h = l.hard_example_miner();
    t->hard_mining = true;
    t->num_hard_examples = h.num_hard_examples();
    t->mining_iou = h.iou_threshold();
    t->max_negatives_per_positive = h.max_negatives_per_positive();
    t->min_negatives_per_image = h.min_negatives_per_image();
    if (h.loss_type() != pb::HardExampleMiner::CLASSIFICATION) {
      t->classification += "+mining on " + std::string(h.loss_type() == pb::HardExampleMiner::BOTH
                                                            ? "BOTH" : "LOCALIZATION") + " loss";
    }
    if (t->num_hard_examples < 0 || t->max_negatives_per_positive < 0 ||
        t->min_negatives_per_image < 0 || !(t->mining_iou > 0)) {
      return bad("hard_example_miner values out of range");
    }
  }
  return Status::Ok();
}

}  // namespace detlite::odapi
