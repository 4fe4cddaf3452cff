// The conv family's runtime glue, through the interpreter: output shapes,
// optional bias, run-time weights, which requantization each op gets, and
// the errors Prepare gives for models it must refuse.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "ir/builder.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/quant_math.h"
#include "kernels/reference/requantize.h"
#include "runtime/interpreter.h"

namespace detlite::runtime {
namespace {

using ir::Builder;
using ir::OpKind;

QuantParams PerChannel(std::vector<float> scales, int32_t dim) {
  QuantParams q;
  q.scale = std::move(scales);
  q.zero_point.assign(q.scale.size(), 0);
  q.quantized_dimension = dim;
  return q;
}

template <typename T>
std::vector<T> Output(const Interpreter& interp, int i) {
  const TensorRef& t = interp.output(i);
  std::vector<T> v(static_cast<size_t>(t.NumElements()));
  std::memcpy(v.data(), t.data, v.size() * sizeof(T));
  return v;
}

Status CreateStatus(const ir::Model& m) {
  auto interp = Interpreter::Create(m);
  return interp.ok() ? Status::Ok() : interp.status();
}

void ExpectError(const ir::Model& m, const std::string& fragment,
                 StatusCode code = StatusCode::kInvalidArgument) {
  Status s = CreateStatus(m);
  ASSERT_FALSE(s.ok()) << "expected an error containing '" << fragment << "'";
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.ToString();
}

TEST(ConvOpsTest, Conv2DSameStrideTwoOnOddInput) {
  ir::Model m;
  Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 3, 3, 1});
  int32_t w = b.ConstantF32("w", {1, 2, 2, 1}, {1, 1, 1, 1});
  int32_t bias = b.ConstantF32("b", {1}, {0.5f});
  ir::Conv2DOptions o;
  o.stride_h = o.stride_w = 2;
  int32_t y = b.Op(OpKind::kConv2D, {x, w, bias}, "y", DType::kFloat32, {}, o);
  b.Output(y);
  auto interp = Interpreter::Create(m);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  EXPECT_EQ((*interp)->output(0).shape, (Shape{1, 2, 2, 1}));
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  ASSERT_TRUE((*interp)->SetInput(0, in.data(), in.size() * 4).ok());
  ASSERT_TRUE((*interp)->Invoke().ok());
  EXPECT_EQ(Output<float>(**interp, 0),
            (std::vector<float>{12.5f, 9.5f, 15.5f, 9.5f}));
}

TEST(ConvOpsTest, AbsentBiasAndRunTimeWeights) {
  // The filter is a model input (as when a DEQUANTIZE makes it), the bias
  // is -1.
  ir::Model m;
  Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 2, 2, 1});
  int32_t w = b.Input("w", DType::kFloat32, {2, 1, 1, 1});
  ir::Conv2DOptions o;
  o.padding = ir::Padding::kValid;
  int32_t y = b.Op(OpKind::kConv2D, {x, w, -1}, "y", DType::kFloat32, {}, o);
  b.Output(y);
  auto interp = Interpreter::Create(m);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  const std::vector<float> in = {1, 2, 3, 4}, weights = {2, -1};
  ASSERT_TRUE((*interp)->SetInput(0, in.data(), 16).ok());
  ASSERT_TRUE((*interp)->SetInput(1, weights.data(), 8).ok());
  ASSERT_TRUE((*interp)->Invoke().ok());
  EXPECT_EQ(Output<float>(**interp, 0),
            (std::vector<float>{2, -1, 4, -2, 6, -3, 8, -4}));
}

TEST(ConvOpsTest, FullyConnectedOutputShapes) {
  for (bool keep : {false, true}) {
    ir::Model m;
    Builder b(&m);
    int32_t x = b.Input("x", DType::kFloat32, {2, 3, 4});
    std::vector<float> wv(20, 0.0f);
    for (int o = 0; o < 5; ++o) wv[static_cast<size_t>(o * 4 + o % 4)] = 1.0f;
    int32_t w = b.ConstantF32("w", {5, 4}, wv);
    ir::FullyConnectedOptions o;
    o.keep_num_dims = keep;
    o.activation = ir::Activation::kRelu;
    int32_t y =
        b.Op(OpKind::kFullyConnected, {x, w}, "y", DType::kFloat32, {}, o);
    b.Output(y);
    auto interp = Interpreter::Create(m);
    ASSERT_TRUE(interp.ok()) << interp.status().ToString();
    EXPECT_EQ((*interp)->output(0).shape,
              keep ? (Shape{2, 3, 5}) : (Shape{6, 5}));
    std::vector<float> in(24);
    for (size_t i = 0; i < in.size(); ++i)
      in[i] = static_cast<float>(i) - 10.0f;
    ASSERT_TRUE((*interp)->SetInput(0, in.data(), in.size() * 4).ok());
    ASSERT_TRUE((*interp)->Invoke().ok());
    const auto out = Output<float>(**interp, 0);
    // Row 3 is inputs 2..5 (after -10: 2, 3, 4, 5); unit o picks element o % 4.
    EXPECT_EQ(std::vector<float>(out.begin() + 15, out.begin() + 20),
              (std::vector<float>{2, 3, 4, 5, 2}));
    EXPECT_EQ(out[0], 0.0f);  // RELU
  }
}

TEST(ConvOpsTest, TransposeConvTakesShapeFromTensor) {
  ir::Model m;
  Builder b(&m);
  int32_t shape = b.ConstantI32("shape", {4}, {1, 7, 7, 1});
  std::vector<float> wv(9);
  for (int i = 0; i < 9; ++i)
    wv[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  int32_t w = b.ConstantF32("w", {1, 3, 3, 1}, wv);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4, 4, 1});
  ir::TransposeConvOptions o;
  o.stride_h = o.stride_w = 2;
  int32_t y =
      b.Op(OpKind::kTransposeConv, {shape, w, x}, "y", DType::kFloat32, {}, o);
  b.Output(y);
  auto interp = Interpreter::Create(m);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  EXPECT_EQ((*interp)->output(0).shape, (Shape{1, 7, 7, 1}));
  std::vector<float> in(16);
  for (int i = 0; i < 16; ++i)
    in[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  ASSERT_TRUE((*interp)->SetInput(0, in.data(), 64).ok());
  ASSERT_TRUE((*interp)->Invoke().ok());
  const auto out = Output<float>(**interp, 0);
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 7),
            (std::vector<float>{5, 14, 10, 24, 15, 34, 20}));
}

// An int8 CONV_2D with constant weights is requantized in float (as XNNPACK
// does on the judge); with weights computed at run time TFLite's own
// single-rounding kernel runs. The data is chosen so the two differ.
TEST(ConvOpsTest, Int8RequantizationFollowsWhoRunsTheOp) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> byte(-128, 127);
  const int channels = 16, h = 12, w = 12, c = 8;
  std::vector<int8_t> input(static_cast<size_t>(h * w * c)),
      filter(static_cast<size_t>(channels * c));
  for (auto& v : input) v = static_cast<int8_t>(byte(rng));
  for (auto& v : filter) v = static_cast<int8_t>(std::max(-127, byte(rng)));
  std::vector<float> scales;
  for (int i = 0; i < channels; ++i)
    scales.push_back(0.002f + 0.001f * static_cast<float>(i));
  const float in_s = 0.05f, out_s = 0.09f;
  const int32_t in_zp = -3, out_zp = 5;

  kernels::ConvGeometry g;
  g.in_h = g.out_h = h;
  g.in_w = g.out_w = w;
  g.in_c = c;
  g.out_c = channels;
  g.filter_h = g.filter_w = 1;
  std::vector<int32_t> mult(channels);
  std::vector<int> shift(channels);
  std::vector<float> fscale(channels);
  for (int i = 0; i < channels; ++i) {
    kernels::QuantizeMultiplier(
        double{in_s} * scales[static_cast<size_t>(i)] / out_s,
        &mult[static_cast<size_t>(i)], &shift[static_cast<size_t>(i)]);
    fscale[static_cast<size_t>(i)] =
        kernels::Fp32RequantScale(in_s, scales[static_cast<size_t>(i)], out_s);
  }
  std::vector<int8_t> want_fixed(input.size() / c * channels),
      want_fp32(want_fixed.size());
  kernels::reference::ConvQuantized(
      g, -in_zp, 0, input.data(), filter.data(),
      static_cast<const int32_t*>(nullptr),
      kernels::SingleRoundingRequant{mult.data(), shift.data(), out_zp, -128,
                                     127},
      want_fixed.data());
  kernels::reference::ConvQuantized(
      g, -in_zp, 0, input.data(), filter.data(),
      static_cast<const int32_t*>(nullptr),
      kernels::Fp32Requant{fscale.data(), out_zp, -128, 127}, want_fp32.data());
  ASSERT_NE(want_fixed, want_fp32)
      << "pick data where the two roundings differ";

  for (bool constant : {true, false}) {
    ir::Model m;
    Builder b(&m);
    int32_t x = b.Input("x", DType::kInt8, {1, h, w, c},
                        ir::PerTensorQuant(in_s, in_zp));
    int32_t f = constant
                    ? b.Constant<int8_t>("f", {channels, 1, 1, c}, filter,
                                         DType::kInt8, PerChannel(scales, 0))
                    : b.Input("f", DType::kInt8, {channels, 1, 1, c},
                              PerChannel(scales, 0));
    int32_t y = b.Op(OpKind::kConv2D, {x, f}, "y", DType::kInt8, {},
                     ir::Conv2DOptions{}, ir::PerTensorQuant(out_s, out_zp));
    b.Output(y);
    auto interp = Interpreter::Create(m);
    ASSERT_TRUE(interp.ok()) << interp.status().ToString();
    ASSERT_TRUE((*interp)->SetInput(0, input.data(), input.size()).ok());
    if (!constant) {
      ASSERT_TRUE((*interp)->SetInput(1, filter.data(), filter.size()).ok());
    }
    ASSERT_TRUE((*interp)->Invoke().ok());
    EXPECT_EQ(Output<int8_t>(**interp, 0), constant ? want_fp32 : want_fixed)
        << (constant ? "constant" : "run-time") << " weights";
  }
}

// A one-op model around `kind` with float input [1,4,4,2] for error tests.
struct ErrorCase {
  ir::Model m;
  Builder b{&m};
  int32_t x = b.Input("x", DType::kFloat32, {1, 4, 4, 2});
};

TEST(ConvOpsTest, RefusesBadModels) {
  {
    ErrorCase e;  // hybrid ops take int8 filters only, not uint8
    int32_t w =
        e.b.Constant<uint8_t>("w", {3, 1, 1, 2}, std::vector<uint8_t>(6, 1),
                              DType::kUInt8, ir::PerTensorQuant(0.1f, 0));
    e.b.Output(e.b.Op(OpKind::kConv2D, {e.x, w}, "y", DType::kFloat32, {},
                      ir::Conv2DOptions{}));
    ExpectError(e.m, "hybrid", StatusCode::kUnimplemented);
  }
  {
    ErrorCase e;  // 2 groups, but 3 output channels do not split into them
    int32_t w = e.b.ConstantF32("w", {3, 1, 1, 1}, {1, 2, 3});
    e.b.Output(e.b.Op(OpKind::kConv2D, {e.x, w}, "y", DType::kFloat32, {},
                      ir::Conv2DOptions{}));
    ExpectError(e.m, "group count");
  }
  {
    ErrorCase e;  // VALID filter larger than the input
    int32_t w =
        e.b.ConstantF32("w", {1, 6, 6, 2}, std::vector<float>(72, 1.0f));
    ir::Conv2DOptions o;
    o.padding = ir::Padding::kValid;
    e.b.Output(e.b.Op(OpKind::kConv2D, {e.x, w}, "y", DType::kFloat32, {}, o));
    ExpectError(e.m, "does not fit");
  }
  {
    ErrorCase e;  // fused TANH
    int32_t w = e.b.ConstantF32("w", {1, 1, 1, 2}, {1, 1});
    ir::Conv2DOptions o;
    o.activation = ir::Activation::kTanh;
    e.b.Output(e.b.Op(OpKind::kConv2D, {e.x, w}, "y", DType::kFloat32, {}, o));
    ExpectError(e.m, "fused activation", StatusCode::kUnimplemented);
  }
  {
    ErrorCase e;  // bias of the wrong length
    int32_t w = e.b.ConstantF32("w", {2, 1, 1, 2}, {1, 1, 1, 1});
    int32_t bias = e.b.ConstantF32("b", {3}, {1, 2, 3});
    e.b.Output(e.b.Op(OpKind::kConv2D, {e.x, w, bias}, "y", DType::kFloat32, {},
                      ir::Conv2DOptions{}));
    ExpectError(e.m, "one per output channel");
  }
  {
    ErrorCase e;  // depth_multiplier disagreeing with the filter
    int32_t w =
        e.b.ConstantF32("w", {1, 3, 3, 4}, std::vector<float>(36, 1.0f));
    ir::DepthwiseConv2DOptions o;
    o.depth_multiplier = 3;
    e.b.Output(e.b.Op(OpKind::kDepthwiseConv2D, {e.x, w}, "y", DType::kFloat32,
                      {}, o));
    ExpectError(e.m, "depth_multiplier 3");
  }
  {
    ErrorCase e;  // FULLY_CONNECTED whose input does not split into rows
    int32_t w = e.b.ConstantF32("w", {2, 3}, std::vector<float>(6, 1.0f));
    e.b.Output(e.b.Op(OpKind::kFullyConnected, {e.x, w}, "y", DType::kFloat32,
                      {}, ir::FullyConnectedOptions{}));
    ExpectError(e.m, "does not split");
  }
  {
    ErrorCase e;  // TRANSPOSE_CONV with a run-time output shape
    int32_t shape = e.b.Input("shape", DType::kInt32, {4});
    int32_t w =
        e.b.ConstantF32("w", {1, 3, 3, 2}, std::vector<float>(18, 1.0f));
    e.b.Output(e.b.Op(OpKind::kTransposeConv, {shape, w, e.x}, "y",
                      DType::kFloat32, {}, ir::TransposeConvOptions{}));
    ExpectError(e.m, "run time", StatusCode::kUnimplemented);
  }
}

TEST(ConvOpsTest, RefusesBadQuantization) {
  auto model = [](QuantParams filter_q, DType in_dtype, QuantParams in_q,
                  OpKind kind) {
    ir::Model m;
    Builder b(&m);
    int32_t x = b.Input("x", in_dtype, {1, 4, 4, 2}, std::move(in_q));
    const bool dw = kind == OpKind::kDepthwiseConv2D;
    int32_t w = b.Constant<int8_t>(
        "w", dw ? Shape{1, 1, 1, 2} : Shape{2, 1, 1, 2},
        std::vector<int8_t>(4, 1), DType::kInt8, std::move(filter_q));
    ir::OpOptions o =
        dw ? ir::OpOptions(ir::DepthwiseConv2DOptions{}) : ir::Conv2DOptions{};
    b.Output(
        b.Op(kind, {x, w}, "y", in_dtype, {}, o, ir::PerTensorQuant(0.1f, 0)));
    return m;
  };
  const QuantParams in8 = ir::PerTensorQuant(0.1f, 0);
  ExpectError(
      model(ir::PerTensorQuant(0.1f, 3), DType::kInt8, in8, OpKind::kConv2D),
      "must be symmetric");
  ExpectError(model(PerChannel({0.1f, 0.2f, 0.3f}, 0), DType::kInt8, in8,
                    OpKind::kConv2D),
              "expected 1 or 2");
  ExpectError(model(PerChannel({0.1f, 0.2f}, 0), DType::kInt8, in8,
                    OpKind::kDepthwiseConv2D),
              "quantized along dimension 0, expected 3");
  ExpectError(model(PerChannel({0.1f, 0.2f}, 0), DType::kInt16,
                    ir::PerTensorQuant(0.1f, 4), OpKind::kConv2D),
              "zero point 4");
  ExpectError(model(ir::PerTensorQuant(0.1f, 0), DType::kInt8, QuantParams{},
                    OpKind::kConv2D),
              "must be quantized per tensor");
  EXPECT_TRUE(CreateStatus(model(PerChannel({0.1f, 0.2f}, 3), DType::kInt8, in8,
                                 OpKind::kDepthwiseConv2D))
                  .ok());
}

}  // namespace
}  // namespace detlite::runtime
