// The TF cleanup passes (batch-norm fold, bias fusion, activation fusion,
// residual-bias fold): each rewrite must leave the model computing the same
// numbers. The residual-bias fold: ADD(c, ADD(conv, shortcut)) as
// grappler's AddOpsRewrite leaves MobileNetV2's residual blocks becomes one
// conv with the constant in its bias and one ADD; what it must not touch
// stays.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "ir/builder.h"
#include "ir/verifier.h"
#include "passes/tf_fold_batch_norm.h"
#include "passes/tf_fold_residual_bias.h"
#include "passes/tf_fuse_activation.h"
#include "passes/tf_fuse_bias.h"
#include "passes/tf_pipeline.h"
#include "runtime/interpreter.h"

namespace detlite {
namespace {

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

std::vector<float> Random(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1, 1);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// x -> op -> MUL(scale) -> ADD(offset) -> RELU6, as an imported batch norm
// leaves it, for conv, depthwise conv and fully connected.
ir::Model ConvChain(ir::OpKind kind) {
  ir::Model m;
  ir::Builder b(&m);
  const bool fc = kind == ir::OpKind::kFullyConnected;
  const int32_t x = fc ? b.Input("x", DType::kFloat32, {2, 6}) : b.Input("x", DType::kFloat32, {1, 5, 5, 3});
  int32_t y;
  if (kind == ir::OpKind::kConv2D) {
    const int32_t w = b.ConstantF32("w", {4, 3, 3, 3}, Random(108, 1));
    const int32_t bias = b.ConstantF32("b", {4}, Random(4, 2));
    y = b.Op(kind, {x, w, bias}, "conv", DType::kFloat32, {1, 5, 5, 4}, ir::Conv2DOptions{});
  } else if (kind == ir::OpKind::kDepthwiseConv2D) {
    const int32_t w = b.ConstantF32("w", {1, 3, 3, 6}, Random(54, 1));
    const int32_t bias = b.ConstantF32("b", {6}, Random(6, 2));
    ir::DepthwiseConv2DOptions o;
    o.depth_multiplier = 2;
    y = b.Op(kind, {x, w, bias}, "dw", DType::kFloat32, {1, 5, 5, 6}, o);
  } else {
    const int32_t w = b.ConstantF32("w", {4, 6}, Random(24, 1));
    const int32_t bias = b.ConstantF32("b", {4}, Random(4, 2));
    y = b.Op(kind, {x, w, bias}, "fc", DType::kFloat32, {2, 4}, ir::FullyConnectedOptions{});
  }
  const Shape ys = m.subgraphs[0].tensors[static_cast<size_t>(y)].shape;
  const int32_t c = ys.dim(ys.rank() - 1);
  const int32_t s = b.ConstantF32("scale", {c}, Random(static_cast<size_t>(c), 3));
  const int32_t o = b.ConstantF32("offset", {c}, Random(static_cast<size_t>(c), 4));
  const int32_t m1 = b.Op(ir::OpKind::kMul, {y, s}, "mul", DType::kFloat32, ys, ir::ArithmeticOptions{});
  const int32_t a1 = b.Op(ir::OpKind::kAdd, {o, m1}, "add", DType::kFloat32, ys, ir::ArithmeticOptions{});
  const int32_t r = b.Op(ir::OpKind::kRelu6, {a1}, "relu6", DType::kFloat32, ys);
  b.Output(r);
  return m;
}

TEST(TfFusion, ChainsCollapseToOneOpWithSameNumbers) {
  for (ir::OpKind kind : {ir::OpKind::kConv2D, ir::OpKind::kDepthwiseConv2D, ir::OpKind::kFullyConnected}) {
    ir::Model m = ConvChain(kind);
    const std::vector<float> x = Random(kind == ir::OpKind::kFullyConnected ? 12 : 75, 9);
    const std::vector<float> before = RunModel(m, x);
    passes::PassContext ctx;
    ctx.verify_between_passes = true;
    ASSERT_TRUE(passes::RunTfImportPipeline(m, ctx).ok());
    ASSERT_EQ(m.subgraphs[0].ops.size(), 1u) << ir::OpKindName(kind);
    EXPECT_TRUE(ir::Verify(m).ok());
    const std::vector<float> after = RunModel(m, x);
    ASSERT_EQ(before.size(), after.size());
    for (size_t i = 0; i < before.size(); ++i) EXPECT_NEAR(before[i], after[i], 1e-5) << i;
  }
}

TEST(TfFusion, SharedOutputsAreNotFused) {
  ir::Model m = ConvChain(ir::OpKind::kConv2D);
  // The conv result is also a model output: the MUL must stay.
  m.subgraphs[0].outputs.push_back(m.subgraphs[0].ops[0].outputs[0]);
  passes::PassContext ctx;
  bool changed = true;
  ASSERT_TRUE(passes::TfFoldBatchNorm().Run(m, ctx, &changed).ok());
  EXPECT_FALSE(changed);
  ASSERT_TRUE(passes::TfFuseBias().Run(m, ctx, &changed).ok());
  EXPECT_FALSE(changed);
  // MUL -> ADD -> RELU6: the ADD takes the activation.
  ASSERT_TRUE(passes::TfFuseActivation().Run(m, ctx, &changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(m.subgraphs[0].ops.size(), 3u);
}

TEST(TfFusion, NonChannelConstantIsLeftAlone) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 6});
  const int32_t w = b.ConstantF32("w", {4, 6}, Random(24, 1));
  const int32_t bias = b.ConstantF32("b", {4}, Random(4, 2));
  const int32_t y = b.Op(ir::OpKind::kFullyConnected, {x, w, bias}, "fc", DType::kFloat32, {2, 4},
                         ir::FullyConnectedOptions{});
  // [2,4] varies along the batch: not a per-channel bias.
  const int32_t k = b.ConstantF32("k", {2, 4}, Random(8, 5));
  b.Output(b.Op(ir::OpKind::kAdd, {y, k}, "add", DType::kFloat32, {2, 4}, ir::ArithmeticOptions{}));
  passes::PassContext ctx;
  bool changed = true;
  ASSERT_TRUE(passes::TfFuseBias().Run(m, ctx, &changed).ok());
  EXPECT_FALSE(changed);
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
