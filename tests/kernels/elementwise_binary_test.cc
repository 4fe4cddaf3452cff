// ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE: reference kernels
// and their glue.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "elementwise_test_util.h"
#include "kernels/reference/binary_arithmetic.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/quantized_add.h"
#include "kernels/reference/quantized_mul.h"

namespace detlite {
namespace {

namespace ref = kernels::reference;
using namespace elementwise_testing;  // NOLINT(build/namespaces)
using ir::OpKind;

TEST(BroadcastTest, ShapesAlignAtTrailingDimensions) {
  Shape out;
  ASSERT_TRUE(ref::BroadcastShapes(Shape{2, 1, 3}, Shape{4, 1}, &out));
  EXPECT_EQ(out, (Shape{2, 4, 3}));
  ASSERT_TRUE(ref::BroadcastShapes(Shape{}, Shape{5}, &out));
  EXPECT_EQ(out, (Shape{5}));
  ASSERT_TRUE(ref::BroadcastShapes(Shape{1, 1, 256}, Shape{1, 12, 12, 256}, &out));
  EXPECT_EQ(out, (Shape{1, 12, 12, 256}));
  EXPECT_FALSE(ref::BroadcastShapes(Shape{2, 3}, Shape{4}, &out));
  EXPECT_FALSE(ref::BroadcastShapes(Shape{2, 3}, Shape{3, 3}, &out));
}

TEST(BroadcastTest, GeneralBroadcastVisitsEveryPair) {
  // a[i][0][k] + b[j][0]: out[i][j][k] = 100 i + 10 j + k.
  const std::vector<int32_t> a = {0, 1, 2, 100, 101, 102};  // [2,1,3]
  const std::vector<int32_t> b = {0, 10, 20, 30};           // [4,1]
  std::vector<int32_t> out(24);
  ref::BroadcastBinary(Shape{2, 1, 3}, a.data(), Shape{4, 1}, b.data(),
                       Shape{2, 4, 3}, out.data(),
                       [](int32_t x, int32_t y) { return x + y; });
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 4; ++j) {
      for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(out[static_cast<size_t>((i * 4 + j) * 3 + k)], 100 * i + 10 * j + k);
      }
    }
  }
}

TEST(BinaryArithmeticTest, FloatOpsWithActivation) {
  const std::vector<float> a = {-2.0f, 0.2f, 0.7f, 0.8f};
  const std::vector<float> b = {0.1f, 0.2f, 0.3f, 0.5f};
  std::vector<float> out(4);
  ref::BinaryParams<float> p;
  p.op = ref::BinaryOp::kAdd;
  p.activation_min = -1.0f;
  p.activation_max = 1.0f;
  ref::BinaryArithmetic(p, Shape{4}, a.data(), Shape{4}, b.data(), Shape{4}, out.data());
  EXPECT_FLOAT_EQ(out[0], -1.0f);
  EXPECT_FLOAT_EQ(out[1], 0.4f);
  EXPECT_FLOAT_EQ(out[2], 1.0f);
  EXPECT_FLOAT_EQ(out[3], 1.0f);

  p = {};
  p.op = ref::BinaryOp::kSquaredDifference;
  ref::BinaryArithmetic(p, Shape{4}, a.data(), Shape{}, b.data(), Shape{4}, out.data());
  EXPECT_FLOAT_EQ(out[0], 2.1f * 2.1f);
  EXPECT_FLOAT_EQ(out[3], 0.7f * 0.7f);
}

TEST(BinaryArithmeticTest, Int32WrapsAndDivisionTruncates) {
  EXPECT_EQ(ref::ApplyBinaryOp<int32_t>(ref::BinaryOp::kAdd,
                                        std::numeric_limits<int32_t>::max(), 1),
            std::numeric_limits<int32_t>::min());
  EXPECT_EQ(ref::ApplyBinaryOp<int32_t>(ref::BinaryOp::kDiv, -7, 2), -3);
  EXPECT_EQ(ref::ApplyBinaryOp<int32_t>(ref::BinaryOp::kDiv, 7, -2), -3);
  EXPECT_EQ(ref::ApplyBinaryOp<int32_t>(ref::BinaryOp::kDiv,
                                        std::numeric_limits<int32_t>::min(), -1),
            std::numeric_limits<int32_t>::min());
  EXPECT_EQ(ref::ApplyBinaryOp<int32_t>(ref::BinaryOp::kSquaredDifference, -3, 4), 49);
}

TEST(QuantizedAddTest, HandComputedUint8) {
  // 1.0 + 2.0 with inputs at scale 0.5 (zero point 128), output scale 1.
  ref::QuantizedAddParams p;
  ref::PrepareQuantizedAdd(0.5, 0.5, 1.0, 20, 1, &p);
  p.input1_offset = -128;
  p.input2_offset = -128;
  p.output_offset = 128;
  p.activation_min = 0;
  p.activation_max = 255;
  const std::vector<uint8_t> a = {130, 0, 255};
  const std::vector<uint8_t> b = {132, 0, 255};
  std::vector<uint8_t> out(3);
  ref::QuantizedAdd(p, Shape{3}, a.data(), Shape{3}, b.data(), Shape{3}, out.data());
  EXPECT_EQ(out[0], 131);  // 3.0
  EXPECT_EQ(out[1], 0);    // -128 saturates
  EXPECT_EQ(out[2], 255);  // 127 saturates
}

// Quantized ADD/SUB/MUL on random data agree with float math within one
// output step.
template <typename T>
void CheckQuantizedAgainstFloat(OpKind kind, float s1, int32_t z1, float s2,
                                int32_t z2, float so, int32_t zo, Shape sa, Shape sb,
                                ir::Activation act = ir::Activation::kNone) {
  const DType dt = std::is_same_v<T, uint8_t> ? DType::kUInt8
                   : std::is_same_v<T, int8_t> ? DType::kInt8 : DType::kInt16;
  const auto qa = RandomInts<T>(static_cast<size_t>(sa.NumElements()), 11);
  const auto qb = RandomInts<T>(static_cast<size_t>(sb.NumElements()), 12);
  const OpResult r = RunOp(kind, {In(dt, sa, qa, ir::PerTensorQuant(s1, z1)),
                                  In(dt, sb, qb, ir::PerTensorQuant(s2, z2))},
                           dt, ir::PerTensorQuant(so, zo), ir::ArithmeticOptions{act});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  const auto fa = DequantizeAll(qa, s1, z1);
  const auto fb = DequantizeAll(qb, s2, z2);
  std::vector<float> expect(static_cast<size_t>(r.shape.NumElements()));
  ref::BinaryParams<float> p;
  p.op = kind == OpKind::kSub ? ref::BinaryOp::kSub
         : kind == OpKind::kMul ? ref::BinaryOp::kMul : ref::BinaryOp::kAdd;
  if (act == ir::Activation::kRelu) p.activation_min = 0.0f;
  ref::BinaryArithmetic(p, sa, fa.data(), sb, fb.data(), r.shape, expect.data());
  const auto got = FromBytes<T>(r.bytes.data(), r.bytes.size());
  ASSERT_EQ(got.size(), expect.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const T want = Quantize<T>(expect[i], so, zo);
    EXPECT_LE(std::abs(static_cast<int>(got[i]) - static_cast<int>(want)), 1)
        << "element " << i << " float " << expect[i];
  }
}

TEST(QuantizedBinaryGlueTest, AddSubMulAgreeWithFloat) {
  CheckQuantizedAgainstFloat<uint8_t>(OpKind::kAdd, 0.05f, 128, 0.02f, 100, 0.07f,
                                      120, Shape{2, 3, 4}, Shape{2, 3, 4});
  CheckQuantizedAgainstFloat<int8_t>(OpKind::kAdd, 0.05f, -3, 0.1f, 7, 0.12f, -10,
                                     Shape{2, 3, 4}, Shape{4});
  CheckQuantizedAgainstFloat<int8_t>(OpKind::kSub, 0.05f, -128, 0.03f, 127, 0.1f, 0,
                                     Shape{3, 1, 5}, Shape{1, 4, 1});
  CheckQuantizedAgainstFloat<uint8_t>(OpKind::kSub, 0.05f, 0, 0.05f, 255, 0.1f, 128,
                                      Shape{6}, Shape{6}, ir::Activation::kRelu);
  CheckQuantizedAgainstFloat<uint8_t>(OpKind::kMul, 0.05f, 128, 0.02f, 100, 0.2f, 130,
                                      Shape{2, 3, 4}, Shape{3, 1});
  CheckQuantizedAgainstFloat<int8_t>(OpKind::kMul, 0.1f, -5, 0.1f, 3, 0.5f, -128,
                                     Shape{40}, Shape{40}, ir::Activation::kRelu);
  CheckQuantizedAgainstFloat<int16_t>(OpKind::kAdd, 0.001f, 0, 0.002f, 0, 0.003f, 0,
                                      Shape{2, 8}, Shape{8});
  CheckQuantizedAgainstFloat<int16_t>(OpKind::kMul, 0.001f, 0, 0.002f, 0, 0.1f, 0,
                                      Shape{16}, Shape{16});
}

TEST(QuantizedBinaryGlueTest, Int16PowerOfTwoAddSaturates) {
  // Scales 2^-10 (input 0 and output) and 2^-12 (input 1): input 1 is shifted
  // right by 2 with rounding.
  const auto q = [](float s) { return ir::PerTensorQuant(s, 0); };
  const std::vector<int16_t> a = {100, 32000, -32000, 0};
  const std::vector<int16_t> b = {6, 4000, -4000, -2};
  const OpResult r = RunOp(OpKind::kAdd,
                           {In(DType::kInt16, Shape{4}, a, q(1.0f / 1024)),
                            In(DType::kInt16, Shape{4}, b, q(1.0f / 4096))},
                           DType::kInt16, q(1.0f / 1024), ir::ArithmeticOptions{});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  const auto got = FromBytes<int16_t>(r.bytes.data(), r.bytes.size());
  EXPECT_EQ(got, (std::vector<int16_t>{102, 32767, -32768, -1}));
}

TEST(BinaryGlueTest, FloatAddBroadcastsAndAppliesRelu6) {
  const OpResult r = RunOp(
      OpKind::kAdd,
      {In(DType::kFloat32, Shape{2, 1, 2}, std::vector<float>{-9, 1, 2, 3}),
       Const(DType::kFloat32, Shape{3, 1}, std::vector<float>{0, 1, 5})},
      DType::kFloat32, {}, ir::ArithmeticOptions{ir::Activation::kRelu6});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.shape, (Shape{2, 3, 2}));
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()),
            (std::vector<float>{0, 1, 0, 2, 0, 6, 2, 3, 3, 4, 6, 6}));
}

TEST(BinaryGlueTest, ScalarTimesTensorAsInHalfPlusTwo) {
  const OpResult r = RunOp(
      OpKind::kMul,
      {Const(DType::kFloat32, Shape{}, std::vector<float>{0.5f}),
       In(DType::kFloat32, Shape{1, 1}, std::vector<float>{3.0f})},
      DType::kFloat32, {}, ir::ArithmeticOptions{});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.shape, (Shape{1, 1}));
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()), std::vector<float>{1.5f});
}

TEST(BinaryGlueTest, InfinityPassesUnclampedWithoutActivation) {
  const float inf = std::numeric_limits<float>::infinity();
  const OpResult r = RunOp(
      OpKind::kAdd,
      {In(DType::kFloat32, Shape{2}, std::vector<float>{inf, -inf}),
       In(DType::kFloat32, Shape{2}, std::vector<float>{1, 1})},
      DType::kFloat32, {}, ir::ArithmeticOptions{});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()),
            (std::vector<float>{inf, -inf}));
}

TEST(BinaryGlueTest, MaximumMinimumCompareRawQuantizedValues) {
  const auto qa = ir::PerTensorQuant(0.1f, -5);
  const std::vector<int8_t> a = {-128, 0, 5, 127};
  const std::vector<int8_t> b = {-100, 1, 5, -1};
  OpResult r = RunOp(OpKind::kMaximum,
                     {In(DType::kInt8, Shape{4}, a, qa), In(DType::kInt8, Shape{4}, b, qa)},
                     DType::kInt8, qa);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(FromBytes<int8_t>(r.bytes.data(), r.bytes.size()),
            (std::vector<int8_t>{-100, 1, 5, 127}));
  r = RunOp(OpKind::kMinimum,
            {In(DType::kInt32, Shape{2, 2}, std::vector<int32_t>{1, -2, 3, -4}),
             Const(DType::kInt32, Shape{2}, std::vector<int32_t>{0, 0})},
            DType::kInt32);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(FromBytes<int32_t>(r.bytes.data(), r.bytes.size()),
            (std::vector<int32_t>{0, -2, 0, -4}));
}

TEST(BinaryGlueTest, Int32DivisionByZeroIsAnError) {
  const OpResult r = RunOp(
      OpKind::kDiv,
      {In(DType::kInt32, Shape{2}, std::vector<int32_t>{7, -7}),
       In(DType::kInt32, Shape{2}, std::vector<int32_t>{2, 0})},
      DType::kInt32, {}, ir::ArithmeticOptions{});
  EXPECT_FALSE(r.status.ok());
  const OpResult ok = RunOp(
      OpKind::kDiv,
      {In(DType::kInt32, Shape{2}, std::vector<int32_t>{7, -7}),
       Const(DType::kInt32, Shape{1}, std::vector<int32_t>{2})},
      DType::kInt32, {}, ir::ArithmeticOptions{ir::Activation::kRelu});
  ASSERT_TRUE(ok.status.ok()) << ok.status.ToString();
  EXPECT_EQ(FromBytes<int32_t>(ok.bytes.data(), ok.bytes.size()),
            (std::vector<int32_t>{3, 0}));
}

TEST(BinaryGlueTest, RejectsMismatchedTypesShapesAndQuantization) {
  EXPECT_FALSE(RunOp(OpKind::kAdd,
                     {In(DType::kFloat32, Shape{2, 3}, std::vector<float>(6)),
                      In(DType::kFloat32, Shape{4}, std::vector<float>(4))},
                     DType::kFloat32)
                   .status.ok());
  EXPECT_FALSE(RunOp(OpKind::kAdd,
                     {In(DType::kFloat32, Shape{2}, std::vector<float>(2)),
                      In(DType::kInt32, Shape{2}, std::vector<int32_t>(2))},
                     DType::kFloat32)
                   .status.ok());
  // uint8 without quantization parameters.
  EXPECT_FALSE(RunOp(OpKind::kAdd,
                     {In(DType::kUInt8, Shape{2}, std::vector<uint8_t>(2)),
                      In(DType::kUInt8, Shape{2}, std::vector<uint8_t>(2))},
                     DType::kUInt8)
                   .status.ok());
  // A fused TANH is not something the arithmetic kernels implement.
  EXPECT_EQ(RunOp(OpKind::kAdd,
                  {In(DType::kFloat32, Shape{2}, std::vector<float>(2)),
                   In(DType::kFloat32, Shape{2}, std::vector<float>(2))},
                  DType::kFloat32, {}, ir::ArithmeticOptions{ir::Activation::kTanh})
                .status.code(),
            StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace detlite
