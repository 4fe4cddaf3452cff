// DEPTHWISE_CONV_2D reference kernels: TFLite's own test vector (depth
// multiplier 2), padding and dilation goldens, quantized-vs-float agreement.
#include "kernels/reference/depthwise_conv.h"

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

ConvGeometry Geometry(int in_h, int in_w, int in_c, int multiplier, int k,
                      int stride, int dilation, PaddingType padding) {
  ConvGeometry g;
  g.in_h = in_h;
  g.in_w = in_w;
  g.in_c = in_c;
  g.depth_multiplier = multiplier;
  g.out_c = in_c * multiplier;
  g.filter_h = g.filter_w = k;
  g.stride_h = g.stride_w = stride;
  g.dilation_h = g.dilation_w = dilation;
  g.out_h =
      static_cast<int32_t>(ConvOutputSize(padding, in_h, k, stride, dilation));
  g.out_w =
      static_cast<int32_t>(ConvOutputSize(padding, in_w, k, stride, dilation));
  g.pad_h = ComputeAxisPadding(in_h, k, stride, dilation, g.out_h).before;
  g.pad_w = ComputeAxisPadding(in_w, k, stride, dilation, g.out_w).before;
  return g;
}

size_t OutputSize(const ConvGeometry& g) {
  return static_cast<size_t>(g.batches) * g.out_h * g.out_w * g.out_c;
}

TEST(DepthwiseConvFloatTest, TfliteSimpleVectorWithMultiplierTwo) {
  const std::vector<float> input = {1, 2,  7, 8, 3,  4,
                                    9, 10, 5, 6, 11, 12};  // 3x2x2
  const std::vector<float> filter = {1, 2, 3, 4, -9, 10,  -11, 12,
                                     5, 6, 7, 8, 13, -14, 15,  -16};  // 2x2x4
  const std::vector<float> bias = {1, 2, 3, 4};
  ConvGeometry g = Geometry(3, 2, 2, 2, 2, 1, 1, PaddingType::kValid);
  std::vector<float> out(OutputSize(g));
  DepthwiseConvFloat(g, input.data(), filter.data(), bias.data(), kNoMin,
                     kNoMax, out.data());
  EXPECT_EQ(out, (std::vector<float>{71, -34, 99, -20, 91, -26, 127, -4}));
  DepthwiseConvFloat(g, input.data(), filter.data(), bias.data(), 0.0f, kNoMax,
                     out.data());
  EXPECT_EQ(out, (std::vector<float>{71, 0, 99, 0, 91, 0, 127, 0}));
}

TEST(DepthwiseConvFloatTest, ChannelsStayApartWithSamePaddingAndStride) {
  // Channel 0 holds 1..9, channel 1 holds 10x that; all-ones 2x2 filter,
  // stride 2, SAME: padding after, like ConvFloatTest.SamePaddingOddSize.
  std::vector<float> input;
  for (int i = 1; i <= 9; ++i) {
    input.push_back(static_cast<float>(i));
    input.push_back(static_cast<float>(10 * i));
  }
  const std::vector<float> filter(8, 1.0f);
  ConvGeometry g = Geometry(3, 3, 2, 1, 2, 2, 1, PaddingType::kSame);
  std::vector<float> out(OutputSize(g));
  DepthwiseConvFloat(g, input.data(), filter.data(), nullptr, kNoMin, kNoMax,
                     out.data());
  EXPECT_EQ(out, (std::vector<float>{12, 120, 9, 90, 15, 150, 9, 90}));
}

TEST(DepthwiseConvFloatTest, Dilation) {
  std::vector<float> input(16);
  for (int i = 0; i < 16; ++i)
    input[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  const std::vector<float> filter = {1, 1, 1, 1};
  ConvGeometry g = Geometry(4, 4, 1, 1, 2, 1, 2, PaddingType::kValid);
  std::vector<float> out(OutputSize(g));
  DepthwiseConvFloat(g, input.data(), filter.data(), nullptr, kNoMin, kNoMax,
                     out.data());
  EXPECT_EQ(out, (std::vector<float>{24, 28, 40, 44}));
}

TEST(DepthwiseConvQuantizedTest, Uint8AndInt8AndInt16MatchFloat) {
  ConvGeometry g = Geometry(9, 7, 4, 2, 3, 2, 1, PaddingType::kSame);
  const auto input = RandomFloats(9 * 7 * 4, -1.0f, 4.0f, 21);
  const auto filter = RandomFloats(3 * 3 * 8, -1.0f, 1.0f, 22);
  const auto bias = RandomFloats(8, -1.0f, 1.0f, 23);
  const float in_s = 5.0f / 255, f_s = 2.0f / 255, out_s = 0.06f;
  auto float_on = [&](const std::vector<float>& in, const std::vector<float>& f,
                      const std::vector<float>& b) {
    std::vector<float> out(OutputSize(g));
    DepthwiseConvFloat(g, in.data(), f.data(), b.data(), kNoMin, kNoMax,
                       out.data());
    return out;
  };
  Multipliers m(in_s, std::vector<float>(8, f_s), out_s);
  const auto q_b = Quantize<int32_t>(bias, in_s * f_s, 0);
  const auto b_deq = Dequantize(q_b, in_s * f_s, 0);
  {
    const auto q_in = Quantize<uint8_t>(input, in_s, 51);
    const auto q_f = Quantize<uint8_t>(filter, f_s, 140);
    const auto want =
        float_on(Dequantize(q_in, in_s, 51), Dequantize(q_f, f_s, 140), b_deq);
    std::vector<uint8_t> out(OutputSize(g));
    DepthwiseConvQuantized(g, -51, -140, q_in.data(), q_f.data(), q_b.data(),
                           m.Fixed(128, 0, 255), out.data());
    ExpectWithinOneStep(out, want, out_s, 128);
  }
  {
    const auto q_in = Quantize<int8_t>(input, in_s, -77);
    const auto q_f = Quantize<int8_t>(filter, f_s, 0);
    const auto want =
        float_on(Dequantize(q_in, in_s, -77), Dequantize(q_f, f_s, 0), b_deq);
    std::vector<int8_t> out(OutputSize(g));
    DepthwiseConvQuantized(g, 77, 0, q_in.data(), q_f.data(), q_b.data(),
                           m.Fp32(0, -128, 127), out.data());
    ExpectWithinOneStep(out, want, out_s, 0);
  }
  {
    const float in16 = 4.0f / 32767, out16 = 8.0f / 32767;
    Multipliers m16(in16, std::vector<float>(8, f_s), out16);
    const auto q_in = Quantize<int16_t>(input, in16, 0);
    const auto q_f = Quantize<int8_t>(filter, f_s, 0);
    const auto q_b64 = Quantize<int64_t>(bias, in16 * f_s, 0);
    const auto want =
        float_on(Dequantize(q_in, in16, 0), Dequantize(q_f, f_s, 0),
                 Dequantize(q_b64, in16 * f_s, 0));
    std::vector<int16_t> out(OutputSize(g));
    DepthwiseConvQuantized(g, 0, 0, q_in.data(), q_f.data(), q_b64.data(),
                           m16.Wide(0, -32768, 32767), out.data());
    ExpectWithinOneStep(out, want, out16, 0);
  }
}

}  // namespace
}  // namespace detlite::kernels::reference
