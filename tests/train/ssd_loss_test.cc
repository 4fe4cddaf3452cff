// The SSD loss: a hand-computed case (smooth L1 on both sides of delta 1,
// sigmoid cross-entropy with the background column), the hard example
// miner's ratio, minimum and 0.99-IoU suppression, and the gradients with
// respect to the box encodings and class logits against central finite
// differences of the loss itself.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "train/ssd_loss.h"

namespace detlite::train {
namespace {

double Softplus(double x) { return std::log1p(std::exp(x)); }

TEST(SsdLoss, HandComputedPositiveAndNegative) {
  // Anchor 0 is matched to a box of column 2; anchor 1 is negative.
  const std::vector<CenterBox> anchors = {{0.5f, 0.5f, 0.5f, 0.5f}, {0.1f, 0.1f, 0.1f, 0.1f}};
  const std::vector<GroundTruthBox> truth = {{0.25f, 0.25f, 0.75f, 0.75f, 2}};
  const std::vector<int> matches = MatchAnchors(anchors, truth);
  ASSERT_EQ(matches, (std::vector<int>{0, kNegative}));
  // The box's encoding against anchor 0 is (0, 0, 0, 0): residuals 0.5
  // (quadratic side: 0.125) and 2 (linear side: 2 - 0.5 = 1.5).
  const float boxes[8] = {0.5f, 0.0f, -2.0f, 0.0f, 0, 0, 0, 0};
  const float logits[6] = {0.0f, 1.0f, 2.0f, /*negative:*/ 3.0f, -1.0f, 0.5f};
  std::vector<float> db, dl;
  const SsdImageLoss l = SsdLoss(anchors, matches, truth, boxes, logits, 3, SsdLossOptions{}, 0.5, &db, &dl);
  EXPECT_NEAR(l.box, 0.125 + 1.5, 1e-6);
  // Positive: target column 2. Negative: target the background column 0.
  const double pos = Softplus(0) + Softplus(1) + Softplus(2) - 2;
  const double neg = Softplus(3) - 3 + Softplus(-1) + Softplus(0.5);
  EXPECT_NEAR(l.cls, pos + neg, 1e-6);
  EXPECT_EQ(l.positives, 1);
  EXPECT_EQ(l.negatives, 1);
  // Gradients carry the scale (0.5): Huber slope 0.5 and +-1; sigmoid - target.
  EXPECT_NEAR(db[0], 0.5 * 0.5, 1e-6);
  EXPECT_NEAR(db[2], 0.5 * -1.0, 1e-6);
  EXPECT_NEAR(db[4], 0, 0);  // negatives get no box gradient
  EXPECT_NEAR(dl[2], 0.5 * (1 / (1 + std::exp(-2.0)) - 1), 1e-6);
  EXPECT_NEAR(dl[3], 0.5 * (1 / (1 + std::exp(-3.0)) - 1), 1e-6);
  EXPECT_NEAR(dl[4], 0.5 * (1 / (1 + std::exp(1.0))), 1e-6);
}

TEST(SsdLoss, MiningKeepsThreeNegativesPerPositiveAndAtLeastThree) {
  // 10 disjoint anchors along x; negatives' losses 9, 8, ..., 1 by index.
  std::vector<CenterBox> predicted;
  for (int i = 0; i < 10; ++i) predicted.push_back({0.5f, 0.05f + 0.1f * i, 0.05f, 0.05f});
  std::vector<double> loss;
  for (int i = 0; i < 10; ++i) loss.push_back(10 - i);
  std::vector<int> matches(10, kNegative);
  SsdLossOptions o;
  // No positive: the minimum of 3 negatives, the hardest.
  EXPECT_EQ(MineHardExamples(predicted, loss, matches, o), (std::vector<int>{0, 1, 2}));
  // Two positives (anchors 5 and 9): every positive, and 6 negatives.
  matches[5] = 0;
  matches[9] = 0;
  EXPECT_EQ(MineHardExamples(predicted, loss, matches, o), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 9}));
  // An ignored anchor is never kept and is not counted as a negative.
  matches[1] = kIgnored;
  EXPECT_EQ(MineHardExamples(predicted, loss, matches, o), (std::vector<int>{0, 2, 3, 4, 5, 6, 7, 9}));
  // Anchor 1 predicted on top of anchor 0 (IoU 1 > 0.99): suppressed by it.
  matches.assign(10, kNegative);
  predicted[1] = predicted[0];
  EXPECT_EQ(MineHardExamples(predicted, loss, matches, o), (std::vector<int>{0, 2, 3}));
  matches[9] = 0;
  EXPECT_EQ(MineHardExamples(predicted, loss, matches, o), (std::vector<int>{0, 2, 3, 9}));
  // A suppressed positive is dropped too, as the miner's NMS drops it.
  matches.assign(10, kNegative);
  matches[1] = 0;
  EXPECT_EQ(MineHardExamples(predicted, loss, matches, o), (std::vector<int>{0, 2, 3}));
  o.mining_iou = 1.0f;  // suppression off
  matches.assign(10, kNegative);
  EXPECT_EQ(MineHardExamples(predicted, loss, matches, o), (std::vector<int>{0, 1, 2}));
  o.min_negatives_per_image = 5;
  EXPECT_EQ(MineHardExamples(predicted, loss, matches, o), (std::vector<int>{0, 1, 2, 3, 4}));
}

struct Case {
  std::vector<CenterBox> anchors;
  std::vector<GroundTruthBox> truth;
  std::vector<int> matches;
  std::vector<float> boxes, logits;
  int columns = 5;
};

Case RandomCase(uint64_t seed) {
  Case c;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::normal_distribution<float> n(0.0f, 1.0f);
  for (int gy = 0; gy < 6; ++gy) {
    for (int gx = 0; gx < 6; ++gx) {
      for (float s : {0.2f, 0.4f}) c.anchors.push_back({(gy + 0.5f) / 6, (gx + 0.5f) / 6, s, s});
    }
  }
  for (int g = 0; g < 3; ++g) {
    const float y = 0.6f * u(rng), x = 0.6f * u(rng);
    c.truth.push_back({y, x, y + 0.15f + 0.25f * u(rng), x + 0.15f + 0.25f * u(rng), 1 + g});
  }
  c.matches = MatchAnchors(c.anchors, c.truth);
  // Predictions near the targets, some residuals beyond Huber's delta.
  for (size_t a = 0; a < c.anchors.size(); ++a) {
    for (int j = 0; j < 4; ++j) c.boxes.push_back(1.5f * n(rng));
    for (int k = 0; k < c.columns; ++k) c.logits.push_back(2.0f * n(rng));
  }
  return c;
}

SsdLossOptions Weighted(ClassLoss kind, bool mining) {
  SsdLossOptions o;
  o.localization_weight = 0.7f;
  o.classification_weight = 1.3f;
  o.classification.kind = kind;
  o.hard_mining = mining;
  return o;
}

double LossOf(const Case& c, double scale, const SsdLossOptions& o) {
  std::vector<float> db, dl;
  const SsdImageLoss l = SsdLoss(c.anchors, c.matches, c.truth, c.boxes.data(), c.logits.data(),
                                 c.columns, o, scale, &db, &dl);
  return scale * (o.localization_weight * l.box + o.classification_weight * l.cls);
}

TEST(SsdLoss, GradientsMatchFiniteDifferences) {
  for (ClassLoss kind : {ClassLoss::kSigmoid, ClassLoss::kSigmoidFocal, ClassLoss::kSoftmax}) {
    for (bool mining : {true, false}) {
      for (uint64_t seed : {1u, 2u, 3u}) {
        SCOPED_TRACE(std::to_string(static_cast<int>(kind)) + (mining ? " mined" : " all") +
                     " seed " + std::to_string(seed));
        const SsdLossOptions o = Weighted(kind, mining);
        Case c = RandomCase(seed);
        ASSERT_GE(CountMatches(c.matches), 2);
        const double scale = 1.0 / CountMatches(c.matches);
        std::vector<float> db, dl;
        SsdLoss(c.anchors, c.matches, c.truth, c.boxes.data(), c.logits.data(), c.columns, o, scale, &db, &dl);
        double worst = 0, largest = 0, dot = 0, na = 0, nn = 0;
        int checked = 0, nonzero = 0;
        for (std::vector<float>* v : {&c.boxes, &c.logits}) {
          const std::vector<float>& g = v == &c.boxes ? db : dl;
          for (size_t i = 0; i < v->size(); ++i) {
            const float x = (*v)[i];
            const float h = 1e-3f;
            (*v)[i] = x + h;
            const double up = LossOf(c, scale, o);
            (*v)[i] = x - h;
            const double down = LossOf(c, scale, o);
            (*v)[i] = x;
            const double numeric = (up - down) / (static_cast<double>(x + h) - static_cast<double>(x - h));
            ++checked;
            nonzero += g[i] != 0;
            worst = std::max(worst, std::fabs(numeric - g[i]));
            largest = std::max(largest, std::fabs(numeric));
            dot += numeric * g[i];
            na += static_cast<double>(g[i]) * g[i];
            nn += numeric * numeric;
          }
        }
        EXPECT_EQ(checked, static_cast<int>(c.anchors.size() * (4 + c.columns)));
        EXPECT_GT(nonzero, 20);
        EXPECT_LT(worst, 1e-3 * largest) << "worst " << worst << " of " << largest;
        EXPECT_GT(dot / std::sqrt(na * nn), 0.99999);
      }
    }
  }
}

TEST(SsdLoss, FocalAndSoftmaxByHand) {
  const float logits[3] = {0.5f, -1.0f, 2.0f};
  const double targets[3] = {0, 0, 1};
  double g[3];
  auto sigmoid = [](double x) { return 1 / (1 + std::exp(-x)); };
  ClassLossOptions focal;
  focal.kind = ClassLoss::kSigmoidFocal;
  // Target 0: 0.75 p^2 softplus(x); target 1: 0.25 (1 - p)^2 softplus(-x).
  double expected = 0;
  for (int c = 0; c < 2; ++c) {
    const double p = sigmoid(logits[c]);
    expected += 0.75 * p * p * Softplus(logits[c]);
  }
  const double p2 = sigmoid(2.0);
  expected += 0.25 * (1 - p2) * (1 - p2) * Softplus(-2.0);
  EXPECT_NEAR(AnchorClassLoss(focal, logits, targets, 3, g), expected, 1e-9);
  // A confident right answer costs less under focal than plain sigmoid.
  ClassLossOptions plain;
  EXPECT_LT(AnchorClassLoss(focal, logits, targets, 3, nullptr), AnchorClassLoss(plain, logits, targets, 3, nullptr));
  ClassLossOptions softmax;
  softmax.kind = ClassLoss::kSoftmax;
  const double z = std::exp(0.5) + std::exp(-1.0) + std::exp(2.0);
  EXPECT_NEAR(AnchorClassLoss(softmax, logits, targets, 3, g), std::log(z) - 2.0, 1e-9);
  EXPECT_NEAR(g[0], std::exp(0.5) / z, 1e-9);
  EXPECT_NEAR(g[2], std::exp(2.0) / z - 1, 1e-9);
}

}  // namespace
}  // namespace detlite::train
