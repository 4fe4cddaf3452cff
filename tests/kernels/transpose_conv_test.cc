// TRANSPOSE_CONV reference kernels: TFLite's own test vectors (SAME and VALID,
// 4x4 input, 3x3 filter), stride-2 goldens with even and odd output sizes,
// and quantized-vs-float agreement.
#include "kernels/reference/transpose_conv.h"

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

// Geometry as the runtime computes it: padding from the conv over the output.
ConvGeometry Geometry(int in_h, int in_w, int in_c, int out_h, int out_w,
                      int out_c, int k, int stride, PaddingType padding) {
  ConvGeometry g;
  g.in_h = in_h;
  g.in_w = in_w;
  g.in_c = in_c;
  g.out_h = out_h;
  g.out_w = out_w;
  g.out_c = out_c;
  g.filter_h = g.filter_w = k;
  g.stride_h = g.stride_w = stride;
  g.pad_h = ComputeAxisPadding(out_h, k, stride, 1,
                               ConvOutputSize(padding, out_h, k, stride, 1))
                .before;
  g.pad_w = ComputeAxisPadding(out_w, k, stride, 1,
                               ConvOutputSize(padding, out_w, k, stride, 1))
                .before;
  return g;
}

std::vector<float> Iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    v[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  return v;
}

std::vector<float> RunFloat(const ConvGeometry& g,
                            const std::vector<float>& input,
                            const std::vector<float>& filter,
                            const float* bias = nullptr) {
  std::vector<float> out(static_cast<size_t>(TransposeConvOutputSize(g)));
  TransposeConvFloat(g, input.data(), filter.data(), bias, kNoMin, kNoMax,
                     out.data());
  return out;
}

TEST(TransposeConvFloatTest, TfliteSameVector) {
  ConvGeometry g = Geometry(4, 4, 1, 4, 4, 1, 3, 1, PaddingType::kSame);
  EXPECT_EQ(RunFloat(g, Iota(16), Iota(9)),
            (std::vector<float>{29, 62, 83, 75, 99, 192, 237, 198, 207, 372,
                                417, 330, 263, 446, 485, 365}));
}

TEST(TransposeConvFloatTest, TfliteValidVector) {
  ConvGeometry g = Geometry(4, 4, 1, 6, 6, 1, 3, 1, PaddingType::kValid);
  EXPECT_EQ(RunFloat(g, Iota(16), Iota(9)),
            (std::vector<float>{1,   4,   10,  16,  17,  12,  9,   29,  62,
                                83,  75,  48,  36,  99,  192, 237, 198, 120,
                                84,  207, 372, 417, 330, 192, 115, 263, 446,
                                485, 365, 204, 91,  202, 334, 358, 263, 144}));
}

TEST(TransposeConvFloatTest, StrideTwoSameEvenOutputPadsNothingBefore) {
  // 8 = 2 * 4: the conv over the output needs 1 padding element, after.
  ConvGeometry g = Geometry(4, 4, 1, 8, 8, 1, 3, 2, PaddingType::kSame);
  ASSERT_EQ(g.pad_h, 0);
  const std::vector<float> out = RunFloat(g, Iota(16), Iota(9));
  const std::vector<float> first_rows = {1, 2, 5,  4,  9,  6,  13, 8,
                                         4, 5, 14, 10, 24, 15, 34, 20};
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 16), first_rows);
  EXPECT_EQ(out.back(), 80.0f);
}

TEST(TransposeConvFloatTest, StrideTwoSameOddOutputPadsOneBefore) {
  ConvGeometry g = Geometry(4, 4, 1, 7, 7, 1, 3, 2, PaddingType::kSame);
  ASSERT_EQ(g.pad_h, 1);
  const std::vector<float> out = RunFloat(g, Iota(16), Iota(9));
  const std::vector<float> first_row = {5, 14, 10, 24, 15, 34, 20};
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 7), first_row);
  EXPECT_EQ(out.back(), 80.0f);
}

TEST(TransposeConvFloatTest, TwoChannelsAndBias) {
  // Two input channels, filter identical for both, bias 10: output equals
  // twice the single-channel result plus 10.
  std::vector<float> input, filter;
  for (float v : Iota(16)) {
    input.push_back(v);
    input.push_back(v);
  }
  for (float v : Iota(9)) {
    filter.push_back(v);
    filter.push_back(v);
  }
  const float bias[] = {10};
  ConvGeometry g = Geometry(4, 4, 2, 4, 4, 1, 3, 1, PaddingType::kSame);
  const auto out = RunFloat(g, input, filter, bias);
  const auto single = RunFloat(
      Geometry(4, 4, 1, 4, 4, 1, 3, 1, PaddingType::kSame), Iota(16), Iota(9));
  for (size_t i = 0; i < out.size(); ++i)
    EXPECT_EQ(out[i], 2 * single[i] + 10) << i;
}

TEST(TransposeConvQuantizedTest, Int8PerChannelUint8AndInt16MatchFloat) {
  ConvGeometry g = Geometry(5, 6, 3, 10, 12, 4, 3, 2, PaddingType::kSame);
  const size_t n = static_cast<size_t>(TransposeConvOutputSize(g));
  const auto input = RandomFloats(5 * 6 * 3, -1.0f, 1.0f, 41);
  const auto filter = RandomFloats(4 * 3 * 3 * 3, -1.0f, 1.0f, 42);
  const auto bias = RandomFloats(4, -1.0f, 1.0f, 43);
  auto float_on = [&](const std::vector<float>& in, const std::vector<float>& f,
                      const std::vector<float>& b) {
    std::vector<float> out(n);
    TransposeConvFloat(g, in.data(), f.data(), b.data(), kNoMin, kNoMax,
                       out.data());
    return out;
  };
  const float in_s = 2.0f / 255, out_s = 0.04f;
  const std::vector<float> f_s = {0.008f, 0.004f, 0.006f, 0.005f};
  {
    const auto q_in = Quantize<int8_t>(input, in_s, 0);
    const size_t per_channel = 27;
    const auto q_f = testing::QuantizePerChannel<int8_t>(
        filter, f_s, [&](size_t i) { return i / per_channel; });
    std::vector<float> f_deq(filter.size()), b_deq(4);
    std::vector<int32_t> q_b(4);
    for (size_t i = 0; i < filter.size(); ++i)
      f_deq[i] = f_s[i / per_channel] * q_f[i];
    for (size_t o = 0; o < 4; ++o) {
      q_b[o] = static_cast<int32_t>(std::round(bias[o] / (in_s * f_s[o])));
      b_deq[o] = static_cast<float>(q_b[o]) * in_s * f_s[o];
    }
    const auto want = float_on(Dequantize(q_in, in_s, 0), f_deq, b_deq);
    Multipliers m(in_s, f_s, out_s);
    std::vector<int32_t> scratch(n);
    std::vector<int8_t> out(n);
    TransposeConvQuantized(g, 0, 0, q_in.data(), q_f.data(), q_b.data(),
                           m.Fixed(-3, -128, 127), scratch.data(), out.data());
    ExpectWithinOneStep(out, want, out_s, -3);
  }
  {
    const float f8 = 2.0f / 255;
    const auto q_in = Quantize<uint8_t>(input, in_s, 128);
    const auto q_f = Quantize<uint8_t>(filter, f8, 120);
    const auto q_b = Quantize<int32_t>(bias, in_s * f8, 0);
    const auto want =
        float_on(Dequantize(q_in, in_s, 128), Dequantize(q_f, f8, 120),
                 Dequantize(q_b, in_s * f8, 0));
    Multipliers m(in_s, std::vector<float>(4, f8), out_s);
    std::vector<int32_t> scratch(n);
    std::vector<uint8_t> out(n);
    TransposeConvQuantized(g, -128, -120, q_in.data(), q_f.data(), q_b.data(),
                           m.Fixed(100, 0, 255), scratch.data(), out.data());
    ExpectWithinOneStep(out, want, out_s, 100);
  }
  {
    const float in16 = 1.0f / 32767, out16 = 6.0f / 32767, f8 = 1.0f / 127;
    const auto q_in = Quantize<int16_t>(input, in16, 0);
    const auto q_f = Quantize<int8_t>(filter, f8, 0);
    const auto q_b = Quantize<int64_t>(bias, in16 * f8, 0);
    const auto want =
        float_on(Dequantize(q_in, in16, 0), Dequantize(q_f, f8, 0),
                 Dequantize(q_b, in16 * f8, 0));
    Multipliers m(in16, std::vector<float>(4, f8), out16);
    std::vector<int64_t> scratch(n);
    std::vector<int16_t> out(n);
    TransposeConvQuantized(g, 0, 0, q_in.data(), q_f.data(), q_b.data(),
                           m.Wide(0, -32768, 32767), scratch.data(),
                           out.data());
    ExpectWithinOneStep(out, want, out16, 0);
  }
}

}  // namespace
}  // namespace detlite::kernels::reference
