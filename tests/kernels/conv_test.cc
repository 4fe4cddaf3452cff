// CONV_2D reference kernels: hand-checked goldens (the first is TFLite's own
// conv test vector) and quantized-vs-float agreement on random data.
#include "kernels/reference/conv.h"

#include <gtest/gtest.h>

#include <vector>

#include "kernels/conv_test_util.h"

namespace detlite::kernels::reference {
namespace {

using testing::Dequantize;
using testing::ExpectWithinOneStep;
using testing::Multipliers;
using testing::Quantize;
using testing::RandomFloats;

constexpr float kNoMin = -1e30f, kNoMax = 1e30f;

ConvGeometry Geometry(int batches, int in_h, int in_w, int in_c, int out_c,
                      int k_h, int k_w, int stride, int dilation,
                      PaddingType padding) {
  ConvGeometry g;
  g.batches = batches;
  g.in_h = in_h;
  g.in_w = in_w;
  g.in_c = in_c;
  g.out_c = out_c;
  g.filter_h = k_h;
  g.filter_w = k_w;
  g.stride_h = g.stride_w = stride;
  g.dilation_h = g.dilation_w = dilation;
  g.out_h = static_cast<int32_t>(
      ConvOutputSize(padding, in_h, k_h, stride, dilation));
  g.out_w = static_cast<int32_t>(
      ConvOutputSize(padding, in_w, k_w, stride, dilation));
  g.pad_h = ComputeAxisPadding(in_h, k_h, stride, dilation, g.out_h).before;
  g.pad_w = ComputeAxisPadding(in_w, k_w, stride, dilation, g.out_w).before;
  return g;
}

size_t OutputSize(const ConvGeometry& g) {
  return static_cast<size_t>(g.batches) * g.out_h * g.out_w * g.out_c;
}

// Two batches of 2x4x1, three 2x2 filters, stride 2, VALID.
TEST(ConvFloatTest, TfliteSimpleVector) {
  const std::vector<float> input = {1, 1, 1, 1, 2, 2, 2, 2,
                                    1, 2, 3, 4, 1, 2, 3, 4};
  const std::vector<float> filter = {1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1};
  const std::vector<float> bias = {1, 2, 3};
  ConvGeometry g = Geometry(2, 2, 4, 1, 3, 2, 2, 2, 1, PaddingType::kValid);
  ASSERT_EQ(g.out_h, 1);
  ASSERT_EQ(g.out_w, 2);
  std::vector<float> out(OutputSize(g));
  ConvFloat(g, input.data(), filter.data(), bias.data(), kNoMin, kNoMax,
            out.data());
  EXPECT_EQ(out, (std::vector<float>{18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3}));

  ConvFloat(g, input.data(), filter.data(), bias.data(), 0.0f, 6.0f,
            out.data());  // RELU6
  EXPECT_EQ(out, (std::vector<float>{6, 2, 5, 6, 2, 5, 6, 4, 3, 6, 4, 3}));
  ConvFloat(g, input.data(), filter.data(), nullptr, kNoMin, kNoMax,
            out.data());
  EXPECT_EQ(out, (std::vector<float>{17, 0, 2, 17, 0, 2, 16, 2, 0, 36, 2, 0}));
}

// 3x3 input, 2x2 filter, stride 2, SAME: the single padding row and column
// go after the data, so the first window starts at (0, 0).
TEST(ConvFloatTest, SamePaddingOddSizePadsAfter) {
  const std::vector<float> input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> filter = {1, 1, 1, 1};
  ConvGeometry g = Geometry(1, 3, 3, 1, 1, 2, 2, 2, 1, PaddingType::kSame);
  ASSERT_EQ(g.out_h, 2);
  ASSERT_EQ(g.pad_h, 0);
  std::vector<float> out(OutputSize(g));
  ConvFloat(g, input.data(), filter.data(), nullptr, kNoMin, kNoMax,
            out.data());
  EXPECT_EQ(out, (std::vector<float>{12, 9, 15, 9}));
}

// 3x3 filter, stride 1, SAME on 3x3: one padding element on each side.
TEST(ConvFloatTest, SamePaddingEvenTotalPadsBothSides) {
  const std::vector<float> input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> filter(9, 1.0f);
  ConvGeometry g = Geometry(1, 3, 3, 1, 1, 3, 3, 1, 1, PaddingType::kSame);
  ASSERT_EQ(g.pad_h, 1);
  std::vector<float> out(OutputSize(g));
  ConvFloat(g, input.data(), filter.data(), nullptr, kNoMin, kNoMax,
            out.data());
  EXPECT_EQ(out, (std::vector<float>{12, 21, 16, 27, 45, 33, 24, 39, 28}));
}

TEST(ConvFloatTest, DilationSpreadsTheWindow) {
  std::vector<float> input(16);
  for (int i = 0; i < 16; ++i)
    input[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  const std::vector<float> filter = {1, 1, 1, 1};
  ConvGeometry g = Geometry(1, 4, 4, 1, 1, 2, 2, 1, 2, PaddingType::kValid);
  ASSERT_EQ(g.out_h, 2);
  std::vector<float> out(OutputSize(g));
  ConvFloat(g, input.data(), filter.data(), nullptr, kNoMin, kNoMax,
            out.data());
  EXPECT_EQ(out, (std::vector<float>{24, 28, 40, 44}));
}

struct RandomConv {
  ConvGeometry g;
  std::vector<float> input, filter, bias;
};

RandomConv MakeRandomConv(uint32_t seed, PaddingType padding, int stride,
                          int dilation) {
  RandomConv c;
  c.g = Geometry(2, 9, 8, 5, 6, 3, 3, stride, dilation, padding);
  c.input = RandomFloats(static_cast<size_t>(2 * 9 * 8 * 5), -2.0f, 3.0f, seed);
  c.filter =
      RandomFloats(static_cast<size_t>(6 * 3 * 3 * 5), -1.0f, 1.0f, seed + 1);
  c.bias = RandomFloats(6, -2.0f, 2.0f, seed + 2);
  return c;
}

// Float conv on the dequantized tensors: what the quantized kernel should
// produce up to one output step.
std::vector<float> FloatOnDequantized(const ConvGeometry& g,
                                      const std::vector<float>& input,
                                      const std::vector<float>& filter,
                                      const std::vector<float>& bias) {
  std::vector<float> out(OutputSize(g));
  ConvFloat(g, input.data(), filter.data(), bias.data(), kNoMin, kNoMax,
            out.data());
  return out;
}

TEST(ConvQuantizedTest, Uint8WithFilterZeroPointMatchesFloat) {
  for (PaddingType padding : {PaddingType::kSame, PaddingType::kValid}) {
    RandomConv c = MakeRandomConv(7, padding, 2, 1);
    const float in_s = 5.0f / 255, f_s = 2.0f / 255, out_s = 0.1f;
    const int32_t in_zp = 102, f_zp = 130, out_zp = 120;
    auto q_in = Quantize<uint8_t>(c.input, in_s, in_zp);
    auto q_f = Quantize<uint8_t>(c.filter, f_s, f_zp);
    auto q_b = Quantize<int32_t>(c.bias, in_s * f_s, 0);
    auto expected = FloatOnDequantized(c.g, Dequantize(q_in, in_s, in_zp),
                                       Dequantize(q_f, f_s, f_zp),
                                       Dequantize(q_b, in_s * f_s, 0));
    Multipliers m(in_s, std::vector<float>(6, f_s), out_s);
    std::vector<uint8_t> out(OutputSize(c.g));
    ConvQuantized(c.g, -in_zp, -f_zp, q_in.data(), q_f.data(), q_b.data(),
                  m.Fixed(out_zp, 0, 255), out.data());
    ExpectWithinOneStep(out, expected, out_s, out_zp);
  }
}

TEST(ConvQuantizedTest, Int8PerChannelMatchesFloatWithBothRequantizers) {
  RandomConv c = MakeRandomConv(11, PaddingType::kSame, 1, 2);
  const float in_s = 5.0f / 255, out_s = 0.12f;
  const int32_t in_zp = -26, out_zp = 3;
  std::vector<float> f_s = {0.004f, 0.008f, 0.006f, 0.01f, 0.003f, 0.009f};
  auto q_in = Quantize<int8_t>(c.input, in_s, in_zp);
  const size_t per_channel = 3 * 3 * 5;
  auto q_f = testing::QuantizePerChannel<int8_t>(
      c.filter, f_s, [&](size_t i) { return i / per_channel; });
  std::vector<int32_t> q_b(6);
  std::vector<float> f_deq(c.filter.size()), b_deq(6);
  for (size_t i = 0; i < q_f.size(); ++i)
    f_deq[i] = f_s[i / per_channel] * q_f[i];
  for (size_t o = 0; o < 6; ++o) {
    q_b[o] = static_cast<int32_t>(std::round(c.bias[o] / (in_s * f_s[o])));
    b_deq[o] = static_cast<float>(q_b[o]) * in_s * f_s[o];
  }
  auto expected =
      FloatOnDequantized(c.g, Dequantize(q_in, in_s, in_zp), f_deq, b_deq);
  Multipliers m(in_s, f_s, out_s);
  std::vector<int8_t> fixed(OutputSize(c.g)), fp32(OutputSize(c.g));
  ConvQuantized(c.g, -in_zp, 0, q_in.data(), q_f.data(), q_b.data(),
                m.Fixed(out_zp, -128, 127), fixed.data());
  ConvQuantized(c.g, -in_zp, 0, q_in.data(), q_f.data(), q_b.data(),
                m.Fp32(out_zp, -128, 127), fp32.data());
  ExpectWithinOneStep(fixed, expected, out_s, out_zp);
  ExpectWithinOneStep(fp32, expected, out_s, out_zp);
}

TEST(ConvQuantizedTest, Int16ActivationsInt64BiasMatchFloat) {
  RandomConv c = MakeRandomConv(13, PaddingType::kSame, 2, 1);
  const float in_s = 3.0f / 32767, out_s = 12.0f / 32767;
  std::vector<float> f_s(6, 1.0f / 127);
  auto q_in = Quantize<int16_t>(c.input, in_s, 0);
  auto q_f = Quantize<int8_t>(c.filter, f_s[0], 0);
  auto q_b = Quantize<int64_t>(c.bias, in_s * f_s[0], 0);
  auto expected = FloatOnDequantized(c.g, Dequantize(q_in, in_s, 0),
                                     Dequantize(q_f, f_s[0], 0),
                                     Dequantize(q_b, in_s * f_s[0], 0));
  Multipliers m(in_s, f_s, out_s);
  std::vector<int16_t> out(OutputSize(c.g));
  ConvQuantized(c.g, 0, 0, q_in.data(), q_f.data(), q_b.data(),
                m.Wide(0, -32768, 32767), out.data());
  ExpectWithinOneStep(out, expected, out_s, 0);
}

TEST(ConvQuantizedTest, PaddedTapsActAsTheZeroPoint) {
  // All inputs equal the zero point (real 0): every output is bias only,
  // whatever the padding, so the padded taps add nothing.
  ConvGeometry g = Geometry(1, 3, 3, 2, 1, 3, 3, 1, 1, PaddingType::kSame);
  std::vector<uint8_t> input(18, 77);
  std::vector<uint8_t> filter(18, 200);
  std::vector<int32_t> bias = {40};
  Multipliers m(1.0f, {1.0f}, 4.0f);  // output = acc / 4
  std::vector<uint8_t> out(OutputSize(g));
  ConvQuantized(g, -77, -128, input.data(), filter.data(), bias.data(),
                m.Fixed(5, 0, 255), out.data());
  EXPECT_EQ(out, std::vector<uint8_t>(9, 15));
}

}  // namespace
}  // namespace detlite::kernels::reference
