// The SSD loss of a labelled batch, shared by float fine-tuning
// (finetune.h) and QAT with labels (qat.h): anchors matched photo by photo
// up front (the matching alone decides the normalizer, so each photo's
// gradient can be taken before the others are seen), then each photo's
// weighted, normalized terms and gradients from its head outputs.
#ifndef DETLITE_TRAIN_SSD_BATCH_H_
#define DETLITE_TRAIN_SSD_BATCH_H_

#include <vector>

#include "detlite/status.h"
#include "train/ssd_head.h"
#include "train/ssd_loss.h"
#include "train/ssd_sample.h"

namespace detlite::train {

class SsdBatchLoss {
 public:
  SsdBatchLoss(const SsdHead& head, const SsdLossOptions& options, const std::vector<SsdSample>& batch);
  int matches() const { return matches_total_; }  // matched anchors in the batch
  int boxes() const { return boxes_; }            // ground-truth boxes in the batch

  struct Terms {
    double box = 0, cls = 0;  // weighted, divided by the batch's matches
  };
  // Photo i's terms from its box encodings and class logits, with their
  // gradients. A loss that is not finite in float32 is refused naming
  // `step` (0: not training), the photo and the batch.
  StatusOr<Terms> Image(size_t i, const float* boxes, const float* logits, int step,
                        std::vector<float>* dbox, std::vector<float>* dlogits) const;

 private:
  const SsdHead& head_;
  const SsdLossOptions& options_;
  const std::vector<SsdSample>& batch_;
  std::vector<std::vector<int>> matches_;
  int matches_total_ = 0, boxes_ = 0;
  double scale_ = 1;
};

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_SSD_BATCH_H_
