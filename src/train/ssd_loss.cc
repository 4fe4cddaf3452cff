#include "train/ssd_loss.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace detlite::train {
namespace {

// The target of column c for an anchor with match m.
double Target(int m, int c, const std::vector<GroundTruthBox>& truth, int background) {
  if (m >= 0) return truth[static_cast<size_t>(m)].column == c ? 1.0 : 0.0;
  return c < background ? 1.0 : 0.0;
}

}  // namespace

std::vector<int> MineHardExamples(const std::vector<CenterBox>& predicted,
                                  const std::vector<double>& cls_loss,
                                  const std::vector<int>& matches, const SsdLossOptions& o) {
  std::vector<int> order(predicted.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return cls_loss[static_cast<size_t>(a)] > cls_loss[static_cast<size_t>(b)]; });
  // Greedy non-maximum suppression over every anchor, as the miner runs it
  // (ignored anchors take part in it but are never kept after).
  std::vector<int> selected;
  for (int a : order) {
    if (static_cast<int>(selected.size()) >= o.num_hard_examples) break;
    bool suppressed = false;
    if (o.mining_iou < 1.0f) {
      for (int s : selected) {
        if (Iou(predicted[static_cast<size_t>(a)], predicted[static_cast<size_t>(s)]) > o.mining_iou) {
          suppressed = true;
          break;
        }
      }
    }
    if (!suppressed) selected.push_back(a);
  }
  int positives = 0;
  for (int a : selected) positives += matches[static_cast<size_t>(a)] >= 0;
  const int max_negatives = std::max(o.min_negatives_per_image, o.max_negatives_per_positive * positives);
  std::vector<int> kept;
  int negatives = 0;
  for (int a : selected) {
    const int m = matches[static_cast<size_t>(a)];
    if (m >= 0) {
      kept.push_back(a);
    } else if (m == kNegative && negatives < max_negatives) {
      kept.push_back(a);
      ++negatives;
    }
  }
  return kept;
}

SsdImageLoss SsdLoss(const std::vector<CenterBox>& anchors, const std::vector<int>& matches,
                     const std::vector<GroundTruthBox>& truth, const float* boxes,
                     const float* logits, int columns, const SsdLossOptions& o, double scale,
                     std::vector<float>* box_grad, std::vector<float>* logit_grad) {
  const size_t n = anchors.size();
  const size_t cols = static_cast<size_t>(columns);
  box_grad->assign(n * 4, 0.0f);
  logit_grad->assign(n * cols, 0.0f);
  // Per-anchor classification loss and its gradient (ignored anchors: 0).
  std::vector<double> cls_loss(n, 0.0);
  std::vector<double> cls_grad(n * cols, 0.0);
  std::vector<double> targets(cols);
  std::vector<CenterBox> predicted(n);
  for (size_t a = 0; a < n; ++a) {
    predicted[a] = DecodeBox(boxes + 4 * a, anchors[a], o.scales);
    const int m = matches[a];
    if (m == kIgnored) continue;
    for (size_t c = 0; c < cols; ++c) targets[c] = Target(m, static_cast<int>(c), truth, o.background_columns);
    cls_loss[a] = AnchorClassLoss(o.classification, logits + a * cols, targets.data(), columns,
                                  cls_grad.data() + a * cols);
  }
  SsdImageLoss out;
  // A NaN would break the mining's ordering; the caller stops on it.
  for (double l : cls_loss) {
    if (!std::isfinite(l)) {
      out.cls = l;
      return out;
    }
  }
  const double d = o.huber_delta;
  std::vector<int> kept;
  if (o.hard_mining) {
    kept = MineHardExamples(predicted, cls_loss, matches, o);
  } else {
    for (size_t a = 0; a < n; ++a) {
      if (matches[a] != kIgnored) kept.push_back(static_cast<int>(a));
    }
  }
  const double cw = o.classification_weight * scale;
  for (int k : kept) {
    const size_t a = static_cast<size_t>(k);
    const int m = matches[a];
    out.cls += cls_loss[a];
    for (size_t c = 0; c < cols; ++c) {
      (*logit_grad)[a * cols + c] = static_cast<float>(cw * cls_grad[a * cols + c]);
    }
    if (m < 0) {
      ++out.negatives;
      continue;
    }
    ++out.positives;
    const auto target = EncodeBox(truth[static_cast<size_t>(m)], anchors[a], o.scales);
    const double lw = o.localization_weight * scale;
    for (size_t j = 0; j < 4; ++j) {
      const double r = static_cast<double>(boxes[4 * a + j]) - target[j];
      const double ar = std::fabs(r);
      out.box += ar < d ? 0.5 * r * r : d * (ar - 0.5 * d);
      (*box_grad)[4 * a + j] = static_cast<float>(lw * (ar < d ? r : (r > 0 ? d : -d)));
    }
  }
  return out;
}

}  // namespace detlite::train
