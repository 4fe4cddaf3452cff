// Each op the real detectors use, alone in a float model: after int8
// quantization (calibrated on the same input distribution) its output must
// stay within a few quantization steps of the float result, and the graph
// must follow the quantization spec.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "ir/builder.h"
#include "quant/spec_check.h"
#include "quant_test_util.h"

namespace detlite::quant {
namespace {

using ir::OpKind;
using testing::QuantizeRandom;
using testing::RandomInputs;
using testing::RunFloatOutput;

std::vector<float> RandomWeights(size_t n, uint32_t seed, float scale = 0.5f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (float& f : v) f = d(rng);
  return v;
}

struct Case {
  std::string name;
  std::function<void(ir::Builder&)> build;
  float max_steps = 3;  // allowed error in output quantization steps
};

void Check(const Case& c) {
  SCOPED_TRACE(c.name);
  ir::Model m;
  ir::Builder b(&m);
  c.build(b);
  ir::Model q = m;
  QuantizeReport report;
  Status s = QuantizeRandom(q, 8, &report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(report.ops_left_float, 0) << "op left in float";
  EXPECT_TRUE(CheckQuantizationSpec(q.subgraphs[0]).empty());
  // The float output's producer is a DEQUANTIZE of the int8 result.
  const ir::Subgraph& sg = q.subgraphs[0];
  const ir::Operator& last = sg.ops.back();
  ASSERT_EQ(last.kind, OpKind::kDequantize);
  const float out_scale = sg.tensors[static_cast<size_t>(last.inputs[0])].quant.scale[0];
  // Inputs the calibration saw (seeds 1..8), so the error measured is the
  // arithmetic's, not clipping of values outside the calibrated range.
  for (uint32_t seed : {1u, 4u, 8u}) {
    const auto inputs = RandomInputs(m, seed);
    auto f = RunFloatOutput(m, inputs);
    auto i8 = RunFloatOutput(q, inputs);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_TRUE(i8.ok()) << i8.status().ToString();
    ASSERT_EQ(f->size(), i8->size());
    double worst = 0;
    for (size_t k = 0; k < f->size(); ++k) worst = std::max(worst, std::fabs(double((*f)[k]) - (*i8)[k]));
    EXPECT_LE(worst / out_scale, c.max_steps) << "max error " << worst << " at scale " << out_scale;
  }
}

TEST(PerOpQuantTest, Conv2D) {
  Check({"CONV_2D relu6", [](ir::Builder& b) {
           int32_t x = b.Input("x", DType::kFloat32, {1, 8, 8, 4});
           int32_t w = b.ConstantF32("w", {6, 3, 3, 4}, RandomWeights(6 * 36, 1));
           int32_t bias = b.ConstantF32("b", {6}, RandomWeights(6, 2));
           ir::Conv2DOptions o;
           o.activation = ir::Activation::kRelu6;
           b.Output(b.Op(OpKind::kConv2D, {x, w, bias}, "y", DType::kFloat32, {1, 8, 8, 6}, o));
         }, 8});
}

TEST(PerOpQuantTest, DepthwiseConv2D) {
  Check({"DEPTHWISE_CONV_2D", [](ir::Builder& b) {
           int32_t x = b.Input("x", DType::kFloat32, {1, 8, 8, 4});
           int32_t w = b.ConstantF32("w", {1, 3, 3, 4}, RandomWeights(36, 3));
           int32_t bias = b.ConstantF32("b", {4}, RandomWeights(4, 4));
           ir::DepthwiseConv2DOptions o;
           o.stride_h = o.stride_w = 2;
           b.Output(b.Op(OpKind::kDepthwiseConv2D, {x, w, bias}, "y", DType::kFloat32, {1, 4, 4, 4}, o));
         }, 8});
}

TEST(PerOpQuantTest, AddOfTwoInputs) {
  Check({"ADD", [](ir::Builder& b) {
           int32_t x = b.Input("x", DType::kFloat32, {1, 4, 4, 3});
           int32_t y = b.Input("y", DType::kFloat32, {1, 4, 4, 3});
           b.Output(b.Op(OpKind::kAdd, {x, y}, "z", DType::kFloat32, {1, 4, 4, 3}, ir::ArithmeticOptions{}));
         }});
}

TEST(PerOpQuantTest, ConcatenationSharesOneScale) {
  Check({"CONCATENATION", [](ir::Builder& b) {
           int32_t x = b.Input("x", DType::kFloat32, {1, 4, 2});
           int32_t y = b.Input("y", DType::kFloat32, {1, 4, 3});
           ir::ConcatenationOptions o;
           o.axis = 2;
           b.Output(b.Op(OpKind::kConcatenation, {x, y}, "z", DType::kFloat32, {1, 4, 5}, o));
         }, 1});
}

TEST(PerOpQuantTest, ReshapeMaxPoolPadRelu) {
  Check({"PAD+MAX_POOL+RELU+RESHAPE", [](ir::Builder& b) {
           int32_t x = b.Input("x", DType::kFloat32, {1, 4, 4, 2});
           int32_t pads = b.ConstantI32("pads", {4, 2}, {0, 0, 1, 1, 1, 1, 0, 0});
           int32_t p = b.Op(OpKind::kPad, {x, pads}, "p", DType::kFloat32, {1, 6, 6, 2});
           ir::Pool2DOptions po;
           po.filter_h = po.filter_w = 2;
           po.stride_h = po.stride_w = 2;
           po.padding = ir::Padding::kValid;
           int32_t m = b.Op(OpKind::kMaxPool2D, {p}, "m", DType::kFloat32, {1, 3, 3, 2}, po);
           int32_t r = b.Op(OpKind::kRelu, {m}, "r", DType::kFloat32, {1, 3, 3, 2});
           int32_t shape = b.ConstantI32("shape", {2}, {1, 18});
           ir::ReshapeOptions ro;
           ro.new_shape = {1, 18};
           b.Output(b.Op(OpKind::kReshape, {r, shape}, "y", DType::kFloat32, {1, 18}, ro));
         }, 2});
}

TEST(PerOpQuantTest, LogisticHasFixedOutputScale) {
  Check({"LOGISTIC", [](ir::Builder& b) {
           int32_t x = b.Input("x", DType::kFloat32, {1, 64});
           b.Output(b.Op(OpKind::kLogistic, {x}, "y", DType::kFloat32, {1, 64}));
         }, 2});
}

TEST(PerOpQuantTest, ResizeBilinear) {
  Check({"RESIZE_BILINEAR", [](ir::Builder& b) {
           int32_t x = b.Input("x", DType::kFloat32, {1, 4, 4, 2});
           int32_t size = b.ConstantI32("size", {2}, {8, 8});
           b.Output(b.Op(OpKind::kResizeBilinear, {x, size}, "y", DType::kFloat32, {1, 8, 8, 2},
                         ir::ResizeOptions{}));
         }, 2});
}

TEST(PerOpQuantTest, Prelu) {
  Check({"PRELU", [](ir::Builder& b) {
           int32_t x = b.Input("x", DType::kFloat32, {1, 4, 4, 3});
           int32_t a = b.ConstantF32("alpha", {1, 1, 3}, {0.1f, 0.25f, -0.2f});
           b.Output(b.Op(OpKind::kPrelu, {x, a}, "y", DType::kFloat32, {1, 4, 4, 3}));
         }, 3});
}

}  // namespace
}  // namespace detlite::quant
