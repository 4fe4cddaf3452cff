// Magnitude masks: the requested share of weights (or blocks) is zeroed,
// exactly the smallest ones, blocks whole, 2:4 groups with exactly two.
#include "prune/magnitude.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace detlite::prune {
namespace {

std::vector<float> RandomWeights(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> w(n);
  for (float& x : w) x = d(rng);
  return w;
}

int64_t Count(const std::vector<bool>& m) { return std::count(m.begin(), m.end(), true); }

TEST(MagnitudeTest, ZeroesTheSmallestShare) {
  const Shape shape{16, 3, 3, 8};
  const auto w = RandomWeights(16 * 3 * 3 * 8, 1);
  for (float s : {0.0f, 0.3f, 0.75f, 0.9f}) {
    const auto mask = MagnitudeMask(w, shape, s, PruneBlock::k1x1, PrunePattern::kNone);
    EXPECT_EQ(Count(mask), std::llround(s * static_cast<double>(w.size())));
    float largest_zeroed = 0, smallest_kept = INFINITY;
    for (size_t i = 0; i < w.size(); ++i) {
      if (mask[i]) largest_zeroed = std::max(largest_zeroed, std::fabs(w[i]));
      else smallest_kept = std::min(smallest_kept, std::fabs(w[i]));
    }
    if (s > 0) {
      EXPECT_LE(largest_zeroed, smallest_kept);
    }
  }
}

TEST(MagnitudeTest, OneByFourBlocksAreWholeAlongInputChannels) {
  const Shape shape{8, 1, 1, 16};
  const auto w = RandomWeights(8 * 16, 2);
  const auto mask = MagnitudeMask(w, shape, 0.5f, PruneBlock::k1x4, PrunePattern::kNone);
  EXPECT_EQ(Count(mask), 64);
  for (size_t b = 0; b < w.size(); b += 4) {
    const int64_t zeros = mask[b] + mask[b + 1] + mask[b + 2] + mask[b + 3];
    EXPECT_TRUE(zeros == 0 || zeros == 4) << "block at " << b;
  }
}

TEST(MagnitudeTest, FourByOneBlocksAreWholeAlongOutputChannels) {
  const Shape shape{8, 3, 3, 5};
  const int64_t inner = 3 * 3 * 5;
  const auto w = RandomWeights(8 * inner, 3);
  const auto mask = MagnitudeMask(w, shape, 0.75f, PruneBlock::k4x1, PrunePattern::kNone);
  EXPECT_EQ(Count(mask), std::llround(0.75 * (2 * inner)) * 4);
  for (int64_t ob = 0; ob < 2; ++ob) {
    for (int64_t r = 0; r < inner; ++r) {
      int zeros = 0;
      for (int64_t k = 0; k < 4; ++k) zeros += mask[static_cast<size_t>((ob * 4 + k) * inner + r)];
      EXPECT_TRUE(zeros == 0 || zeros == 4);
    }
  }
}

TEST(MagnitudeTest, FourByOneTakesAShorterLastBlock) {
  // 6 output channels: blocks of channels 0-3 and 4-5 at each of 7 inputs.
  const Shape shape{6, 7};
  auto w = RandomWeights(6 * 7, 5);
  // Input 2's short block is tiny, input 5's long block huge: the first is
  // zeroed, the second kept, however the others rank (mean square, so the
  // short block is not favoured for having fewer weights).
  w[4 * 7 + 2] = w[5 * 7 + 2] = 1e-6f;
  for (int oc = 0; oc < 4; ++oc) w[static_cast<size_t>(oc * 7 + 5)] = 100.0f;
  const auto mask = MagnitudeMask(w, shape, 0.5f, PruneBlock::k4x1, PrunePattern::kNone);
  int zero_blocks = 0;
  for (int g = 0; g < 2; ++g) {
    for (int ic = 0; ic < 7; ++ic) {
      int zeros = 0, size = 0;
      for (int oc = 4 * g; oc < std::min(6, 4 * g + 4); ++oc, ++size) {
        zeros += mask[static_cast<size_t>(oc * 7 + ic)];
      }
      EXPECT_TRUE(zeros == 0 || zeros == size) << "block " << g << "," << ic;
      zero_blocks += zeros > 0;
    }
  }
  EXPECT_EQ(zero_blocks, 7);  // half of 14 blocks
  EXPECT_TRUE(mask[4 * 7 + 2]);
  EXPECT_FALSE(mask[0 * 7 + 5]);
}

TEST(MagnitudeTest, TwoOfFourKeepsTheTwoLargestOfEachGroup) {
  const Shape shape{4, 12};
  const auto w = RandomWeights(48, 4);
  const auto mask = MagnitudeMask(w, shape, 0.5f, PruneBlock::k1x1, PrunePattern::k2of4);
  for (size_t g = 0; g < w.size(); g += 4) {
    int zeros = 0;
    float max_zeroed = 0, min_kept = INFINITY;
    for (size_t k = g; k < g + 4; ++k) {
      zeros += mask[k];
      if (mask[k]) max_zeroed = std::max(max_zeroed, std::fabs(w[k]));
      else min_kept = std::min(min_kept, std::fabs(w[k]));
    }
    EXPECT_EQ(zeros, 2);
    EXPECT_LE(max_zeroed, min_kept);
  }
  EXPECT_EQ(Count(MagnitudeMask(w, shape, 0.4f, PruneBlock::k1x1, PrunePattern::k2of4)), 0);
}

TEST(MagnitudeTest, RefusesLayersThatCannotHoldTheBlock) {
  EXPECT_TRUE(CheckPrunable(Shape{8, 1, 1, 16}, PruneBlock::k1x4, PrunePattern::kNone).ok());
  const Status s = CheckPrunable(Shape{8, 1, 1, 18}, PruneBlock::k1x4, PrunePattern::kNone);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("18"), std::string::npos);
  // 4x1 takes any output channel count (a shorter last block).
  EXPECT_TRUE(CheckPrunable(Shape{6, 1, 1, 16}, PruneBlock::k4x1, PrunePattern::kNone).ok());
  EXPECT_FALSE(CheckPrunable(Shape{8, 6}, PruneBlock::k1x1, PrunePattern::k2of4).ok());
  EXPECT_TRUE(CheckPrunable(Shape{6, 3, 3, 6}, PruneBlock::k1x1, PrunePattern::kNone).ok());
}

}  // namespace
}  // namespace detlite::prune
