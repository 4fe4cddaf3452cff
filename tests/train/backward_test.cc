// The tape itself: refusing graphs with ops that have no gradient (naming
// every one), bad seeds, gradients of fan-out and of intermediate seeds.
#include <gtest/gtest.h>

#include "train/grad_test_util.h"
#include "train/backward.h"
#include "train/forward.h"
#include "train/grad_op.h"

namespace detlite::train {
namespace {

using ir::OpKind;
using testing::RandomValues;

TEST(Backward, NamesEveryOpWithoutAGradient) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 3});
  const int32_t e = b.Op(OpKind::kExp, {x}, "e", DType::kFloat32, {2, 3});
  const int32_t s = b.Op(OpKind::kAdd, {e, x}, "s", DType::kFloat32, {2, 3}, ir::ArithmeticOptions{});
  const int32_t f = b.Op(OpKind::kFloor, {s}, "f", DType::kFloat32, {2, 3});
  b.Output(f);
  const Status st = CheckDifferentiable(m.subgraphs[0], {f});
  EXPECT_EQ(st.code(), StatusCode::kUnimplemented);
  EXPECT_EQ(st.message(), "2 ops have no gradient: op 0 EXP (e), op 2 FLOOR (f)");
  // Backward refuses before doing any work.
  auto fwd = Forward(m, {RandomValues(6, 1)});
  ASSERT_TRUE(fwd.ok()) << fwd.status().ToString();
  auto g = Backward(*fwd, {{f, std::vector<float>(6, 1.0f)}});
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(), st.message());
  // Seeding the ADD's output needs only EXP's gradient.
  EXPECT_EQ(CheckDifferentiable(m.subgraphs[0], {e}).message(),
            "1 op has no gradient: op 0 EXP (e)");
}

TEST(Backward, OpsOnlyReachedThroughIntegersAreNotNeeded) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 3});
  const int32_t shape = b.Op(OpKind::kShape, {x}, "shape", DType::kInt32, {2});
  const int32_t y = b.Op(OpKind::kReshape, {x, shape}, "y", DType::kFloat32, {2, 3},
                         ir::ReshapeOptions{});
  b.Output(y);
  EXPECT_TRUE(CheckDifferentiable(m.subgraphs[0], {y}).ok());
  EXPECT_EQ(OpsFeeding(m.subgraphs[0], {y}), std::vector<int>{1});
}

TEST(Backward, RejectsBadSeeds) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 3});
  const int32_t y = b.Op(OpKind::kRelu, {x}, "y", DType::kFloat32, {2, 3});
  b.Output(y);
  auto fwd = Forward(m, {RandomValues(6, 2)});
  ASSERT_TRUE(fwd.ok());
  auto wrong_size = Backward(*fwd, {{y, std::vector<float>(5, 1.0f)}});
  ASSERT_FALSE(wrong_size.ok());
  EXPECT_NE(wrong_size.status().message().find("'y' has 5 values, the tensor 6"), std::string::npos)
      << wrong_size.status().message();
  EXPECT_FALSE(Backward(*fwd, {{7, std::vector<float>(6, 1.0f)}}).ok());
  EXPECT_FALSE(Forward(m, {RandomValues(5, 2)}).ok());
}

// y = relu(x) + x: x fans out to two consumers, its gradient is the sum.
TEST(Backward, FanOutAccumulatesAndIntermediatesAreFreed) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {4});
  const int32_t r = b.Op(OpKind::kRelu, {x}, "r", DType::kFloat32, {4});
  const int32_t y = b.Op(OpKind::kAdd, {r, x}, "y", DType::kFloat32, {4}, ir::ArithmeticOptions{});
  b.Output(y);
  auto fwd = Forward(m, {{-1.0f, 2.0f, -3.0f, 4.0f}});
  ASSERT_TRUE(fwd.ok());
  auto g = Backward(*fwd, {{y, {1.0f, 10.0f, 100.0f, 1000.0f}}});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_NE(g->Find(x), nullptr);
  EXPECT_EQ(*g->Find(x), (std::vector<float>{1.0f, 20.0f, 100.0f, 2000.0f}));
  EXPECT_EQ(g->Find(r), nullptr);
  BackwardOptions keep;
  keep.keep_intermediates = true;
  auto kept = Backward(*fwd, {{y, {1.0f, 10.0f, 100.0f, 1000.0f}}}, keep);
  ASSERT_TRUE(kept.ok());
  ASSERT_NE(kept->Find(r), nullptr);
  EXPECT_EQ(*kept->Find(r), (std::vector<float>{1.0f, 10.0f, 100.0f, 1000.0f}));
}

// Without input gradients, ops that only see the input (the PAD) are skipped
// and the weights still get theirs.
TEST(Backward, WeightsOnly) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  const int32_t p = b.ConstantI32("p", {2, 2}, {0, 0, 1, 1});
  const int32_t xp = b.Op(OpKind::kPad, {x, p}, "xp", DType::kFloat32, {1, 6});
  const int32_t w = b.ConstantF32("w", {2, 6}, RandomValues(12, 3));
  const int32_t y = b.Op(OpKind::kFullyConnected, {xp, w, -1}, "y", DType::kFloat32, {1, 2},
                         ir::FullyConnectedOptions{});
  b.Output(y);
  const std::vector<float> in = {1, 2, 3, 4};
  auto fwd = Forward(m, {in});
  ASSERT_TRUE(fwd.ok());
  BackwardOptions options;
  options.input_gradients = false;
  options.profile = true;
  auto g = Backward(*fwd, {{y, {1.0f, -2.0f}}}, options);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->Find(x), nullptr);
  ASSERT_EQ(g->profile.size(), 1u);  // the FC only
  ASSERT_NE(g->Find(w), nullptr);
  // dL/dw[u][k] = dy[u] * xp[k], xp = (0, 1, 2, 3, 4, 0).
  const std::vector<float> xp_values = {0, 1, 2, 3, 4, 0};
  for (int u = 0; u < 2; ++u) {
    for (int k = 0; k < 6; ++k) {
      EXPECT_FLOAT_EQ((*g->Find(w))[static_cast<size_t>(u * 6 + k)], (u ? -2.0f : 1.0f) * xp_values[static_cast<size_t>(k)]);
    }
  }
}

// Run() on new inputs gives the same values and gradients as a fresh
// Forward on them.
TEST(Backward, RerunMatchesAFreshForward) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 5, 5, 2});
  const int32_t w = b.ConstantF32("w", {3, 3, 3, 2}, RandomValues(54, 4));
  const int32_t y = b.Op(OpKind::kConv2D, {x, w, -1}, "y", DType::kFloat32, {1, 5, 5, 3},
                         ir::Conv2DOptions{ir::Padding::kSame, 1, 1, 1, 1, ir::Activation::kRelu});
  b.Output(y);
  auto reused = Forward(m, {RandomValues(50, 5)});
  ASSERT_TRUE(reused.ok());
  const std::vector<float> second = RandomValues(50, 6);
  ASSERT_TRUE(reused->Run({second}).ok());
  auto fresh = Forward(m, {second});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(reused->Copy(y), fresh->Copy(y));
  const std::vector<float> seed = RandomValues(75, 7);
  auto g1 = Backward(*reused, {{y, seed}});
  auto g2 = Backward(*fresh, {{y, seed}});
  ASSERT_TRUE(g1.ok() && g2.ok());
  EXPECT_EQ(*g1->Find(w), *g2->Find(w));
  EXPECT_FALSE(reused->Run({RandomValues(49, 1)}).ok());
}

// The fused-activation mask on saved outputs, including TANH, which no
// runtime kernel fuses yet (so no finite-difference test can reach it).
TEST(Backward, FusedActivationMasks) {
  ir::Operator op;
  OpGrad g;
  g.op = &op;
  const std::vector<float> y = {-1.0f, 0.0f, 0.5f, 1.0f, 6.0f, 7.0f};
  const std::vector<float> dy = {1, 2, 3, 4, 5, 6};
  std::vector<float> scratch;
  auto run = [&](ir::Activation act) {
    auto r = MaskFusedActivation(g, act, y.data(), dy.data(), 6, &scratch);
    EXPECT_TRUE(r.ok());
    return std::vector<float>(*r, *r + 6);
  };
  EXPECT_EQ(run(ir::Activation::kNone), dy);
  EXPECT_EQ(run(ir::Activation::kRelu), (std::vector<float>{0, 0, 3, 4, 5, 6}));
  EXPECT_EQ(run(ir::Activation::kRelu6), (std::vector<float>{0, 0, 3, 4, 0, 0}));
  EXPECT_EQ(run(ir::Activation::kReluN1To1), (std::vector<float>{0, 2, 3, 0, 0, 0}));
  // d tanh = 1 - y^2 (y = tanh(z) saved): here 0, 1, 0.75, 0, -35, -48.
  EXPECT_EQ(run(ir::Activation::kTanh), (std::vector<float>{0, 2, 2.25f, 0, -175, -288}));
  EXPECT_FALSE(MaskFusedActivation(g, ir::Activation::kSignBit, y.data(), dy.data(), 6, &scratch).ok());
}

}  // namespace
}  // namespace detlite::train
