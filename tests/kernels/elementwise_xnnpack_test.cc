// The XNNPACK-arithmetic kernels, on hand-computed values chosen where
// XNNPACK and TFLite round differently (the real runtime follows XNNPACK for
// these ops; tests/runtime/elementwise_oracle_ops_test.cc checks that).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "kernels/reference/xnnpack_quantized.h"

namespace detlite {
namespace {

namespace ref = kernels::reference;
using kernels::FusedActivation;

TEST(XnnpackQuantizedTest, BoundsRoundHalfToEvenAfterAddingZeroPoint) {
  EXPECT_EQ(ref::XnnpackQuantizeBound(6.0f, 4.0f, 1, 0, 255), 2);  // 2.5
  EXPECT_EQ(ref::XnnpackQuantizeBound(6.0f, 4.0f, 2, 0, 255), 4);  // 3.5
  int32_t lo = 0, hi = 0;
  ref::XnnpackActivationRange<int8_t>(FusedActivation::kNone, 0.1f, 3, &lo, &hi);
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
  ref::XnnpackActivationRange<uint8_t>(FusedActivation::kRelu, 0.1f, 30, &lo, &hi);
  EXPECT_EQ(lo, 30);
  EXPECT_EQ(hi, 255);
  ref::XnnpackActivationRange<int8_t>(FusedActivation::kReluN1To1, 0.5f, 0, &lo, &hi);
  EXPECT_EQ(lo, -2);
  EXPECT_EQ(hi, 2);
}

TEST(XnnpackQuantizedTest, AddRoundsHalfUp) {
  // s1 = 0.5, s2 = 0.25, s_out = 1: multipliers 2^20 and 2^19 at shift 21.
  ref::XnnpackAddParams p;
  ASSERT_TRUE(ref::PrepareXnnpackAdd(0.5f, 0, 0.25f, 0, 1.0f, 0, false, &p));
  EXPECT_EQ(p.shift, 21);
  EXPECT_EQ(p.a_multiplier, 1 << 20);
  EXPECT_EQ(p.b_multiplier, 1 << 19);
  p.activation_min = -128;
  p.activation_max = 127;
  const std::vector<int8_t> a = {3, 1, -1, -3};
  const std::vector<int8_t> b = {2, 0, 0, 0};
  std::vector<int8_t> out(4);
  ref::XnnpackAdd(p, Shape{4}, a.data(), Shape{4}, b.data(), Shape{4}, out.data());
  // 2.0; 0.5 -> 1; -0.5 -> 0 (TFLite: -1); -1.5 -> -1 (TFLite: -2).
  EXPECT_EQ(out, (std::vector<int8_t>{2, 1, 0, -1}));
}

TEST(XnnpackQuantizedTest, SubNegatesSecondMultiplierAndFoldsZeroPoints) {
  ref::XnnpackAddParams p;
  ASSERT_TRUE(ref::PrepareXnnpackAdd(1.0f, 10, 1.0f, 20, 1.0f, 5, true, &p));
  p.activation_min = 0;
  p.activation_max = 255;
  const std::vector<uint8_t> a = {10, 50, 15};
  const std::vector<uint8_t> b = {20, 20, 30};
  std::vector<uint8_t> out(3);
  ref::XnnpackAdd(p, Shape{3}, a.data(), Shape{3}, b.data(), Shape{3}, out.data());
  EXPECT_EQ(out, (std::vector<uint8_t>{5, 45, 0}));  // 0, 40, -5 (+5, clamped)
}

TEST(XnnpackQuantizedTest, AddDeclinesScalesOutsideItsRange) {
  ref::XnnpackAddParams p;
  EXPECT_FALSE(ref::PrepareXnnpackAdd(300.0f, 0, 1.0f, 0, 1.0f, 0, false, &p));
  EXPECT_FALSE(ref::PrepareXnnpackAdd(0.0001f, 0, 1.0f, 0, 1.0f, 0, false, &p));
}

TEST(XnnpackQuantizedTest, MulRoundsHalfToEven) {
  ref::XnnpackMulParams p;
  ASSERT_TRUE(ref::PrepareXnnpackMul(0.5f, 0, 0.5f, 0, 0.5f, 0, &p));
  p.activation_min = -128;
  p.activation_max = 127;
  const std::vector<int8_t> a = {1, 3, -1, -3, 5};
  const std::vector<int8_t> b = {1, 1, 1, 1, 1};
  std::vector<int8_t> out(5);
  ref::XnnpackMul(p, Shape{5}, a.data(), Shape{5}, b.data(), Shape{5}, out.data());
  // 0.5 -> 0, 1.5 -> 2, -0.5 -> 0, -1.5 -> -2, 2.5 -> 2.
  EXPECT_EQ(out, (std::vector<int8_t>{0, 2, 0, -2, 2}));
  EXPECT_FALSE(ref::PrepareXnnpackMul(1.0f, 0, 1.0f, 0, 0.001f, 0, &p));
}

TEST(XnnpackQuantizedTest, LeakyReluUsesEightFractionalBits) {
  ref::XnnpackLeakyReluParams p;
  ASSERT_TRUE(ref::PrepareXnnpackLeakyRelu(1.0f, 0, 1.0f, 0, 0.5f, &p));
  EXPECT_EQ(p.positive_multiplier, -256);
  EXPECT_EQ(p.negative_multiplier, -128);
  const std::vector<int8_t> in = {3, -3, -1, 0, 127, -128};
  std::vector<int8_t> out(in.size());
  ref::XnnpackLeakyRelu(p, static_cast<int64_t>(in.size()), in.data(), out.data());
  // -1.5 rounds up to -1 (TFLite: -2); -0.5 to 0.
  EXPECT_EQ(out, (std::vector<int8_t>{3, -1, 0, 0, 127, -64}));
  // Below 2^-8 for the negative slope XNNPACK declines.
  EXPECT_FALSE(ref::PrepareXnnpackLeakyRelu(1.0f, 0, 1.0f, 0, 0.001f, &p));
  EXPECT_FALSE(ref::PrepareXnnpackLeakyRelu(1.0f, 0, 0.005f, 0, 0.5f, &p));
}

TEST(XnnpackQuantizedTest, SigmoidTable) {
  const ref::ByteTable u = ref::MakeXnnpackSigmoidTable<uint8_t>(0.1f, 128, 0);
  EXPECT_EQ(u[128], 128);  // sigmoid(0) = 1/2
  EXPECT_EQ(u[0], 0);      // sigmoid(-12.8) * 256 < 0.5
  EXPECT_EQ(u[255], 255);  // saturates
  const ref::ByteTable s = ref::MakeXnnpackSigmoidTable<int8_t>(0.1f, 0, -128);
  EXPECT_EQ(static_cast<int8_t>(s[0]), 0);  // 128 - 128
  EXPECT_EQ(static_cast<int8_t>(s[static_cast<uint8_t>(-128)]), -128);
}

TEST(XnnpackQuantizedTest, EluTableRoundsTiesToEven) {
  const ref::ByteTable t = ref::MakeXnnpackEluTable(0.1f, 0, 0.2f, 0);
  EXPECT_EQ(static_cast<int8_t>(t[1]), 0);  // 0.5
  EXPECT_EQ(static_cast<int8_t>(t[3]), 2);  // 1.5
  EXPECT_EQ(static_cast<int8_t>(t[5]), 2);  // 2.5
  EXPECT_EQ(static_cast<int8_t>(t[static_cast<uint8_t>(-128)]), -5);  // expm1(-12.8) / 0.2
}

}  // namespace
}  // namespace detlite
