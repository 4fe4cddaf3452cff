// Gradual pruning while training (train/prune_schedule.h): the cubic's
// values and pruning steps; on BlazeFace short range in a QAT session, the
// layers reach their level at the end step (the smallest weights zeroed),
// keep their zeros through later updates while the other weights move, and
// a zero pruned early stays pruned.
#include <gtest/gtest.h>

#include <cstring>

#include "prune/layers.h"
#include "train/prune_schedule.h"
#include "train/qat.h"
#include "train/qat_test_util.h"

namespace detlite::train {
namespace {

using testing::BlazeFaceFixture;
using testing::QatFixture;

TEST(PruneSchedule, CubicFromBeginToEnd) {
  PruneSchedule s;
  s.final_sparsity = {0.8f};
  s.begin = 10;
  s.end = 40;
  s.every = 10;
  EXPECT_EQ(s.Fraction(10), 0.0f);
  EXPECT_FLOAT_EQ(s.Fraction(25), 0.875f);  // 1 - (1 - 1/2)^3
  EXPECT_FLOAT_EQ(s.Fraction(20), 1.0f - 8.0f / 27.0f);
  EXPECT_EQ(s.Fraction(40), 1.0f);
  EXPECT_EQ(s.Fraction(90), 1.0f);
  std::vector<int> at;
  for (int step = 1; step <= 50; ++step) {
    if (s.PrunesAfter(step)) at.push_back(step);
  }
  EXPECT_EQ(at, (std::vector<int>{20, 30, 40}));
  s.every = 7;  // the end step always prunes
  at.clear();
  for (int step = 1; step <= 50; ++step) {
    if (s.PrunesAfter(step)) at.push_back(step);
  }
  EXPECT_EQ(at, (std::vector<int>{17, 24, 31, 38, 40}));
  s.final_sparsity.clear();
  EXPECT_FALSE(s.PrunesAfter(20));
}

std::vector<float> Values(const ir::Tensor& t) {
  std::vector<float> v(t.data->size() / sizeof(float));
  std::memcpy(v.data(), t.data->data(), v.size() * sizeof(float));
  return v;
}

TEST(PruneSchedule, QatReachesTheLevelsAndKeepsTheZeros) {
  std::string why;
  const QatFixture* f = BlazeFaceFixture(&why);
  if (f == nullptr) GTEST_SKIP() << why;
  ir::Model model = f->model;
  const std::vector<prune::Layer> layers = prune::FindLayers(model.subgraphs[0]);
  ASSERT_GT(layers.size(), 10u);
  QatOptions o = testing::ShortRun();
  o.range_momentum = 0;
  o.prune.begin = 0;
  o.prune.end = 2;
  o.prune.every = 1;
  for (const prune::Layer& l : layers) {
    const int64_t n = model.subgraphs[0].tensors[static_cast<size_t>(l.weights)].shape.NumElements();
    o.prune.final_sparsity.push_back(l.first_conv || n < 1024 ? 0.0f : 0.5f);
  }
  ASSERT_TRUE(o.prune.Bind(&model.subgraphs[0]).ok());
  auto s = QatSession::Create(model, f->observers, o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto zeros_of = [&](size_t k) {
    int64_t z = 0;
    for (float v : Values((*s)->student().subgraphs[0].tensors[static_cast<size_t>(o.prune.weights[k])])) z += v == 0.0f;
    return z;
  };
  std::vector<std::vector<float>> batch(f->photos.begin(), f->photos.begin() + 4);
  std::vector<std::vector<bool>> zero_after_first(layers.size());
  std::vector<std::vector<float>> at_end(layers.size());
  int64_t pruned_total = 0;
  for (int step = 1; step <= 4; ++step) {
    auto r = (*s)->Step(batch, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    pruned_total += r->pruned;
    for (size_t k = 0; k < layers.size(); ++k) {
      if (o.prune.final_sparsity[k] == 0) continue;
      const std::vector<float> v = Values((*s)->student().subgraphs[0].tensors[static_cast<size_t>(o.prune.weights[k])]);
      const int64_t n = static_cast<int64_t>(v.size());
      if (step == 1) {
        // 0.875 of the level after the first of two pruning steps.
        EXPECT_GE(zeros_of(k), static_cast<int64_t>(0.875 * 0.5 * n) - 1) << k;
        EXPECT_LT(zeros_of(k), n / 2) << k;
        for (float x : v) zero_after_first[k].push_back(x == 0.0f);
      }
      if (step >= 2) {
        EXPECT_EQ(zeros_of(k), n / 2) << "layer " << k << " after step " << step;
      }
      if (step == 2) {
        for (size_t i = 0; i < v.size(); ++i) {
          if (zero_after_first[k][i]) {
            EXPECT_EQ(v[i], 0.0f) << "an early zero came back";
          }
        }
        at_end[k] = v;
      }
      if (step == 4) {
        int moved = 0;
        for (size_t i = 0; i < v.size(); ++i) {
          if (at_end[k][i] == 0.0f) {
            EXPECT_EQ(v[i], 0.0f);
          }
          moved += v[i] != at_end[k][i];
        }
        EXPECT_GT(moved, 0) << "the kept weights of layer " << k << " did not train";
      }
    }
  }
  EXPECT_GT(pruned_total, 0);
  EXPECT_NEAR((*s)->PrunedSparsity(), 0.5, 0.01);
}

}  // namespace
}  // namespace detlite::train
