// The Object Detection API's SSD loss (issue 13, item 3b) with the settings
// of its ssdlite_mobilenet_v2_coco config, for one image:
//  - localization: weighted smooth L1 (Huber, delta 1) between the predicted
//    box encodings and the faster-rcnn encodings of the matched boxes
//    (ssd_match.h), summed over the 4 coordinates, positives only;
//  - classification: weighted sigmoid cross-entropy of the class logits,
//    summed over every column (or the focal or softmax variants,
//    ssd_class_loss.h): a matched anchor's target is its box's column, a
//    negative's the background column(s) (the columns before the first
//    class, TFLite_Detection_PostProcess's label offset), an ignored anchor
//    has weight 0;
//  - hard example mining (loss_type CLASSIFICATION): non-maximum
//    suppression at IoU 0.99 of the predicted boxes, ranked by their
//    classification loss, keeps at most 3000 anchors; of those, every
//    positive and, in loss order, at most max(3, 3 x positives) negatives;
//    both losses are summed over the kept anchors.
// The caller divides by the batch's number of matched anchors
// (normalize_loss_by_num_matches), which the matching alone decides, so
// each image's gradient can be taken before the others are seen.
#ifndef DETLITE_TRAIN_SSD_LOSS_H_
#define DETLITE_TRAIN_SSD_LOSS_H_

#include <cstdint>
#include <vector>

#include "train/ssd_class_loss.h"
#include "train/ssd_match.h"

namespace detlite::train {

struct SsdLossOptions {
  BoxCoderScales scales;
  MatchOptions match;
  int background_columns = 1;  // label offset of the class logits
  float localization_weight = 1.0f;
  float classification_weight = 1.0f;
  float huber_delta = 1.0f;
  ClassLossOptions classification;  // sigmoid cross-entropy by default
  // Off: every positive and every negative counts (the TF2 focal-loss
  // configs have no miner).
  bool hard_mining = true;
  int num_hard_examples = 3000;
  float mining_iou = 0.99f;  // the mining NMS; >= 1 turns it off
  int max_negatives_per_positive = 3;
  int min_negatives_per_image = 3;
};

struct SsdImageLoss {
  double box = 0;  // unnormalized sums over the kept anchors
  double cls = 0;
  int positives = 0;  // kept by the mining
  int negatives = 0;
};

// One image: `boxes` its predicted encodings (anchors x 4), `logits` its
// class logits (anchors x `columns`), `matches` from MatchAnchors over
// `truth`. Writes d(scale * weighted loss)/d(prediction) into the two
// gradient vectors (resized), where `scale` is 1 / the batch's matches.
SsdImageLoss SsdLoss(const std::vector<CenterBox>& anchors, const std::vector<int>& matches,
                     const std::vector<GroundTruthBox>& truth, const float* boxes,
                     const float* logits, int columns, const SsdLossOptions& options,
                     double scale, std::vector<float>* box_grad, std::vector<float>* logit_grad);

// The anchors the mining keeps, in descending classification loss, given
// each anchor's loss (ignored anchors are never kept).
std::vector<int> MineHardExamples(const std::vector<CenterBox>& predicted,
                                  const std::vector<double>& cls_loss,
                                  const std::vector<int>& matches, const SsdLossOptions& options);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_SSD_LOSS_H_
