// What SSD training needs from a detector that ends in
// TFLite_Detection_PostProcess: the raw box encodings and class logits it
// reads (where the training graph is cut, as for distillation), its anchors
// (its third input, a constant) and its box-coder scales and class layout
// (its custom options).
#ifndef DETLITE_TRAIN_SSD_HEAD_H_
#define DETLITE_TRAIN_SSD_HEAD_H_

#include <cstdint>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "train/ssd_match.h"

namespace detlite::train {

struct SsdHead {
  int32_t boxes = -1;   // [1, anchors, 4] encodings (ty, tx, th, tw)
  int32_t logits = -1;  // [1, anchors, columns], before the score sigmoid
  std::vector<CenterBox> anchors;
  BoxCoderScales scales;
  int columns = 0;             // class-logit columns
  int background_columns = 0;  // columns before class 0 (the label offset)
};

// Refuses, saying why, a graph without the post-processing op, with
// anchors that are not a constant [anchors, 4] float tensor, or whose
// tensors disagree on the number of anchors.
StatusOr<SsdHead> FindSsdHead(const ir::Subgraph& sg);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_SSD_HEAD_H_
