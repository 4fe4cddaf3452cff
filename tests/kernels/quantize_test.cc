// DEQUANTIZE and QUANTIZE: the float16 conversion, and goldens measured in
// the real TFLite runtime (tfjs-tflite wasm, XNNPACK on) for every rounding
// path kernels/reference/quantize.h describes.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/fp16.h"
#include "kernels/shape_op_harness.h"

namespace detlite {
namespace {

using testing::OpHarness;
using testing::Quant;

uint32_t Bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

TEST(Fp16Test, KnownValues) {
  using detlite::HalfToFloat;
  EXPECT_EQ(HalfToFloat(0x0000), 0.0f);
  EXPECT_EQ(Bits(HalfToFloat(0x8000)), 0x80000000u);  // -0
  EXPECT_EQ(HalfToFloat(0x3C00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xC000), -2.0f);
  EXPECT_EQ(HalfToFloat(0x7BFF), 65504.0f);
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));   // smallest subnormal
  EXPECT_EQ(HalfToFloat(0x03FF), std::ldexp(1023.0f, -24)); // largest subnormal
  EXPECT_EQ(HalfToFloat(0x8001), -std::ldexp(1.0f, -24));
  EXPECT_EQ(HalfToFloat(0x0400), std::ldexp(1.0f, -14));   // smallest normal
  EXPECT_EQ(HalfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(HalfToFloat(0x7C00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(HalfToFloat(0xFC00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7E00)));
  EXPECT_EQ(Bits(HalfToFloat(0x7E01)), 0x7FC02000u);  // payload kept
}

TEST(Fp16Test, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = HalfToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(FloatToHalf(f), h) << std::hex << h;
  }
}

TEST(Fp16Test, FloatToHalfRoundsToNearestEven) {
  using detlite::FloatToHalf;
  EXPECT_EQ(FloatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3C00);  // tie -> even
  EXPECT_EQ(FloatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  EXPECT_EQ(FloatToHalf(65519.0f), 0x7BFF);
  EXPECT_EQ(FloatToHalf(65520.0f), 0x7C00);  // tie rounds up to infinity
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -25)), 0x0000);  // tie -> even (0)
  EXPECT_EQ(FloatToHalf(std::ldexp(3.0f, -25)), 0x0002);
}

std::vector<uint8_t> HalfBytes(const std::vector<uint16_t>& h) {
  std::vector<uint8_t> b(h.size() * 2);
  std::memcpy(b.data(), h.data(), b.size());
  return b;
}

TEST(DequantizeTest, Float16ConstantAndRuntime) {
  const std::vector<uint16_t> h = {0x3C00, 0x0001, 0xFC00, 0xC500, 0x8000, 0x7BFF};
  for (bool constant : {true, false}) {
    OpHarness t(ir::OpKind::kDequantize);
    t.RawInput(DType::kFloat16, Shape({2, 3}), HalfBytes(h), constant);
    t.Output(DType::kFloat32);
    ASSERT_TRUE(t.Run().ok());
    EXPECT_EQ(t.OutputShape(), Shape({2, 3}));
    const auto out = t.Out<float>();
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], std::ldexp(1.0f, -24));
    EXPECT_EQ(out[2], -std::numeric_limits<float>::infinity());
    EXPECT_EQ(out[3], -5.0f);
    EXPECT_EQ(Bits(out[4]), 0x80000000u);
    EXPECT_EQ(out[5], 65504.0f);
  }
}

TEST(DequantizeTest, Uint8PerTensor) {
  OpHarness t(ir::OpKind::kDequantize);
  t.Input<uint8_t>(DType::kUInt8, Shape({4}), {0, 127, 128, 255}, false, Quant(0.5f, 128));
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.Out<float>(), (std::vector<float>{-64.0f, -0.5f, 0.0f, 63.5f}));
}

TEST(DequantizeTest, Int8PerAxis) {
  QuantParams q;
  q.scale = {0.5f, 2.0f};
  q.zero_point = {0, -1};
  q.quantized_dimension = 1;
  OpHarness t(ir::OpKind::kDequantize);
  t.Const<int8_t>(DType::kInt8, Shape({2, 2, 2}), {1, 2, 3, 4, -1, -2, -128, 127}, q);
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.Out<float>(), (std::vector<float>{0.5f, 1.0f, 8.0f, 10.0f, -0.5f, -1.0f, -254.0f, 256.0f}));
}

TEST(DequantizeTest, Int16AndBadQuant) {
  OpHarness t(ir::OpKind::kDequantize);
  t.Input<int16_t>(DType::kInt16, Shape({3}), {-32768, 0, 32767}, false, Quant(0.25f, 0));
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.Out<float>(), (std::vector<float>{-8192.0f, 0.0f, 8191.75f}));

  OpHarness bad(ir::OpKind::kDequantize);
  bad.Input<int8_t>(DType::kInt8, Shape({1}), {1}, false, Quant(0.0f, 0));
  bad.Output(DType::kFloat32);
  EXPECT_FALSE(bad.Prepare().ok());
}

// Inputs of the goldens below; outputs were measured in the real runtime.
const std::vector<float> kFloatIn = {0.25f, 0.75f, -0.25f, -0.75f, 1.25f, 63.75f, -64.25f,
                                     100.0f, -100.0f, 0.1f, -3.3f, 1e9f, -1e9f};

template <typename T>
std::vector<T> QuantizeFloat(DType dtype, float scale, int64_t zp) {
  OpHarness t(ir::OpKind::kQuantize);
  t.Input<float>(DType::kFloat32, Shape({static_cast<int32_t>(kFloatIn.size())}), kFloatIn);
  t.Output(dtype, {}, Quant(scale, zp));
  EXPECT_TRUE(t.Run().ok());
  return t.Out<T>();
}

TEST(QuantizeTest, FloatToInt8RoundsHalfToEvenAsXnnpack) {
  EXPECT_EQ(QuantizeFloat<int8_t>(DType::kInt8, 0.5f, 0),
            (std::vector<int8_t>{0, 2, 0, -2, 2, 127, -128, 127, -128, 0, -7, 127, -128}));
  EXPECT_EQ(QuantizeFloat<uint8_t>(DType::kUInt8, 0.5f, 128),
            (std::vector<uint8_t>{128, 130, 128, 126, 130, 255, 0, 255, 0, 128, 121, 255, 0}));
}

TEST(QuantizeTest, FloatToInt16RoundsHalfAwayAsTflite) {
  EXPECT_EQ(QuantizeFloat<int16_t>(DType::kInt16, 0.5f, 0),
            (std::vector<int16_t>{1, 2, -1, -2, 3, 128, -129, 200, -200, 0, -7, 32767, -32768}));
}

template <typename In, typename Out>
std::vector<Out> Requantize(DType in_type, DType out_type, const std::vector<In>& x,
                            float in_scale, int64_t in_zp, float out_scale, int64_t out_zp) {
  OpHarness t(ir::OpKind::kQuantize);
  t.Input<In>(in_type, Shape({static_cast<int32_t>(x.size())}), x, false, Quant(in_scale, in_zp));
  t.Output(out_type, {}, Quant(out_scale, out_zp));
  EXPECT_TRUE(t.Run().ok());
  return t.Out<Out>();
}

const std::vector<int8_t> kInt8In = {-128, -100, -5, 0, 3, 4, 10, 17, 50, 127};

TEST(QuantizeTest, Int8ToInt8UsesXnnpackQ8) {
  EXPECT_EQ((Requantize<int8_t, int8_t>(DType::kInt8, DType::kInt8, kInt8In, 0.1f, 3, 0.07f, -5)),
            (std::vector<int8_t>{-128, -128, -16, -9, -5, -4, 5, 15, 62, 127}));
}

TEST(QuantizeTest, Int8ToUint8UsesTfliteFixedPoint) {
  EXPECT_EQ((Requantize<int8_t, uint8_t>(DType::kInt8, DType::kUInt8, kInt8In, 0.1f, 3, 0.07f, 128)),
            (std::vector<uint8_t>{0, 0, 117, 124, 128, 129, 138, 148, 195, 255}));
}

TEST(QuantizeTest, Int8TinyRatioUsesTfliteFixedPoint) {
  EXPECT_EQ((Requantize<int8_t, int8_t>(DType::kInt8, DType::kInt8, kInt8In, 0.01f, 3, 3.0f, -5)),
            std::vector<int8_t>(kInt8In.size(), -5));
}

TEST(QuantizeTest, Int16Requantization) {
  const std::vector<int16_t> x = {-32768, -1000, -7, 0, 7, 1000, 32767};
  EXPECT_EQ((Requantize<int16_t, int16_t>(DType::kInt16, DType::kInt16, x, 0.001f, 0, 0.0007f, 0)),
            (std::vector<int16_t>{-32768, -1429, -10, 0, 10, 1429, 32767}));
  EXPECT_EQ((Requantize<int16_t, int8_t>(DType::kInt16, DType::kInt8, x, 0.001f, 0, 0.05f, 3)),
            (std::vector<int8_t>{-128, -17, 3, 3, 3, 23, 127}));
}

TEST(QuantizeTest, PerAxisFloatToInt8) {
  QuantParams q;
  q.scale = {0.5f, 0.25f};
  q.zero_point = {0, 1};
  q.quantized_dimension = 0;
  OpHarness t(ir::OpKind::kQuantize);
  t.Input<float>(DType::kFloat32, Shape({2, 2}), {0.25f, -1.0f, 0.125f, 100.0f});
  t.Output(DType::kInt8, {}, q);
  ASSERT_TRUE(t.Run().ok());
  // TFLite's per-channel path: ties away from zero.
  EXPECT_EQ(t.Out<int8_t>(), (std::vector<int8_t>{1, -2, 2, 127}));
}

TEST(QuantizeTest, RejectsBadOutput) {
  OpHarness t(ir::OpKind::kQuantize);
  t.Input<float>(DType::kFloat32, Shape({1}), {1.0f});
  t.Output(DType::kInt8, {}, Quant(0.5f, 300));
  EXPECT_FALSE(t.Prepare().ok());
  OpHarness f(ir::OpKind::kQuantize);
  f.Input<float>(DType::kFloat32, Shape({1}), {1.0f});
  f.Output(DType::kFloat32);
  EXPECT_FALSE(f.Prepare().ok());
}

}  // namespace
}  // namespace detlite
