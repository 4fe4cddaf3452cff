// MAX_POOL_2D and AVERAGE_POOL_2D: padding geometry, clipped windows,
// quantized rounding, fused activations.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "elementwise_test_util.h"
#include "kernels/reference/pooling.h"

namespace detlite {
namespace {

namespace ref = kernels::reference;
using namespace elementwise_testing;  // NOLINT(build/namespaces)
using ir::OpKind;

TEST(PoolGeometryTest, SameAndValid) {
  int32_t out = 0, pad = 0;
  ref::PoolOutputSize(true, 96, 2, 2, &out, &pad);  // face_detection's pools
  EXPECT_EQ(out, 48);
  EXPECT_EQ(pad, 0);
  ref::PoolOutputSize(true, 5, 3, 2, &out, &pad);
  EXPECT_EQ(out, 3);
  EXPECT_EQ(pad, 1);
  ref::PoolOutputSize(true, 4, 3, 2, &out, &pad);  // total padding 1 goes after
  EXPECT_EQ(out, 2);
  EXPECT_EQ(pad, 0);
  ref::PoolOutputSize(false, 5, 3, 2, &out, &pad);
  EXPECT_EQ(out, 2);
  EXPECT_EQ(pad, 0);
}

ir::Pool2DOptions Pool(ir::Padding pad, int stride, int filter,
                       ir::Activation act = ir::Activation::kNone) {
  ir::Pool2DOptions o;
  o.padding = pad;
  o.stride_h = o.stride_w = stride;
  o.filter_h = o.filter_w = filter;
  o.activation = act;
  return o;
}

// 1x4x4x1 input 1..16.
std::vector<float> Ramp16() {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  return v;
}

TEST(PoolGlueTest, MaxPoolSameStride2) {
  const OpResult r = RunOp(OpKind::kMaxPool2D, {In(DType::kFloat32, Shape{1, 4, 4, 1}, Ramp16())},
                           DType::kFloat32, {}, Pool(ir::Padding::kSame, 2, 2));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.shape, (Shape{1, 2, 2, 1}));
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()),
            (std::vector<float>{6, 8, 14, 16}));
}

TEST(PoolGlueTest, AveragePoolDividesByCoveredPixelsOnly) {
  // 3x3 windows, stride 2, SAME on 4x4: padding 0 before, 1 after, so the
  // right and bottom windows cover 3x2, 2x3 and 2x2 pixels.
  const OpResult r = RunOp(OpKind::kAveragePool2D,
                           {In(DType::kFloat32, Shape{1, 4, 4, 1}, Ramp16())},
                           DType::kFloat32, {}, Pool(ir::Padding::kSame, 2, 3));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.shape, (Shape{1, 2, 2, 1}));
  // Windows: rows 0-2 x cols 0-2 -> mean 6; rows 0-2 x cols 2-3 -> mean 7.5;
  // rows 2-3 x cols 0-2 -> mean 12; rows 2-3 x cols 2-3 -> mean 13.5.
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()),
            (std::vector<float>{6, 7.5f, 12, 13.5f}));
}

TEST(PoolGlueTest, ValidPaddingOddSizeAndRelu6) {
  std::vector<float> x(5 * 5 * 2);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) - 20.0f;
  const OpResult r = RunOp(OpKind::kMaxPool2D, {In(DType::kFloat32, Shape{1, 5, 5, 2}, x)},
                           DType::kFloat32, {},
                           Pool(ir::Padding::kValid, 2, 3, ir::Activation::kRelu6));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.shape, (Shape{1, 2, 2, 2}));
  // Window max is its bottom-right pixel: (2,2) (2,4) (4,2) (4,4).
  const auto got = FromBytes<float>(r.bytes.data(), r.bytes.size());
  EXPECT_EQ(got, (std::vector<float>{4, 5, 6, 6, 6, 6, 6, 6}));
}

TEST(PoolGlueTest, QuantizedAverageRoundsHalfAwayFromZero) {
  // 2x2 windows: sums 1+2+... chosen to land on .5 ties.
  const std::vector<int8_t> x = {-1, -2, 0, 0,   // row 0
                                 0, 0, 1, 2,     // row 1
                                 5, 5, 7, 7,     // row 2
                                 5, 4, 7, 8};    // row 3
  const auto q = ir::PerTensorQuant(0.1f, 0);
  const OpResult r = RunOp(OpKind::kAveragePool2D, {In(DType::kInt8, Shape{1, 4, 4, 1}, x, q)},
                           DType::kInt8, q, Pool(ir::Padding::kValid, 2, 2));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  // Sums -3, 3, 19, 29 over 4 -> -0.75, 0.75, 4.75, 7.25.
  EXPECT_EQ(FromBytes<int8_t>(r.bytes.data(), r.bytes.size()),
            (std::vector<int8_t>{-1, 1, 5, 7}));
  EXPECT_EQ(ref::RoundedDivide(-6, 4), -2);  // -1.5 -> -2
  EXPECT_EQ(ref::RoundedDivide(6, 4), 2);    // 1.5 -> 2
  EXPECT_EQ(ref::RoundedDivide(5, 4), 1);
}

TEST(PoolGlueTest, Uint8MaxPoolWithReluUsesOutputZeroPoint) {
  const std::vector<uint8_t> x = {10, 20, 30, 40};
  const auto q = ir::PerTensorQuant(0.5f, 50);
  const OpResult r = RunOp(OpKind::kMaxPool2D, {In(DType::kUInt8, Shape{1, 2, 2, 1}, x, q)},
                           DType::kUInt8, q,
                           Pool(ir::Padding::kValid, 1, 1, ir::Activation::kRelu));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(FromBytes<uint8_t>(r.bytes.data(), r.bytes.size()),
            (std::vector<uint8_t>{50, 50, 50, 50}));
}

TEST(PoolGlueTest, RejectsBadInputs) {
  EXPECT_FALSE(RunOp(OpKind::kMaxPool2D, {In(DType::kFloat32, Shape{4, 4}, std::vector<float>(16))},
                     DType::kFloat32, {}, Pool(ir::Padding::kSame, 2, 2))
                   .status.ok());
  EXPECT_FALSE(RunOp(OpKind::kMaxPool2D,
                     {In(DType::kFloat32, Shape{1, 2, 2, 1}, std::vector<float>(4))},
                     DType::kFloat32, {}, Pool(ir::Padding::kValid, 1, 3))
                   .status.ok());
}

}  // namespace
}  // namespace detlite
