// tf-fold-residual-bias: ADD(c, ADD(conv, shortcut)) as grappler's
// AddOpsRewrite leaves MobileNetV2's residual blocks becomes one conv with
// the constant in its bias and one ADD, computing the same numbers; what
// it must not touch stays.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "ir/builder.h"
#include "ir/verifier.h"
#include "passes/tf_fold_residual_bias.h"
#include "runtime/interpreter.h"

namespace detlite {
namespace {

std::vector<float> Random(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1, 1);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

std::vector<float> RunModel(const ir::Model& m, const std::vector<float>& x) {
  auto interp = runtime::Interpreter::Create(m);
  EXPECT_TRUE(interp.ok()) << interp.status().ToString();
  if (!interp.ok()) return {};
  EXPECT_TRUE((*interp)->SetInput(0, x.data(), x.size() * 4).ok());
  EXPECT_TRUE((*interp)->Invoke().ok());
  const runtime::TensorRef& out = (*interp)->output(0);
  std::vector<float> y(static_cast<size_t>(out.NumElements()));
  std::memcpy(y.data(), out.data, y.size() * 4);
  return y;
}

struct Options {
  bool sub = false;            // SUB(sum, c) instead of ADD(c, sum)
  bool relu = false;           // the outer op carries RELU
  bool conv_is_output = false; // the conv result is also read elsewhere
  bool conv_relu = false;      // the conv has its own activation
};

// x -> conv 1x1 (bias) -> ADD(., x) -> ADD(c, .) / SUB(., c) -> output.
ir::Model Block(const Options& o) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 4, 4, 5});
  const int32_t w = b.ConstantF32("w", {5, 1, 1, 5}, Random(25, 1));
  const int32_t bias = b.ConstantF32("b", {5}, Random(5, 2));
  ir::Conv2DOptions co;
  if (o.conv_relu) co.activation = ir::Activation::kRelu;
  const Shape s({1, 4, 4, 5});
  const int32_t y = b.Op(ir::OpKind::kConv2D, {x, w, bias}, "conv", DType::kFloat32, s, co);
  const int32_t sum = b.Op(ir::OpKind::kAdd, {y, x}, "sum", DType::kFloat32, s, ir::ArithmeticOptions{});
  const int32_t c = b.ConstantF32("c", {5}, Random(5, 3));
  ir::ArithmeticOptions ao;
  if (o.relu) ao.activation = ir::Activation::kRelu;
  const int32_t out = o.sub ? b.Op(ir::OpKind::kSub, {sum, c}, "out", DType::kFloat32, s, ao)
                            : b.Op(ir::OpKind::kAdd, {c, sum}, "out", DType::kFloat32, s, ao);
  b.Output(out);
  if (o.conv_is_output) b.Output(y);
  return m;
}

void ExpectFoldedSame(const Options& o) {
  ir::Model m = Block(o);
  const std::vector<float> x = Random(80, 9);
  const std::vector<float> before = RunModel(m, x);
  passes::PassContext ctx;
  bool changed = false;
  ASSERT_TRUE(passes::TfFoldResidualBias().Run(m, ctx, &changed).ok());
  EXPECT_TRUE(changed);
  ASSERT_TRUE(ir::Verify(m).ok());
  const auto& ops = m.subgraphs[0].ops;
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].kind, ir::OpKind::kConv2D);
  EXPECT_EQ(ops[1].kind, ir::OpKind::kAdd);
  const std::vector<float> after = RunModel(m, x);
  ASSERT_EQ(before.size(), after.size());
  float max_abs = 0.0f;
  for (float v : before) max_abs = std::max(max_abs, std::fabs(v));
  ASSERT_GT(max_abs, 0.1f);
  bool clipped = false;
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_NEAR(before[i], after[i], 1e-6f) << i;
    clipped = clipped || before[i] == 0.0f;
  }
  EXPECT_EQ(clipped, o.relu) << "the outer activation must survive";
}

TEST(TfFoldResidualBias, AddOfConstantFoldsIntoConvBias) { ExpectFoldedSame({}); }

TEST(TfFoldResidualBias, SubtractedConstantFolds) { ExpectFoldedSame({.sub = true}); }

TEST(TfFoldResidualBias, OuterActivationMovesToTheResidualAdd) {
  ExpectFoldedSame({.relu = true});
}

TEST(TfFoldResidualBias, LeavesSharedOrActivatedConvsAlone) {
  for (const Options& o : {Options{.conv_is_output = true}, Options{.conv_relu = true}}) {
    ir::Model m = Block(o);
    passes::PassContext ctx;
    bool changed = true;
    ASSERT_TRUE(passes::TfFoldResidualBias().Run(m, ctx, &changed).ok());
    EXPECT_FALSE(changed);
    EXPECT_EQ(m.subgraphs[0].ops.size(), 3u);
  }
}

}  // namespace
}  // namespace detlite
