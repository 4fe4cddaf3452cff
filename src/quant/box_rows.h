// A detector's box encodings are read only where a score can pass.
//
// TFLite_Detection_PostProcess outputs a box only for an anchor whose score
// reaches its nms_score_threshold; every other anchor's box encoding is
// never read. On photos without the objects those unread values can be
// wild: BlazeFace short range's 8x8 regressor head spans [-1285, 4193] on
// 100 COCO photos, while at the anchors scoring at least 0.01 its box
// values stay within [-16, 115]. Calibrated over all anchors, its int8 step
// was 16 pixels of a 128-pixel input.
//
// So calibration observes the tensors that carry box encodings (from the
// post-processing's box input back through reshapes, concatenations along
// the anchor axis and element-wise or column-selecting ops) only at the
// anchors the scores of the same sample let through.
#ifndef DETLITE_QUANT_BOX_ROWS_H_
#define DETLITE_QUANT_BOX_ROWS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "ir/graph.h"

namespace detlite::quant {

struct BoxRows {
  int32_t scores = -1;         // the post-processing's score input, [1, anchors, columns]
  int64_t anchors = 0;
  int64_t columns = 0;         // score columns per anchor
  int64_t first_class = 0;     // columns before it are background
  float threshold = 0;         // nms_score_threshold
  // Box tensors: anchor of flat element e = offset + e / (elements / count).
  struct Rows {
    int64_t offset = 0, count = 0;
  };
  std::map<int32_t, Rows> tensors;
};

// Nothing when `sg` has no TFLite_Detection_PostProcess or its inputs do
// not have the expected shapes.
std::optional<BoxRows> FindBoxRows(const ir::Subgraph& sg);

// Which anchors have a score >= the threshold in `scores` (the score
// input's values for one sample).
std::vector<bool> PassingAnchors(const BoxRows& rows, const float* scores);

// The values of box tensor `t` (n elements) at passing anchors.
std::vector<float> ValuesAtAnchors(const BoxRows& rows, int32_t t, const float* values,
                                   int64_t n, const std::vector<bool>& passing);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_BOX_ROWS_H_
