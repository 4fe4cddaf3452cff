#include "api/train_ssd_config.h"

#include "importers/odapi/pipeline_config.h"

namespace detlite::api {

Status ApplyPipelineLossSettings(const std::string& path, train::SsdLossOptions* loss) {
  ASSIGN_OR_RETURN(odapi::PipelineConfig c, odapi::ReadPipelineConfig(path));
  if (!c.has_ssd) return InvalidArgument(path + ": no model.ssd section (--pipeline-config is for SSD models)");
  const odapi::SsdTrainSettings& t = c.train;
  if (t.has_matcher) {
    loss->match.matched_threshold = t.matched_threshold;
    loss->match.unmatched_threshold = t.unmatched_threshold;
    loss->match.force_match = t.force_match;
  }
  if (!t.has_loss) return Status::Ok();
  auto unsupported = [&](const std::string& what) {
    return Unimplemented(path + ": " + what + " is not a loss detlite trains with (it has weighted "
                         "smooth L1; weighted sigmoid, softmax and sigmoid focal; classification "
                         "hard example mining)");
  };
  if (t.localization != "smooth_l1") return unsupported("localization_loss " + t.localization);
  if (t.classification == "sigmoid") {
    loss->classification.kind = train::ClassLoss::kSigmoid;
  } else if (t.classification == "softmax") {
    loss->classification.kind = train::ClassLoss::kSoftmax;
  } else if (t.classification == "focal") {
    loss->classification.kind = train::ClassLoss::kSigmoidFocal;
    loss->classification.focal_gamma = t.focal_gamma;
    loss->classification.focal_alpha = t.focal_alpha;
  } else {
    return unsupported("classification_loss " + t.classification);
  }
  loss->localization_weight = t.localization_weight;
  loss->classification_weight = t.classification_weight;
  loss->huber_delta = t.huber_delta;
  loss->hard_mining = t.hard_mining;
  if (t.hard_mining) {
    loss->num_hard_examples = t.num_hard_examples;
    loss->mining_iou = t.mining_iou;
    // 0 in the config means no ratio limit.
    loss->max_negatives_per_positive = t.max_negatives_per_positive > 0 ? t.max_negatives_per_positive
                                                                        : 1 << 20;
    loss->min_negatives_per_image = t.min_negatives_per_image;
  }
  return Status::Ok();
}

}  // namespace detlite::api
