#include "train/ssd_match.h"

#include <algorithm>
#include <cmath>

namespace detlite::train {
namespace {

// The box coder's guard against a zero height or width.
constexpr float kEpsilon = 1e-8f;

struct Corners {
  float ymin, xmin, ymax, xmax;
};

Corners Of(const CenterBox& b) {
  return {b.y - 0.5f * b.h, b.x - 0.5f * b.w, b.y + 0.5f * b.h, b.x + 0.5f * b.w};
}

float Iou(const Corners& a, const Corners& b) {
  const float ih = std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin);
  const float iw = std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin);
  if (ih <= 0 || iw <= 0) return 0.0f;
  const float inter = ih * iw;
  const float uni = (a.ymax - a.ymin) * (a.xmax - a.xmin) + (b.ymax - b.ymin) * (b.xmax - b.xmin) - inter;
  return uni > 0 ? inter / uni : 0.0f;
}

}  // namespace

float Iou(const CenterBox& anchor, const GroundTruthBox& box) {
  return Iou(Of(anchor), Corners{box.ymin, box.xmin, box.ymax, box.xmax});
}

float Iou(const CenterBox& a, const CenterBox& b) { return Iou(Of(a), Of(b)); }

std::vector<int> MatchAnchors(const std::vector<CenterBox>& anchors,
                              const std::vector<GroundTruthBox>& boxes,
                              const MatchOptions& options) {
  const size_t n = anchors.size();
  std::vector<int> match(n, kNegative);
  if (boxes.empty()) return match;
  std::vector<int> best_anchor(boxes.size(), 0);
  std::vector<float> best_anchor_iou(boxes.size(), -1.0f);
  for (size_t a = 0; a < n; ++a) {
    float best = -1.0f;
    int arg = 0;
    for (size_t g = 0; g < boxes.size(); ++g) {
      const float iou = Iou(anchors[a], boxes[g]);
      if (iou > best) best = iou, arg = static_cast<int>(g);
      if (iou > best_anchor_iou[g]) best_anchor_iou[g] = iou, best_anchor[g] = static_cast<int>(a);
    }
    if (best >= options.matched_threshold) {
      match[a] = arg;
    } else if (best >= options.unmatched_threshold) {
      match[a] = kIgnored;
    }
  }
  if (options.force_match) {
    // Highest box index first, so the lowest one that picked an anchor wins.
    for (size_t g = boxes.size(); g-- > 0;) match[static_cast<size_t>(best_anchor[g])] = static_cast<int>(g);
  }
  return match;
}

int CountMatches(const std::vector<int>& matches) {
  return static_cast<int>(std::count_if(matches.begin(), matches.end(), [](int m) { return m >= 0; }));
}

std::array<float, 4> EncodeBox(const GroundTruthBox& box, const CenterBox& anchor,
                               const BoxCoderScales& scales) {
  const float ha = anchor.h + kEpsilon, wa = anchor.w + kEpsilon;
  const float h = box.ymax - box.ymin + kEpsilon, w = box.xmax - box.xmin + kEpsilon;
  const float yc = 0.5f * (box.ymin + box.ymax), xc = 0.5f * (box.xmin + box.xmax);
  return {scales.y * (yc - anchor.y) / ha, scales.x * (xc - anchor.x) / wa,
          scales.h * std::log(h / ha), scales.w * std::log(w / wa)};
}

CenterBox DecodeBox(const float* e, const CenterBox& anchor, const BoxCoderScales& scales) {
  CenterBox b;
  b.y = e[0] / scales.y * anchor.h + anchor.y;
  b.x = e[1] / scales.x * anchor.w + anchor.x;
  b.h = std::exp(e[2] / scales.h) * anchor.h;
  b.w = std::exp(e[3] / scales.w) * anchor.w;
  return b;
}

}  // namespace detlite::train
