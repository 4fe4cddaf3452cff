// Anchor matching and box encoding of the Object Detection API's SSD
// training (issue 13, item 3b), as its ssdlite_mobilenet_v2_coco config sets
// them: IoU similarity, an argmax matcher (matched at IoU >= 0.5, negative
// below 0.5, each ground-truth box force-matched to its best anchor) and the
// faster-rcnn box coder with scales y, x, h, w = 10, 10, 5, 5.
//
// Anchors are TFLite_Detection_PostProcess's (centre y, x, height, width,
// normalized to the input), and so is the encoding's layout (ty, tx, th, tw):
// the op decodes exactly what EncodeBox encodes.
#ifndef DETLITE_TRAIN_SSD_MATCH_H_
#define DETLITE_TRAIN_SSD_MATCH_H_

#include <array>
#include <vector>

namespace detlite::train {

struct CenterBox {
  float y = 0, x = 0, h = 0, w = 0;  // centre and size
};

// A labelled box, corners normalized to [0, 1] of the image the model sees.
struct GroundTruthBox {
  float ymin = 0, xmin = 0, ymax = 0, xmax = 0;
  int column = 0;  // the class-logit column this box's class trains
};

struct BoxCoderScales {
  float y = 10, x = 10, h = 5, w = 5;
};

struct MatchOptions {
  float matched_threshold = 0.5f;    // IoU >= this: matched
  float unmatched_threshold = 0.5f;  // IoU < this: negative; between: ignored
  bool force_match = true;           // each box takes its best anchor
};

// Per anchor: the index of its ground-truth box, or one of these.
inline constexpr int kNegative = -1;
inline constexpr int kIgnored = -2;

float Iou(const CenterBox& anchor, const GroundTruthBox& box);
float Iou(const CenterBox& a, const CenterBox& b);

// The argmax matcher. Ties go to the lower index, as TensorFlow's argmax
// does: among boxes for an anchor, and among boxes that force-match the
// same anchor. Without boxes every anchor is negative.
std::vector<int> MatchAnchors(const std::vector<CenterBox>& anchors,
                              const std::vector<GroundTruthBox>& boxes,
                              const MatchOptions& options = {});

int CountMatches(const std::vector<int>& matches);

// The faster-rcnn encoding of `box` against `anchor`: (ty, tx, th, tw).
std::array<float, 4> EncodeBox(const GroundTruthBox& box, const CenterBox& anchor,
                               const BoxCoderScales& scales);
// Its inverse, as TFLite_Detection_PostProcess decodes a prediction.
CenterBox DecodeBox(const float* encoding, const CenterBox& anchor, const BoxCoderScales& scales);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_SSD_MATCH_H_
