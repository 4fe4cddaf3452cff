// FULLY_CONNECTED reference kernels: TFLite's own test vector and
// quantized-vs-float agreement.
#include "kernels/reference/fully_connected.h"

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

TEST(FullyConnectedFloatTest, TfliteSimpleVector) {
  std::vector<float> weights;
  for (int o = 0; o < 3; ++o) {
    for (int i = 1; i <= 10; ++i) weights.push_back(static_cast<float>(i));
  }
  const std::vector<float> input = {1, 2, 3, 4, 5, 6, 7, 8,  -9, -10,
                                    1, 2, 3, 4, 5, 6, 7, -8, 9,  -10};
  const std::vector<float> bias = {1, 2, 3};
  std::vector<float> out(6);
  FullyConnectedFloat({2, 10, 3}, input.data(), weights.data(), bias.data(),
                      kNoMin, kNoMax, out.data());
  EXPECT_EQ(out, (std::vector<float>{24, 25, 26, 58, 59, 60}));
  FullyConnectedFloat({2, 10, 3}, input.data(), weights.data(), nullptr, kNoMin,
                      57.5f, out.data());
  EXPECT_EQ(out, (std::vector<float>{23, 23, 23, 57, 57, 57}));
}

TEST(FullyConnectedQuantizedTest, AllTypesMatchFloat) {
  const FullyConnectedShape s{5, 33, 7};
  const auto input = RandomFloats(5 * 33, -1.0f, 1.0f, 31);
  const auto weights = RandomFloats(7 * 33, -0.5f, 0.5f, 32);
  const auto bias = RandomFloats(7, -1.0f, 1.0f, 33);
  auto float_on = [&](const std::vector<float>& in, const std::vector<float>& w,
                      const std::vector<float>& b) {
    std::vector<float> out(5 * 7);
    FullyConnectedFloat(s, in.data(), w.data(), b.data(), kNoMin, kNoMax,
                        out.data());
    return out;
  };
  const float in_s = 2.0f / 255, w_s = 1.0f / 255, out_s = 0.05f;
  Multipliers m(in_s, std::vector<float>(7, w_s), out_s);
  const auto q_b = Quantize<int32_t>(bias, in_s * w_s, 0);
  const auto b_deq = Dequantize(q_b, in_s * w_s, 0);
  {
    const auto q_in = Quantize<uint8_t>(input, in_s, 128);
    const auto q_w = Quantize<uint8_t>(weights, w_s, 127);
    const auto want =
        float_on(Dequantize(q_in, in_s, 128), Dequantize(q_w, w_s, 127), b_deq);
    std::vector<uint8_t> fixed(35), fp32(35);
    FullyConnectedQuantized(s, -128, -127, q_in.data(), q_w.data(), q_b.data(),
                            m.Fixed(130, 0, 255), fixed.data());
    FullyConnectedQuantized(s, -128, -127, q_in.data(), q_w.data(), q_b.data(),
                            m.Fp32(130, 0, 255), fp32.data());
    ExpectWithinOneStep(fixed, want, out_s, 130);
    ExpectWithinOneStep(fp32, want, out_s, 130);
  }
  {
    const auto q_in = Quantize<int8_t>(input, in_s, 1);
    const auto q_w = Quantize<int8_t>(weights, w_s, 0);
    const auto want =
        float_on(Dequantize(q_in, in_s, 1), Dequantize(q_w, w_s, 0), b_deq);
    std::vector<int8_t> out(35);
    FullyConnectedQuantized(s, -1, 0, q_in.data(), q_w.data(), q_b.data(),
                            m.Fp32(-5, -128, 127), out.data());
    ExpectWithinOneStep(out, want, out_s, -5);
  }
  {
    const float in16 = 1.0f / 32767, out16 = 4.0f / 32767;
    Multipliers m16(in16, std::vector<float>(7, w_s), out16);
    const auto q_in = Quantize<int16_t>(input, in16, 0);
    const auto q_w = Quantize<int8_t>(weights, w_s, 0);
    const auto q_b64 = Quantize<int64_t>(bias, in16 * w_s, 0);
    const auto want =
        float_on(Dequantize(q_in, in16, 0), Dequantize(q_w, w_s, 0),
                 Dequantize(q_b64, in16 * w_s, 0));
    std::vector<int16_t> out(35);
    FullyConnectedQuantized(s, 0, 0, q_in.data(), q_w.data(), q_b64.data(),
                            m16.Wide(0, -32768, 32767), out.data());
    ExpectWithinOneStep(out, want, out16, 0);
  }
}

}  // namespace
}  // namespace detlite::kernels::reference
