// The SSD matcher and box coder on cases computed by hand: IoU, the
// argmax matcher's thresholds (0.5 is matched), force matching and its tie
// rules, and the faster-rcnn encoding with scales 10, 10, 5, 5.
#include <gtest/gtest.h>

#include <cmath>

#include "train/ssd_match.h"

namespace detlite::train {
namespace {

// Anchors are centre y, x, height, width.
const CenterBox kCentre{0.5f, 0.5f, 0.5f, 0.5f};  // corners 0.25 .. 0.75

TEST(SsdMatch, IouOfHandDrawnBoxes) {
  EXPECT_FLOAT_EQ(Iou(kCentre, GroundTruthBox{0.25f, 0.25f, 0.75f, 0.75f, 1}), 1.0f);
  // Half of the anchor: 0.125 / (0.25 + 0.25 - 0.125) = 1/3.
  EXPECT_FLOAT_EQ(Iou(kCentre, GroundTruthBox{0.25f, 0.5f, 0.75f, 1.0f, 1}), 1.0f / 3);
  EXPECT_FLOAT_EQ(Iou(kCentre, GroundTruthBox{0.8f, 0.8f, 0.9f, 0.9f, 1}), 0.0f);
  // Touching edges do not overlap.
  EXPECT_FLOAT_EQ(Iou(kCentre, GroundTruthBox{0.75f, 0.25f, 1.0f, 0.75f, 1}), 0.0f);
}

TEST(SsdMatch, ThresholdsForceMatchingAndTies) {
  const std::vector<CenterBox> anchors = {
      {0.5f, 0.5f, 1.0f, 1.0f},   // 0: whole image
      {0.25f, 0.5f, 0.5f, 1.0f},  // 1: top half
      {0.75f, 0.5f, 0.5f, 1.0f},  // 2: bottom half
      {0.1f, 0.1f, 0.2f, 0.2f},   // 3: small, top left
  };
  // Box 0 = the top half: IoU 0.5 with anchor 0 (matched: >= 0.5), 1 with
  // anchor 1, 0 with anchor 2, 0.08 with anchor 3.
  // Box 1 = a tiny box inside anchor 3's corner: best IoU 0.01 (with anchor 3).
  const std::vector<GroundTruthBox> boxes = {{0.0f, 0.0f, 0.5f, 1.0f, 7},
                                             {0.0f, 0.0f, 0.02f, 0.02f, 9}};
  const std::vector<int> m = MatchAnchors(anchors, boxes);
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0], 0);  // IoU exactly 0.5 counts as matched
  EXPECT_EQ(m[1], 0);
  EXPECT_EQ(m[2], kNegative);
  EXPECT_EQ(m[3], 1);  // force-matched: its IoU (0.01) is far below 0.5
  EXPECT_EQ(CountMatches(m), 3);

  MatchOptions no_force;
  no_force.force_match = false;
  EXPECT_EQ(MatchAnchors(anchors, boxes, no_force)[3], kNegative);
  // Between distinct thresholds: ignored.
  MatchOptions band;
  band.matched_threshold = 0.6f;
  band.unmatched_threshold = 0.4f;
  band.force_match = false;
  EXPECT_EQ(MatchAnchors(anchors, boxes, band)[0], kIgnored);

  // Two identical boxes: the anchor goes to the lower index, and both
  // force-match the same anchor, which the lower index keeps.
  const std::vector<GroundTruthBox> twins = {{0.0f, 0.0f, 0.02f, 0.02f, 3},
                                             {0.0f, 0.0f, 0.02f, 0.02f, 4}};
  const std::vector<int> t = MatchAnchors(anchors, twins);
  EXPECT_EQ(t[3], 0);
  EXPECT_EQ(CountMatches(t), 1);
  // No boxes: everything negative.
  for (int v : MatchAnchors(anchors, {})) EXPECT_EQ(v, kNegative);
}

TEST(SsdMatch, FasterRcnnEncodingAndItsInverse) {
  const CenterBox anchor{0.5f, 0.5f, 0.2f, 0.4f};
  // Centre (0.52, 0.46), height 0.4, width 0.2.
  const GroundTruthBox box{0.32f, 0.36f, 0.72f, 0.56f, 1};
  const auto e = EncodeBox(box, anchor, BoxCoderScales{});
  EXPECT_NEAR(e[0], 10 * 0.02 / 0.2, 1e-5);        // ty = 1
  EXPECT_NEAR(e[1], 10 * -0.04 / 0.4, 1e-5);       // tx = -1
  EXPECT_NEAR(e[2], 5 * std::log(2.0), 1e-5);      // th = 3.466
  EXPECT_NEAR(e[3], 5 * std::log(0.5), 1e-5);      // tw = -3.466
  const CenterBox d = DecodeBox(e.data(), anchor, BoxCoderScales{});
  EXPECT_NEAR(d.y, 0.52, 1e-6);
  EXPECT_NEAR(d.x, 0.46, 1e-6);
  EXPECT_NEAR(d.h, 0.4, 1e-6);
  EXPECT_NEAR(d.w, 0.2, 1e-6);
  // Other scales divide through.
  const auto e1 = EncodeBox(box, anchor, BoxCoderScales{1, 2, 3, 4});
  EXPECT_NEAR(e1[1], 2 * -0.1, 1e-5);
  EXPECT_NEAR(e1[3], 4 * std::log(0.5), 1e-5);
}

}  // namespace
}  // namespace detlite::train
