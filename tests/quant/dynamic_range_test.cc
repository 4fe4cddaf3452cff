// Dynamic-range quantization of single ops: int8 weights, float input
// quantized per batch at run time. Each output must stay within the bound
// that the two roundings (weights, input) allow, computed from the actual
// tensors; the rewrite must leave small, dilated and --keep-float ops alone.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "ir/builder.h"
#include "kernels/reference/hybrid.h"
#include "quant/dynamic_range.h"
#include "quant/quantize_constants.h"
#include "quant_test_util.h"

namespace detlite::quant {
namespace {

using ir::OpKind;
using testing::RandomInputs;
using testing::RunFloatOutput;

std::vector<float> Normal(size_t n, uint32_t seed, float sd) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, sd);
  std::vector<float> v(n);
  for (float& f : v) f = d(rng);
  return v;
}

const ir::Tensor& Filter(const ir::Model& m, int op = 0) {
  const ir::Subgraph& sg = m.subgraphs[0];
  return sg.tensors[static_cast<size_t>(sg.ops[static_cast<size_t>(op)].inputs[1])];
}

// Worst-case error of a dot product of `taps` terms |x| <= xmax, |w| <=
// wmax with steps sx (input) and sw (weights): each term is off by at most
// |w| sx + |x| sw/2 + sx sw/2 (an input at the end of its range may be a
// whole step off once the zero point is rounded).
float Bound(int taps, float xmax, float wmax, float sx, float sw) {
  return taps * (wmax * sx + xmax * sw / 2 + sx * sw / 2) * 1.001f + 1e-6f;
}

TEST(DynamicRangeTest, QuantizersMatchTheirDefinition) {
  const std::vector<float> x = {-1.0f, 0.0f, 0.25f, 3.0f};
  std::vector<int8_t> q(4);
  float scale = 0;
  int32_t zp = 0;
  kernels::reference::QuantizeFloatsAsymmetric(x.data(), 4, q.data(), &scale, &zp);
  EXPECT_FLOAT_EQ(scale, 4.0f / 255.0f);
  EXPECT_EQ(zp, -64);  // -128 + 1 / scale = -64.25, rounded
  EXPECT_EQ(q[0], -128);
  EXPECT_EQ(q[1], -64);  // zero is exact
  EXPECT_EQ(q[3], 127);
  kernels::reference::QuantizeFloatsSymmetric(x.data(), 4, q.data(), &scale);
  EXPECT_FLOAT_EQ(scale, 3.0f / 127.0f);
  EXPECT_EQ(q[0], -42);
  EXPECT_EQ(q[3], 127);
  const std::vector<float> zeros(5, 0.0f);
  q.assign(5, 7);
  kernels::reference::QuantizeFloatsAsymmetric(zeros.data(), 5, q.data(), &scale, &zp);
  EXPECT_EQ(q[4], 0);
  EXPECT_EQ(scale, 1.0f);
  EXPECT_EQ(zp, 0);
}

struct Built {
  ir::Model m;
  int taps = 0;
};

void CheckWithinBound(const Built& b, uint32_t seed, float lo, float hi) {
  ir::Model q = b.m;
  DynamicRangeStats stats;
  ASSERT_TRUE(QuantizeDynamicRange(q, {}, &stats).ok());
  ASSERT_EQ(stats.ops_quantized, 1);
  const ir::Tensor& w = Filter(q);
  ASSERT_EQ(w.dtype, DType::kInt8);
  float sw = 0;
  for (float s : w.quant.scale) sw = std::max(sw, s);
  const std::vector<float> wf = FloatValues(Filter(b.m));
  float wmax = 0;
  for (float v : wf) wmax = std::max(wmax, std::fabs(v));
  const auto inputs = RandomInputs(b.m, seed, lo, hi);
  const float xmax = std::max(std::fabs(lo), std::fabs(hi));
  const float sx = (std::max(hi, 0.0f) - std::min(lo, 0.0f)) / 255.0f;
  auto f = RunFloatOutput(b.m, inputs);
  auto h = RunFloatOutput(q, inputs);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ(f->size(), h->size());
  const float bound = Bound(b.taps, xmax, wmax, sx, sw);
  float worst = 0;
  for (size_t i = 0; i < f->size(); ++i) worst = std::max(worst, std::fabs((*f)[i] - (*h)[i]));
  EXPECT_LE(worst, bound);
  EXPECT_GT(worst, 0.0f) << "the hybrid path was not taken";
}

TEST(DynamicRangeTest, Conv2DWithinRoundingBound) {
  Built b;
  ir::Builder g(&b.m);
  int32_t x = g.Input("x", DType::kFloat32, {1, 9, 9, 8});
  int32_t w = g.ConstantF32("w", {16, 3, 3, 8}, Normal(16 * 72, 1, 0.3f));
  int32_t bias = g.ConstantF32("b", {16}, Normal(16, 2, 0.1f));
  ir::Conv2DOptions o;
  o.stride_w = o.stride_h = 2;
  g.Output(g.Op(OpKind::kConv2D, {x, w, bias}, "y", DType::kFloat32, {1, 5, 5, 16}, o));
  b.taps = 72;
  CheckWithinBound(b, 3, -0.5f, 2.0f);  // padding taps must add a real zero
  CheckWithinBound(b, 4, 0.5f, 2.0f);   // all-positive input: zero point -128
}

TEST(DynamicRangeTest, DepthwiseWithinRoundingBound) {
  Built b;
  ir::Builder g(&b.m);
  int32_t x = g.Input("x", DType::kFloat32, {2, 8, 8, 128});
  int32_t w = g.ConstantF32("w", {1, 3, 3, 128}, Normal(9 * 128, 5, 0.5f));
  int32_t bias = g.ConstantF32("b", {128}, Normal(128, 6, 0.1f));
  ir::DepthwiseConv2DOptions o;
  o.depth_multiplier = 1;
  o.activation = ir::Activation::kRelu6;
  g.Output(g.Op(OpKind::kDepthwiseConv2D, {x, w, bias}, "y", DType::kFloat32, {2, 8, 8, 128}, o));
  b.taps = 9;
  CheckWithinBound(b, 7, -1.0f, 1.0f);
}

TEST(DynamicRangeTest, FullyConnectedWithinRoundingBoundAndAsymmetric) {
  Built b;
  ir::Builder g(&b.m);
  int32_t x = g.Input("x", DType::kFloat32, {3, 64});
  int32_t w = g.ConstantF32("w", {32, 64}, Normal(32 * 64, 8, 0.2f));
  g.Output(g.Op(OpKind::kFullyConnected, {x, w}, "y", DType::kFloat32, {3, 32},
                ir::FullyConnectedOptions{}));
  b.taps = 64;
  CheckWithinBound(b, 9, -3.0f, 1.0f);
  ir::Model q = b.m;
  DynamicRangeStats stats;
  ASSERT_TRUE(QuantizeDynamicRange(q, {}, &stats).ok());
  const auto* o = std::get_if<ir::FullyConnectedOptions>(&q.subgraphs[0].ops[0].options);
  ASSERT_NE(o, nullptr);
  EXPECT_TRUE(o->asymmetric_quantize_inputs);
  EXPECT_EQ(Filter(q).quant.scale.size(), 1u);  // per tensor
}

TEST(DynamicRangeTest, LeavesSmallDilatedAndKeptOpsFloat) {
  ir::Model m;
  ir::Builder g(&m);
  int32_t x = g.Input("x", DType::kFloat32, {1, 8, 8, 4});
  int32_t small = g.ConstantF32("small", {4, 1, 1, 4}, Normal(16, 1, 1));
  int32_t y = g.Op(OpKind::kConv2D, {x, small}, "y", DType::kFloat32, {1, 8, 8, 4},
                   ir::Conv2DOptions{});
  ir::Conv2DOptions dil;
  dil.dilation_w = dil.dilation_h = 2;
  int32_t big = g.ConstantF32("big", {64, 3, 3, 4}, Normal(64 * 36, 2, 1));
  int32_t z = g.Op(OpKind::kConv2D, {y, big}, "z", DType::kFloat32, {1, 8, 8, 64}, dil);
  int32_t big2 = g.ConstantF32("big2", {64, 3, 3, 64}, Normal(64 * 576, 3, 1));
  g.Output(g.Op(OpKind::kConv2D, {z, big2}, "head", DType::kFloat32, {1, 8, 8, 64},
                ir::Conv2DOptions{}));
  DynamicRangeOptions opts;
  opts.keep_float = {"head"};
  DynamicRangeStats stats;
  ASSERT_TRUE(QuantizeDynamicRange(m, opts, &stats).ok());
  EXPECT_EQ(stats.ops_quantized, 0);
  EXPECT_EQ(stats.ops_left_float, 3);
  ASSERT_EQ(stats.kept_float.size(), 3u);
  EXPECT_EQ(stats.kept_float[0].detail, "weights have fewer than 1024 values");
  EXPECT_EQ(stats.kept_float[1].detail, "is dilated");
  EXPECT_EQ(stats.kept_float[2].reason, KeptFloat::Reason::kKeepFloat);
  EXPECT_EQ(stats.kept_float[2].tensor, "head");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Filter(m, i).dtype, DType::kFloat32);
  opts.keep_float.clear();
  DynamicRangeStats again;
  ASSERT_TRUE(QuantizeDynamicRange(m, opts, &again).ok());
  EXPECT_EQ(again.ops_quantized, 1);
  EXPECT_EQ(Filter(m, 2).dtype, DType::kInt8);
}

}  // namespace
}  // namespace detlite::quant
