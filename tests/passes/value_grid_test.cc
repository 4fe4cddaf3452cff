// StorageStep: telling values stored as 8-bit levels (TF.js weights) from
// float ones, and reading the step.
#include "passes/ssd/value_grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace detlite::ssd {
namespace {

// As the TF.js converter stores a weight: 255 levels over [min, max], and as
// its reader decodes one: min + level * scale in float32.
std::vector<float> Levels(const std::vector<float>& x, float* scale) {
  float lo = x[0], hi = x[0];
  for (float v : x) lo = std::min(lo, v), hi = std::max(hi, v);
  *scale = (hi - lo) / 255.0f;
  std::vector<float> out;
  for (float v : x) out.push_back(lo + std::round((v - lo) / *scale) * *scale);
  return out;
}

std::vector<float> Uniform(size_t n, float lo, float hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

TEST(ValueGridTest, EightBitLevelsGiveTheirScale) {
  float scale = 0;
  const std::vector<float> q = Levels(Uniform(5000, -0.2f, 1.3f, 1), &scale);
  EXPECT_NEAR(StorageStep(q.data(), q.size()), scale, scale * 1e-4);
}

TEST(ValueGridTest, LevelsUsedSparselyStillGiveTheStep) {
  // Every third level used, as handtrack's anchor centres, plus both ends.
  const float scale = 0.9875f / 255;
  std::vector<float> v;
  for (int level = 0; level <= 255; level += 3) v.push_back(static_cast<float>(level) * scale);
  v.push_back(255 * scale);
  EXPECT_NEAR(StorageStep(v.data(), v.size()), scale, scale * 1e-4);
}

TEST(ValueGridTest, FloatValuesAreOnNoGrid) {
  const std::vector<float> v = Uniform(5000, -0.2f, 1.3f, 2);
  EXPECT_EQ(StorageStep(v.data(), v.size()), 0.0f);
  const std::vector<float> few = Uniform(200, 0.0f, 1.0f, 3);
  EXPECT_EQ(StorageStep(few.data(), few.size()), 0.0f);
}

TEST(ValueGridTest, ACoarseFloatGridIsNotAnEightBitStore) {
  // Anchor centres (x + 0.5) / 16: exact floats, 16 values on a 1/16 grid.
  std::vector<float> v;
  for (int x = 0; x < 16; ++x) v.push_back((static_cast<float>(x) + 0.5f) / 16);
  EXPECT_EQ(StorageStep(v.data(), v.size()), 0.0f);
}

TEST(ValueGridTest, TooFewDistinctValuesTellNothing) {
  const std::vector<float> v = {0.0f, 0.5f, 1.0f, 0.5f, 0.0f};
  EXPECT_EQ(StorageStep(v.data(), v.size()), 0.0f);
  const std::vector<float> nan = {0, 1, 2, 3, 4, 5, 6, NAN, 8};
  EXPECT_EQ(StorageStep(nan.data(), nan.size()), 0.0f);
}

TEST(ValueGridTest, AnchorColumnsStoredApartGiveTheWidestStep) {
  float s_yc = 0, s_xc = 0, s_h = 0, s_w = 0;
  const auto yc = Levels(Uniform(3000, 0.0f, 1.0f, 4), &s_yc);
  const auto xc = Levels(Uniform(3000, 0.0f, 1.0f, 5), &s_xc);
  const auto h = Levels(Uniform(3000, 0.02f, 2.5f, 6), &s_h);
  const auto w = Levels(Uniform(3000, 0.02f, 0.9f, 7), &s_w);
  std::vector<float> anchors;
  for (size_t i = 0; i < yc.size(); ++i) anchors.insert(anchors.end(), {yc[i], xc[i], h[i], w[i]});
  EXPECT_NEAR(AnchorStorageStep(anchors.data(), anchors.size()), s_h, s_h * 1e-4);
  // One float column: the anchors are not all on grids.
  const auto wf = Uniform(3000, 0.02f, 0.9f, 8);
  for (size_t i = 0; i < wf.size(); ++i) anchors[i * 4 + 3] = wf[i];
  EXPECT_EQ(AnchorStorageStep(anchors.data(), anchors.size()), 0.0f);
}

}  // namespace
}  // namespace detlite::ssd
