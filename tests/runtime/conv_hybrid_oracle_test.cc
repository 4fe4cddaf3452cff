// Hybrid (dynamic-range) CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED, one op
// at a time, against the real TFLite runtime: a float op is quantized by
// quant::QuantizeDynamicRange, run in detlite and written as .tflite for the
// judge. Inputs cover both signs and all-positive data (zero point -128),
// with SAME padding, strides and a fused activation. Results must be
// bit-exact.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "exporters/tflite/tflite_writer.h"
#include "ir/builder.h"
#include "quant/dynamic_range.h"
#include "runtime/interpreter.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using ir::OpKind;

std::vector<float> Uniform(size_t n, uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

struct Case {
  std::string name;
  OpKind kind;
  Shape input, filter, output;
  ir::OpOptions options;
  float lo, hi;  // input range
};

void RunHybrid(const Case& c) {
  SCOPED_TRACE(c.name);
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, c.input);
  const int32_t w = b.ConstantF32("w", c.filter, Uniform(c.filter.NumElements(), 2, -1, 1));
  const int32_t channels = c.kind == OpKind::kDepthwiseConv2D ? c.filter.dim(3) : c.filter.dim(0);
  const int32_t bias = b.ConstantF32("b", Shape{channels}, Uniform(channels, 3, -0.5f, 0.5f));
  const int32_t y = b.Op(c.kind, {x, w, bias}, "y", DType::kFloat32, c.output, c.options);
  b.Output(y);
  quant::DynamicRangeStats stats;
  ASSERT_TRUE(quant::QuantizeDynamicRange(m, {}, &stats).ok());
  ASSERT_EQ(stats.ops_quantized, 1);
  const std::vector<float> in = Uniform(c.input.NumElements(), 4, c.lo, c.hi);
  std::vector<uint8_t> bytes(in.size() * 4);
  std::memcpy(bytes.data(), in.data(), bytes.size());
  auto interp = runtime::Interpreter::Create(m);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  ASSERT_TRUE((*interp)->SetInput(0, bytes.data(), bytes.size()).ok());
  ASSERT_TRUE((*interp)->Invoke().ok());
  const runtime::TensorRef& out = (*interp)->output(0);
  const std::vector<uint8_t> ours(out.data, out.data + out.bytes);
  const std::string path = testing::TempDir() + "/hybrid_" + c.name + ".tflite";
  ASSERT_TRUE(WriteTfliteFile(m, path).ok());
  auto oracle = testing::RunInRealTflite(path, {bytes});
  ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
  const testing::Diff d = testing::CompareBuffers("float32", ours, oracle->outputs[0].bytes);
  std::printf("[hybrid] %s: %s\n", c.name.c_str(), d.ToString().c_str());
  // Bit-exact: the same input quantization, integer sums and float scaling
  // order as TFLite's hybrid kernels.
  EXPECT_EQ(d.max_abs, 0) << d.ToString();
}

class ConvHybridOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  }
};

ir::Conv2DOptions Conv(ir::Padding p, int stride, ir::Activation a = ir::Activation::kNone) {
  ir::Conv2DOptions o;
  o.padding = p;
  o.stride_w = o.stride_h = stride;
  o.activation = a;
  return o;
}

ir::DepthwiseConv2DOptions Dw(ir::Padding p, int stride) {
  ir::DepthwiseConv2DOptions o;
  o.padding = p;
  o.stride_w = o.stride_h = stride;
  o.depth_multiplier = 1;
  return o;
}

TEST_F(ConvHybridOracleTest, Conv2D) {
  RunHybrid({"conv_valid_signed", OpKind::kConv2D, Shape{1, 9, 9, 16}, Shape{32, 3, 3, 16},
       Shape{1, 7, 7, 32}, Conv(ir::Padding::kValid, 1), -1, 1});
  RunHybrid({"conv_same_signed", OpKind::kConv2D, Shape{1, 9, 9, 16}, Shape{32, 3, 3, 16},
       Shape{1, 5, 5, 32}, Conv(ir::Padding::kSame, 2), -1, 1});
  RunHybrid({"conv_same_positive", OpKind::kConv2D, Shape{1, 8, 8, 16}, Shape{32, 3, 3, 16},
       Shape{1, 8, 8, 32}, Conv(ir::Padding::kSame, 1, ir::Activation::kRelu6), 0.1f, 6});
  RunHybrid({"conv_1x1_positive", OpKind::kConv2D, Shape{1, 8, 8, 64}, Shape{32, 1, 1, 64},
       Shape{1, 8, 8, 32}, Conv(ir::Padding::kSame, 1), 0, 6});
}

TEST_F(ConvHybridOracleTest, DepthwiseConv2D) {
  RunHybrid({"dw_valid_signed", OpKind::kDepthwiseConv2D, Shape{1, 9, 9, 128}, Shape{1, 3, 3, 128},
       Shape{1, 7, 7, 128}, Dw(ir::Padding::kValid, 1), -1, 1});
  RunHybrid({"dw_same_signed", OpKind::kDepthwiseConv2D, Shape{1, 9, 9, 128}, Shape{1, 3, 3, 128},
       Shape{1, 9, 9, 128}, Dw(ir::Padding::kSame, 1), -1, 1});
  RunHybrid({"dw_same_positive", OpKind::kDepthwiseConv2D, Shape{1, 8, 8, 128}, Shape{1, 3, 3, 128},
       Shape{1, 4, 4, 128}, Dw(ir::Padding::kSame, 2), 0.1f, 6});
}

}  // namespace
}  // namespace detlite
