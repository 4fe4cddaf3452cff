// RELU family, LEAKY_RELU, PRELU, HARD_SWISH, LOGISTIC, TANH, ELU.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "elementwise_test_util.h"
#include "kernels/reference/activations.h"
#include "kernels/reference/hard_swish.h"
#include "kernels/reference/lookup_table.h"
#include "kernels/reference/prelu.h"
#include "kernels/reference/unary_math.h"
#include "kernels/reference/xnnpack_quantized.h"

namespace detlite {
namespace {

namespace ref = kernels::reference;
using namespace elementwise_testing;  // NOLINT(build/namespaces)
using ir::OpKind;

TEST(ClampGlueTest, FloatReluFamily) {
  const std::vector<float> x = {-3.0f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 5.0f, 7.0f};
  const struct {
    OpKind kind;
    std::vector<float> want;
  } cases[] = {
      {OpKind::kRelu, {0, 0, 0, 0, 0.5f, 1, 5, 7}},
      {OpKind::kRelu6, {0, 0, 0, 0, 0.5f, 1, 5, 6}},
      {OpKind::kReluN1To1, {-1, -1, -0.5f, 0, 0.5f, 1, 1, 1}},
      {OpKind::kRelu0To1, {0, 0, 0, 0, 0.5f, 1, 1, 1}},
  };
  for (const auto& c : cases) {
    const OpResult r = RunOp(c.kind, {In(DType::kFloat32, Shape{2, 4}, x)}, DType::kFloat32);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.shape, (Shape{2, 4}));
    EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()), c.want);
  }
}

TEST(ClampGlueTest, QuantizedReluRequantizes) {
  // Input scale 0.5 zp 10, output scale 0.25 zp 0: value v maps to 2 v.
  const std::vector<uint8_t> x = {0, 9, 10, 11, 13, 200};
  const OpResult r = RunOp(OpKind::kRelu6,
                           {In(DType::kUInt8, Shape{6}, x, ir::PerTensorQuant(0.5f, 10))},
                           DType::kUInt8, ir::PerTensorQuant(0.25f, 0));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  // Reals: -5, -0.5, 0, 0.5, 1.5, 95 -> clamp [0, 6] -> steps of 0.25.
  EXPECT_EQ(FromBytes<uint8_t>(r.bytes.data(), r.bytes.size()),
            (std::vector<uint8_t>{0, 0, 0, 2, 6, 24}));
}

TEST(ClampGlueTest, Int8ReluN1To1WithNegativeZeroPoint) {
  const std::vector<int8_t> x = {-128, -30, -20, -10, 0, 127};
  const OpResult r = RunOp(OpKind::kReluN1To1,
                           {In(DType::kInt8, Shape{6}, x, ir::PerTensorQuant(0.1f, -20))},
                           DType::kInt8, ir::PerTensorQuant(0.1f, -20));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  // Reals -10.8 -1 0 1 2 14.7 clamp to [-1, 1] = [-30, -10].
  EXPECT_EQ(FromBytes<int8_t>(r.bytes.data(), r.bytes.size()),
            (std::vector<int8_t>{-30, -30, -20, -10, -10, -10}));
}

TEST(LeakyReluTest, FloatAndQuantized) {
  const std::vector<float> x = {-4.0f, -1.0f, 0.0f, 2.0f};
  OpResult r = RunOp(OpKind::kLeakyRelu, {In(DType::kFloat32, Shape{4}, x)},
                     DType::kFloat32, {}, ir::LeakyReluOptions{0.25f});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()),
            (std::vector<float>{-1.0f, -0.25f, 0.0f, 2.0f}));

  const auto q = QuantizeAll<int8_t>(RandomFloats(200, -5, 5, 3), 0.05f, 3);
  r = RunOp(OpKind::kLeakyRelu, {In(DType::kInt8, Shape{200}, q, ir::PerTensorQuant(0.05f, 3))},
            DType::kInt8, ir::PerTensorQuant(0.04f, -10), ir::LeakyReluOptions{0.2f});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  const auto got = FromBytes<int8_t>(r.bytes.data(), r.bytes.size());
  const auto real = DequantizeAll(q, 0.05f, 3);
  for (size_t i = 0; i < q.size(); ++i) {
    const float want = real[i] > 0 ? real[i] : 0.2f * real[i];
    EXPECT_LE(std::abs(got[i] - Quantize<int8_t>(want, 0.04f, -10)), 1) << i;
  }
}

TEST(PreluTest, PerChannelAlphaBroadcasts) {
  // Input [1,2,2,3], alpha [1,1,3] as in palm_detection_lite.
  const std::vector<float> x = {-1, -2, -3, 1, 2, 3, -4, 0, 4, 5, -6, -7};
  const std::vector<float> alpha = {0.5f, 0.25f, 0.0f};
  const OpResult r = RunOp(OpKind::kPrelu,
                           {In(DType::kFloat32, Shape{1, 2, 2, 3}, x),
                            Const(DType::kFloat32, Shape{1, 1, 3}, alpha)},
                           DType::kFloat32);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.shape, (Shape{1, 2, 2, 3}));
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()),
            (std::vector<float>{-0.5f, -0.5f, 0, 1, 2, 3, -2, 0, 4, 5, -1.5f, 0}));
}

TEST(PreluTest, QuantizedAgreesWithFloat) {
  const auto xf = RandomFloats(2 * 5 * 4, -3, 3, 5);
  const auto af = RandomFloats(4, -0.5f, 0.9f, 6);
  const auto xq = QuantizeAll<uint8_t>(xf, 0.025f, 120);
  const auto aq = QuantizeAll<uint8_t>(af, 0.01f, 60);
  const OpResult r = RunOp(OpKind::kPrelu,
                           {In(DType::kUInt8, Shape{2, 5, 4}, xq, ir::PerTensorQuant(0.025f, 120)),
                            Const(DType::kUInt8, Shape{4}, aq, ir::PerTensorQuant(0.01f, 60))},
                           DType::kUInt8, ir::PerTensorQuant(0.03f, 100));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  const auto got = FromBytes<uint8_t>(r.bytes.data(), r.bytes.size());
  const auto x = DequantizeAll(xq, 0.025f, 120);
  const auto a = DequantizeAll(aq, 0.01f, 60);
  for (size_t i = 0; i < x.size(); ++i) {
    const float want = x[i] >= 0 ? x[i] : x[i] * a[i % 4];
    EXPECT_LE(std::abs(got[i] - Quantize<uint8_t>(want, 0.03f, 100)), 1) << i;
  }
}

TEST(PreluTest, RejectsAlphaThatWouldGrowTheOutput) {
  EXPECT_FALSE(RunOp(OpKind::kPrelu,
                     {In(DType::kFloat32, Shape{1, 3}, std::vector<float>(3)),
                      Const(DType::kFloat32, Shape{2, 3}, std::vector<float>(6))},
                     DType::kFloat32)
                   .status.ok());
}

TEST(HardSwishTest, FloatValues) {
  const std::vector<float> x = {-4.0f, -3.0f, -1.0f, 0.0f, 1.0f, 3.0f, 4.0f};
  std::vector<float> out(x.size());
  ref::HardSwishFloat(static_cast<int64_t>(x.size()), x.data(), out.data());
  const std::vector<float> want = {0.0f, 0.0f, -1.0f / 3, 0.0f, 2.0f / 3, 3.0f, 4.0f};
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(out[i], want[i], 1e-6f) << i;
}

TEST(HardSwishTest, QuantizedWithinOneStepOfFloat) {
  for (const DType dt : {DType::kUInt8, DType::kInt8}) {
    const float s_in = 0.04f, s_out = 0.03f;
    const int32_t z_in = dt == DType::kUInt8 ? 128 : 0;
    const int32_t z_out = dt == DType::kUInt8 ? 40 : -88;
    const auto xf = RandomFloats(300, -5, 5, 9);
    std::vector<float> real(xf.size());
    OpResult r;
    if (dt == DType::kUInt8) {
      const auto q = QuantizeAll<uint8_t>(xf, s_in, z_in);
      real = DequantizeAll(q, s_in, z_in);
      r = RunOp(OpKind::kHardSwish, {In(dt, Shape{300}, q, ir::PerTensorQuant(s_in, z_in))},
                dt, ir::PerTensorQuant(s_out, z_out));
    } else {
      const auto q = QuantizeAll<int8_t>(xf, s_in, z_in);
      real = DequantizeAll(q, s_in, z_in);
      r = RunOp(OpKind::kHardSwish, {In(dt, Shape{300}, q, ir::PerTensorQuant(s_in, z_in))},
                dt, ir::PerTensorQuant(s_out, z_out));
    }
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    std::vector<float> want(real.size());
    ref::HardSwishFloat(300, real.data(), want.data());
    for (size_t i = 0; i < real.size(); ++i) {
      const int got = dt == DType::kUInt8 ? static_cast<int>(r.bytes[i])
                                          : static_cast<int>(static_cast<int8_t>(r.bytes[i]));
      const int expect = dt == DType::kUInt8 ? Quantize<uint8_t>(want[i], s_out, z_out)
                                             : Quantize<int8_t>(want[i], s_out, z_out);
      EXPECT_LE(std::abs(got - expect), 1) << i << " x=" << real[i];
    }
  }
}

TEST(LookupTableTest, LogisticTableMatchesTfliteOnCocoSsdParameters) {
  // The uint8 LOGISTIC of coco_ssd_mobilenet_v1_1.0_quant: input scale
  // 0.049737 zero point 223, output 1/256 zero point 0. Entries checked
  // against the real runtime: inputs far below the zero point give 0, the
  // zero point itself 0.5 -> 128, and the top input 0.94 * 256 -> 241.
  const ref::ByteTable t = ref::MakeByteTable<uint8_t>(
      0.049737f, 223, 1.0f / 256, 0, &ref::LogisticForTable);
  EXPECT_EQ(t[0], 0);
  EXPECT_EQ(t[223], 128);
  const float top = 1.0f / (1.0f + std::exp(-0.049737f * 32));
  EXPECT_EQ(t[255], static_cast<uint8_t>(std::round(top * 256)));
  for (int v = 1; v < 256; ++v) EXPECT_GE(t[static_cast<size_t>(v)], t[static_cast<size_t>(v - 1)]);
  // The runtime builds XNNPACK's table for this op; on these parameters the
  // two formulas give the same 256 entries.
  EXPECT_EQ(t, ref::MakeXnnpackSigmoidTable<uint8_t>(0.049737f, 223, 0));
}

TEST(LookupTableTest, Int8TablesWithinOneStepOfFloat) {
  const float s_in = 0.06f;
  const int32_t z_in = 5;
  struct Case {
    OpKind kind;
    float s_out;
    int32_t z_out;
    float (*fn)(float);
  };
  const Case cases[] = {{OpKind::kLogistic, 1.0f / 256, -128, &ref::LogisticForTable},
                        {OpKind::kTanh, 1.0f / 128, 0, &ref::TanhForTable},
                        {OpKind::kElu, 0.05f, 20, &ref::EluForTable}};
  std::vector<int8_t> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<size_t>(i)] = static_cast<int8_t>(i - 128);
  for (const Case& c : cases) {
    const OpResult r = RunOp(c.kind, {In(DType::kInt8, Shape{256}, all, ir::PerTensorQuant(s_in, z_in))},
                             DType::kInt8, ir::PerTensorQuant(c.s_out, c.z_out));
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    for (int i = 0; i < 256; ++i) {
      const float x = s_in * static_cast<float>(all[static_cast<size_t>(i)] - z_in);
      const int want = Quantize<int8_t>(c.fn(x), c.s_out, c.z_out);
      EXPECT_LE(std::abs(static_cast<int8_t>(r.bytes[static_cast<size_t>(i)]) - want), 1);
    }
  }
}

TEST(LookupTableTest, LogisticRequiresOutputScaleOneOver256) {
  EXPECT_FALSE(RunOp(OpKind::kLogistic,
                     {In(DType::kUInt8, Shape{2}, std::vector<uint8_t>(2),
                         ir::PerTensorQuant(0.1f, 0))},
                     DType::kUInt8, ir::PerTensorQuant(1.0f / 255, 0))
                   .status.ok());
}

TEST(FloatActivationsTest, LogisticTanhElu) {
  const std::vector<float> x = {-100.0f, -1.0f, 0.0f, 1.0f, 100.0f};
  for (OpKind kind : {OpKind::kLogistic, OpKind::kTanh, OpKind::kElu}) {
    const OpResult r = RunOp(kind, {In(DType::kFloat32, Shape{5}, x)}, DType::kFloat32);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    const auto got = FromBytes<float>(r.bytes.data(), r.bytes.size());
    for (size_t i = 0; i < x.size(); ++i) {
      const double v = x[i];
      const double want = kind == OpKind::kLogistic ? 1.0 / (1.0 + std::exp(-v))
                          : kind == OpKind::kTanh  ? std::tanh(v)
                                                   : (v < 0 ? std::expm1(v) : v);
      EXPECT_NEAR(got[i], want, 1e-6 * std::max(1.0, std::abs(want))) << i;
    }
  }
}

}  // namespace
}  // namespace detlite
