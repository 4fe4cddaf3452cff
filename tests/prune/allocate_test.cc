// Sensitivity allocation: the weighted average reaches the target exactly,
// insensitive layers are pruned first, and 2:4 levels are never split.
#include "prune/allocate.h"

#include <gtest/gtest.h>

#include <vector>

namespace detlite::prune {
namespace {

double Average(const std::vector<LayerSensitivity>& layers, const std::vector<float>& s) {
  double zeros = 0, total = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    zeros += s[i] * static_cast<double>(layers[i].elements);
    total += static_cast<double>(layers[i].elements);
  }
  return zeros / total;
}

TEST(AllocateTest, ReachesTheTargetPruningTheLeastSensitiveFirst) {
  const std::vector<float> levels = {0.5f, 0.75f, 0.9f, 0.95f};
  std::vector<LayerSensitivity> layers = {
      {1000, levels, {0.01, 0.05, 0.2, 0.5}},        // sensitive
      {1000, levels, {0.0001, 0.0005, 0.001, 0.002}},  // robust
      {4000, levels, {0.001, 0.004, 0.01, 0.03}},
  };
  for (float target : {0.3f, 0.6f, 0.8f}) {
    const auto s = AllocateSparsity(layers, target);
    EXPECT_NEAR(Average(layers, s), target, 1e-6) << target;
    EXPECT_GE(s[1], s[0]) << target;
  }
  const auto low = AllocateSparsity(layers, 0.1f);
  EXPECT_EQ(low[0], 0.0f);  // the sensitive layer is untouched at a low target
}

TEST(AllocateTest, StopsAtTheHighestLevels) {
  const std::vector<float> levels = {0.5f, 0.9f};
  std::vector<LayerSensitivity> layers = {{100, levels, {0.1, 0.2}}, {100, levels, {0.1, 0.2}}};
  const auto s = AllocateSparsity(layers, 0.95f);
  EXPECT_FLOAT_EQ(s[0], 0.9f);
  EXPECT_FLOAT_EQ(s[1], 0.9f);
}

TEST(AllocateTest, MacWeightsMoveZerosToTheLayersThatRunMost) {
  // --prune-allocate macs: a layer's weight is its MACs per weight. The same
  // two layers, the second slightly more sensitive but run 16x as often
  // (4x the pixels): by weight the first is pruned first, by MACs the second.
  const std::vector<float> levels = {0.5f, 0.75f, 0.9f};
  std::vector<LayerSensitivity> layers = {
      {1000, levels, {0.001, 0.004, 0.01}, 1.0},
      {1000, levels, {0.002, 0.008, 0.02}, 1.0},
  };
  const auto by_weight = AllocateSparsity(layers, 0.45f);
  EXPECT_GT(by_weight[0], by_weight[1]);
  layers[1].weight = 16.0;
  const auto by_macs = AllocateSparsity(layers, 0.45f);
  EXPECT_GT(by_macs[1], by_macs[0]);
  EXPECT_NEAR(Average(layers, by_macs), 0.45, 1e-6);  // the target counts weights
}

TEST(AllocateTest, TwoOfFourLayersAreZeroOrHalf) {
  const std::vector<float> levels = {0.5f};
  std::vector<LayerSensitivity> layers = {
      {100, levels, {0.3}}, {100, levels, {0.1}}, {100, levels, {0.2}}};
  const auto s = AllocateSparsity(layers, 0.3f, /*exact_levels=*/true);
  EXPECT_EQ(s[0], 0.0f);
  EXPECT_EQ(s[1], 0.5f);
  EXPECT_EQ(s[2], 0.5f);
}

}  // namespace
}  // namespace detlite::prune
