// The classification losses the Object Detection API's SSD configs choose
// from, per anchor, on its class logits against 0/1 targets (a positive's
// box column, a negative's background column):
//  - kSigmoid: sigmoid cross-entropy summed over the columns
//    (weighted_sigmoid; the ssdlite_mobilenet_v2_coco config);
//  - kSigmoidFocal: each column's cross-entropy times (1 - p_t)^gamma and
//    alpha for targets 1, 1 - alpha for targets 0 (weighted_sigmoid_focal,
//    gamma 2 and alpha 0.25 in the TF2 SSD configs);
//  - kSoftmax: softmax cross-entropy over the columns (weighted_softmax,
//    logit scale 1).
#ifndef DETLITE_TRAIN_SSD_CLASS_LOSS_H_
#define DETLITE_TRAIN_SSD_CLASS_LOSS_H_

namespace detlite::train {

enum class ClassLoss { kSigmoid, kSigmoidFocal, kSoftmax };

struct ClassLossOptions {
  ClassLoss kind = ClassLoss::kSigmoid;
  double focal_gamma = 2.0;
  double focal_alpha = 0.25;  // < 0: no alpha weighting
};

// One anchor: the loss of `columns` logits against `targets`, and
// dLoss/dlogit into `grad` (may be null).
double AnchorClassLoss(const ClassLossOptions& options, const float* logits, const double* targets,
                       int columns, double* grad);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_SSD_CLASS_LOSS_H_
