// The distillation loss of quantization-aware training (issue 13, item 3a):
// the float model teaches its fake-quantized copy on unlabelled photos, so
// QAT needs no labels.
//
// The loss compares the raw head outputs, the tensors a detector's
// post-processing reads: box encodings by squared error (they are regressed
// values, and the Object Detection API trains them with an L1/L2-type loss),
// class logits by the KL divergence between the teacher's and the student's
// sigmoid scores, per class. Matching scores rather than logits spends
// nothing on background logits at -20 versus -25, which give the same score
// of about 0, and the gradient is simply sigmoid(s) - sigmoid(t). Both terms
// are zero when the student equals the teacher and are averaged per anchor.
// The box term of an anchor is weighted by the teacher's best object score
// there (AnchorWeights): a background anchor's box is never shown, and
// matching it spent the training on boxes no detection uses.
#ifndef DETLITE_TRAIN_DISTILL_H_
#define DETLITE_TRAIN_DISTILL_H_

#include <cstdint>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::train {

struct DistillTarget {
  int32_t tensor = -1;
  bool logits = false;  // sigmoid class logits (KL); otherwise box encodings (L2)
};

// The raw outputs of a float detector, in its own tensor indices: the box
// and class inputs of TFLite_Detection_PostProcess when there is one,
// otherwise the float model outputs. A class tensor produced by a LOGISTIC
// is replaced by the LOGISTIC's input (the logits). Without a
// post-processing op an output is taken as class logits when its last
// dimension is 1 or its name says "class" or "score".
StatusOr<std::vector<DistillTarget>> FindDistillTargets(const ir::Subgraph& sg);

struct DistillLoss {
  double box = 0;
  double cls = 0;
  double total() const { return box + cls; }
};

// Per anchor, the largest sigmoid score of the teacher's class logits
// (`n` values, `classes` per anchor), leaving out column 0 when there are
// several (the Object Detection API's background class).
std::vector<float> AnchorWeights(const float* teacher_logits, int64_t n, int64_t classes);

// Adds the loss of one output to `loss` and writes dLoss/dstudent into
// `grad` (resized to the output's size). `last_dim` is the output's last
// dimension (values per anchor); `anchor_weights` (box targets only; may be
// null) has one weight per anchor.
void AddDistillLoss(const DistillTarget& target, const float* student, const float* teacher,
                    int64_t n, int64_t last_dim, float weight,
                    const std::vector<float>* anchor_weights, DistillLoss* loss,
                    std::vector<float>* grad);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_DISTILL_H_
