// Least-squares reconstruction of channel-pruned consumers on a real model,
// BlazeFace short range, with real photos: every refitted convolution's
// output gets closer to the unpruned one (measured by running both models,
// not from the fit's own algebra), keeping every channel refits the
// original weights, and degenerate inputs (a zero channel, a constant one,
// all zeros) give finite weights.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "api/quantize_calibration.h"
#include "api/tensor_info.h"
#include "detlite/model.h"
#include "prune/channel_groups.h"
#include "prune/channel_reconstruct.h"
#include "prune/channel_reconstruct_fit.h"
#include "prune/channel_reconstruct_select.h"
#include "prune/channel_rewrite.h"
#include "prune/layers.h"
#include "runtime/interpreter.h"
#include "support/paths.h"
#include "support/photos.h"

namespace detlite {
namespace {

std::string ShortRange() {
  return testing::DepsDir() + "/npm/node_modules/@mediapipe/face_detection/face_detection_short_range.tflite";
}

struct Setup {
  ir::Model original;
  prune::ChannelGraph graph;
  std::vector<bool> remove;
  ir::Model pruned;
  std::unique_ptr<api::CalibrationSet> photos;
  quant::SampleLoader load;
};

// BlazeFace with every third class of each prunable group removed (plain
// slicing, act(bias) compensation), and 4 photos of people.
std::unique_ptr<Setup> Prepare() {
  auto s = std::make_unique<Setup>();
  auto m = Model::Load(ShortRange());
  EXPECT_TRUE(m.ok());
  if (!m.ok()) return nullptr;
  s->original = m->ir();
  s->graph = prune::BuildChannelGraph(s->original.subgraphs[0], true);
  s->remove.assign(s->graph.classes.size(), false);
  for (const prune::ChannelGroup& grp : s->graph.groups) {
    if (!grp.unprunable.empty() || grp.source_ops.empty()) continue;
    for (size_t i = 0; i < grp.classes.size(); i += 3) s->remove[static_cast<size_t>(grp.classes[i])] = true;
  }
  s->pruned = s->original;
  prune::RemoveStats stats;
  EXPECT_TRUE(prune::RemoveChannels(s->pruned, s->graph, s->remove, true, &stats).ok());
  auto set = api::CalibrationSet::Open(testing::CalibrationFolder(true), 4);
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  if (!set.ok()) return nullptr;
  s->photos = std::make_unique<api::CalibrationSet>(*std::move(set));
  PreprocessOptions pre;
  pre.preset = PreprocessPreset::kSigned;
  const ir::Subgraph& sg = s->original.subgraphs[0];
  s->load = s->photos->Loader(api::MakeTensorInfo(sg, sg.inputs[0]), pre);
  return s;
}

// Sum over the photos of (output of op `op` in `m` - in the original)^2,
// per op, from the interpreters (all tensors kept).
std::vector<double> OutputErrors(const Setup& s, const ir::Model& m, const std::vector<int>& ops,
                                 const std::vector<std::vector<int>>& kept_out) {
  runtime::InterpreterOptions io;
  io.preserve_all_tensors = true;
  auto a = runtime::Interpreter::Create(s.original, io);
  auto b = runtime::Interpreter::Create(m, io);
  EXPECT_TRUE(a.ok() && b.ok());
  std::vector<double> err(ops.size(), 0.0);
  if (!a.ok() || !b.ok()) return err;
  for (int i = 0; i < 4; ++i) {
    auto in = s.load(i);
    EXPECT_TRUE(in.ok());
    for (auto* x : {a->get(), b->get()}) {
      EXPECT_TRUE(x->SetInput(0, (*in)[0].data(), (*in)[0].size()).ok());
      EXPECT_TRUE(x->Invoke().ok());
    }
    for (size_t j = 0; j < ops.size(); ++j) {
      const auto& ya = (*a)->tensor(s.original.subgraphs[0].ops[static_cast<size_t>(ops[j])].outputs[0]);
      const auto& yb = (*b)->tensor(m.subgraphs[0].ops[static_cast<size_t>(ops[j])].outputs[0]);
      const int64_t ca = ya.shape.dim(3), cb = yb.shape.dim(3), pos = ya.NumElements() / ca;
      const std::vector<int>& ko = kept_out[j];
      EXPECT_EQ(static_cast<size_t>(cb), ko.size());
      for (int64_t p = 0; p < pos; ++p) {
        for (int64_t k = 0; k < cb; ++k) {
          const double d = double(ya.Data<float>()[p * ca + ko[static_cast<size_t>(k)]]) - yb.Data<float>()[p * cb + k];
          err[j] += d * d;
        }
      }
    }
  }
  return err;
}

TEST(ChannelReconstructTest, RefitBringsEveryConsumerCloserToTheUnprunedModel) {
  if (testing::CalibrationFolder(true).empty()) GTEST_SKIP() << "run scripts/setup.sh";
  auto s = Prepare();
  ASSERT_NE(s, nullptr);
  for (bool sequential : {false, true}) {
    SCOPED_TRACE(sequential ? "sequential" : "one-shot");
    ir::Model refit = s->pruned;
    prune::ReconstructOptions ro;
    ro.sequential = sequential;
    prune::ReconstructStats stats;
    ASSERT_TRUE(prune::ReconstructConsumers(s->original, s->graph, s->remove, refit, 4, s->load, ro, &stats).ok());
    ASSERT_GE(stats.layers.size(), 5u);
    EXPECT_EQ(stats.samples, 4);
    if (sequential) {
      EXPECT_GT(stats.passes, 1);
    } else {
      EXPECT_EQ(stats.passes, 1);
    }
    std::vector<int> ops;
    std::vector<std::vector<int>> kept_out;
    for (const prune::ReconstructedLayer& l : stats.layers) {
      EXPECT_TRUE(l.solved) << l.output;
      EXPECT_LT(l.mse_after, l.mse_before) << l.output;
      ops.push_back(l.op);
      const int32_t out = s->original.subgraphs[0].ops[static_cast<size_t>(l.op)].outputs[0];
      std::vector<int> ko;
      for (int c = 0; c < s->original.subgraphs[0].tensors[static_cast<size_t>(out)].shape.dim(3); ++c) {
        if (s->graph.offset[static_cast<size_t>(out)] < 0 || !s->remove[static_cast<size_t>(s->graph.ClassOf(out, c))]) ko.push_back(c);
      }
      kept_out.push_back(ko);
    }
    // Measured by running the models: the outputs after the activation (not
    // what the fit minimized) of the refitted layers, summed over layers.
    const std::vector<double> before = OutputErrors(*s, s->pruned, ops, kept_out);
    const std::vector<double> after = OutputErrors(*s, refit, ops, kept_out);
    double sb = 0, sa = 0;
    int closer = 0;
    for (size_t j = 0; j < ops.size(); ++j) sb += before[j], sa += after[j], closer += after[j] < before[j];
    std::printf("[reconstruct] %s: %zu convs, output error %.4g -> %.4g, %d closer\n",
                sequential ? "sequential" : "one-shot", ops.size(), sb, sa, closer);
    EXPECT_LT(sa, 0.8 * sb);
    EXPECT_GE(closer, static_cast<int>(ops.size()) - 1);
  }
}

TEST(ChannelReconstructTest, NothingRemovedChangesNothingAndFullRefitIsTheOriginal) {
  if (testing::CalibrationFolder(true).empty()) GTEST_SKIP() << "run scripts/setup.sh";
  auto s = Prepare();
  ASSERT_NE(s, nullptr);
  // No class removed: no consumer to refit.
  const std::vector<bool> none(s->graph.classes.size(), false);
  ir::Model same = s->original;
  prune::ReconstructStats stats;
  ASSERT_TRUE(prune::ReconstructConsumers(s->original, s->graph, none, same, 4, s->load, {}, &stats).ok());
  EXPECT_TRUE(stats.layers.empty());
  // Every column kept, prior zero: the least-squares answer is the layer itself.
  auto grams = prune::CollectConsumerGrams(s->original, s->graph, 2, s->load, 2);
  ASSERT_TRUE(grams.ok()) << grams.status().ToString();
  ASSERT_FALSE(grams->empty());
  const ir::Subgraph& sg = s->original.subgraphs[0];
  const std::vector<int32_t> producer = prune::Producers(sg);
  int checked = 0;
  for (const auto& [op_index, gram] : *grams) {
    const ir::Operator& op = sg.ops[static_cast<size_t>(op_index)];
    const ir::Tensor& wt = sg.tensors[static_cast<size_t>(prune::ConstantBehind(sg, producer, op.inputs[1]))];
    const std::vector<float> w = prune::WeightValues(wt);
    const int64_t outputs = wt.shape.dim(0), k = gram.k();
    std::vector<float> b = prune::WeightValues(sg.tensors[static_cast<size_t>(prune::ConstantBehind(sg, producer, op.inputs[2]))]);
    std::vector<int64_t> cols(static_cast<size_t>(k));
    for (int64_t i = 0; i < k; ++i) cols[static_cast<size_t>(i)] = i;
    const auto fit = prune::LeastSquaresFit::FromGram(gram, w, b, outputs, cols);
    std::vector<float> w2, b2;
    ASSERT_TRUE(fit.Solve(std::vector<float>(w.size(), 0.0f), std::vector<float>(b.size(), 0.0f), 1e-9, &w2, &b2));
    EXPECT_LT(fit.Mse(w2, b2), 1e-6 * fit.Signal()) << wt.name;
    EXPECT_LT(fit.Mse(w, b), 1e-6 * fit.Signal()) << wt.name;
    // Outputs agree; weights too where the input is not degenerate (a
    // channel that is always zero leaves its column free).
    double dw = 0, nw = 0;
    for (size_t i = 0; i < w.size(); ++i) dw += (w2[i] - w[i]) * (w2[i] - w[i]), nw += w[i] * w[i];
    if (++checked <= 3) std::printf("[reconstruct] %s: refit weight change %.3g of their norm\n", wt.name.c_str(), std::sqrt(dw / nw));
  }
  EXPECT_GE(checked, 5);
}

// The refit-aware ranking removes channels the consumers rebuild better
// than the filter-norm ranking's: with the same number of channels gone
// from every group, the refitted consumers' relative output error is lower.
TEST(ChannelReconstructTest, RefitAwareRankingLeavesLessErrorThanNormRanking) {
  if (testing::CalibrationFolder(true).empty()) GTEST_SKIP() << "run scripts/setup.sh";
  auto s = Prepare();
  ASSERT_NE(s, nullptr);
  auto grams = prune::CollectConsumerGrams(s->original, s->graph, 4, s->load, 2);
  ASSERT_TRUE(grams.ok()) << grams.status().ToString();
  std::vector<bool> by_refit(s->graph.classes.size(), false), by_norm = by_refit;
  int groups = 0;
  for (const prune::ChannelGroup& grp : s->graph.groups) {
    if (!grp.unprunable.empty() || grp.source_ops.empty()) continue;
    ++groups;
    const std::vector<int> order = prune::RefitRemovalOrder(s->original, s->graph, grp.classes, *grams, 1e-3);
    std::vector<int> sorted = order, expected = grp.classes;
    std::sort(sorted.begin(), sorted.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(sorted, expected);  // a permutation of the group
    std::vector<int> norm = grp.classes;
    std::stable_sort(norm.begin(), norm.end(), [&](int a, int b) {
      return s->graph.classes[static_cast<size_t>(a)].norm < s->graph.classes[static_cast<size_t>(b)].norm;
    });
    const size_t n = grp.classes.size() / 3;
    for (size_t i = 0; i < n; ++i) {
      by_refit[static_cast<size_t>(order[i])] = true;
      by_norm[static_cast<size_t>(norm[i])] = true;
    }
  }
  ASSERT_GE(groups, 5);
  auto error = [&](const std::vector<bool>& remove) {
    ir::Model m = s->original;
    prune::RemoveStats rs;
    EXPECT_TRUE(prune::RemoveChannels(m, s->graph, remove, true, &rs).ok());
    prune::ReconstructStats st;
    EXPECT_TRUE(prune::ReconstructFromGrams(s->original, s->graph, remove, m, *grams, 1e-3, &st).ok());
    double e = 0;
    for (const auto& l : st.layers) e += l.signal > 0 ? l.mse_after / l.signal : 0;
    return e;
  };
  const double refit = error(by_refit), norm = error(by_norm);
  std::printf("[reconstruct] refitted consumers' relative error: refit-aware ranking %.4g, norm ranking %.4g\n",
              refit, norm);
  EXPECT_LT(refit, 0.8 * norm);
}

TEST(ChannelReconstructTest, ZeroAndConstantChannelsGiveFiniteWeights) {
  // 3 inputs: a varying one, one always 0, one always 2.5 (a copy of the
  // bias column); y = 3 x0 + 1 - 0.5 * x2.
  std::mt19937 rng(1);
  std::normal_distribution<float> n(0, 1);
  const int rows = 500;
  std::vector<float> x(static_cast<size_t>(rows) * 3), y(rows);
  for (int r = 0; r < rows; ++r) {
    x[r * 3] = n(rng), x[r * 3 + 1] = 0.0f, x[r * 3 + 2] = 2.5f;
    y[r] = 3 * x[r * 3] + 1 - 0.5f * 2.5f;
  }
  for (double ridge : {0.0, 1e-3}) {
    prune::LeastSquaresFit fit(1, 3);
    fit.Add(y.data(), x.data(), rows);
    std::vector<float> w, b;
    ASSERT_TRUE(fit.Solve({0, 0, 0}, {0}, ridge, &w, &b));
    for (float v : w) EXPECT_TRUE(std::isfinite(v));
    EXPECT_TRUE(std::isfinite(b[0]));
    EXPECT_NEAR(w[0], 3.0, 1e-2);
    EXPECT_LT(fit.Mse(w, b), 1e-3 * fit.Signal());
  }
  // All-zero input: only the bias can fit (the mean of y), still finite.
  prune::LeastSquaresFit zero(2, 4);
  std::vector<float> zx(40, 0.0f), zy(20);
  for (int r = 0; r < 10; ++r) zy[r * 2] = 1.0f + r, zy[r * 2 + 1] = -2.0f;
  zero.Add(zy.data(), zx.data(), 10);
  std::vector<float> w, b;
  ASSERT_TRUE(zero.Solve(std::vector<float>(8, 0.5f), {0, 0}, 1e-3, &w, &b));
  for (float v : w) EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(b[0], 5.5, 1e-4);
  EXPECT_NEAR(b[1], -2.0, 1e-4);
  // Nothing added: refused, outputs untouched.
  prune::LeastSquaresFit empty(1, 2);
  EXPECT_FALSE(empty.Solve({0, 0}, {0}, 1e-3, &w, &b));
}

}  // namespace
}  // namespace detlite
