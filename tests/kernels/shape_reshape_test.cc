// RESHAPE, SQUEEZE, EXPAND_DIMS and SHAPE glue.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/shape_op_harness.h"

namespace detlite {
namespace {

using testing::OpHarness;

std::vector<float> Iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
  return v;
}

TEST(ReshapeTest, FromConstantShapeTensorWithStretch) {
  OpHarness t(ir::OpKind::kReshape);
  t.Input<float>(DType::kFloat32, Shape({3, 4}), Iota(12));
  t.Const<int32_t>(DType::kInt32, Shape({3}), {2, -1, 3});
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({2, 2, 3}));
  EXPECT_EQ(t.Out<float>(), Iota(12));
}

TEST(ReshapeTest, FromOptionsAndLegacyScalar) {
  ir::ReshapeOptions o;
  o.new_shape = {1, -1, 4};
  OpHarness t(ir::OpKind::kReshape, o);
  t.Input<uint8_t>(DType::kUInt8, Shape({2, 2, 2}), {1, 2, 3, 4, 5, 6, 7, 8});
  t.Output(DType::kUInt8);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({1, 2, 4}));

  ir::ReshapeOptions scalar;
  scalar.new_shape = {0};  // old converters' way of saying "scalar"
  OpHarness s(ir::OpKind::kReshape, scalar);
  s.Input<float>(DType::kFloat32, Shape({1, 1}), {7.0f});
  s.Output(DType::kFloat32);
  ASSERT_TRUE(s.Run().ok());
  EXPECT_EQ(s.OutputShape(), Shape());
  EXPECT_EQ(s.Out<float>(), std::vector<float>{7.0f});
}

TEST(ReshapeTest, Int64ShapeTensorFallsBackToOptions) {
  // TFLite only reads an int32 vector; otherwise the options decide.
  ir::ReshapeOptions o;
  o.new_shape = {4, 3};
  OpHarness t(ir::OpKind::kReshape, o);
  t.Input<float>(DType::kFloat32, Shape({3, 4}), Iota(12));
  t.Const<int64_t>(DType::kInt64, Shape({2}), {2, 6});
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({4, 3}));
}

TEST(ReshapeTest, RuntimeShapeUsesDeclaredShapeAndChecksIt) {
  OpHarness t(ir::OpKind::kReshape);
  t.Input<float>(DType::kFloat32, Shape({3, 4}), Iota(12));
  t.Input<int32_t>(DType::kInt32, Shape({2}), {6, -1});
  t.Output(DType::kFloat32, Shape({6, 2}));
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({6, 2}));

  OpHarness bad(ir::OpKind::kReshape);
  bad.Input<float>(DType::kFloat32, Shape({3, 4}), Iota(12));
  bad.Input<int32_t>(DType::kInt32, Shape({2}), {4, -1});
  bad.Output(DType::kFloat32, Shape({6, 2}));
  ASSERT_TRUE(bad.Prepare().ok());
  EXPECT_FALSE(bad.Eval().ok());  // runtime value disagrees with the plan
}

TEST(ReshapeTest, RejectsBadShapes) {
  auto prepare = [](std::vector<int32_t> shape) {
    OpHarness t(ir::OpKind::kReshape);
    t.Input<float>(DType::kFloat32, Shape({3, 4}), Iota(12));
    t.Const<int32_t>(DType::kInt32, Shape({static_cast<int32_t>(shape.size())}), shape);
    t.Output(DType::kFloat32);
    return t.Prepare().ok();
  };
  EXPECT_FALSE(prepare({5, -1}));
  EXPECT_FALSE(prepare({-1, -1}));
  EXPECT_FALSE(prepare({2, 5}));
  EXPECT_FALSE(prepare({-2, 6}));
  EXPECT_TRUE(prepare({12}));
}

TEST(SqueezeTest, AllUnitDimsOrNamedOnes) {
  OpHarness all(ir::OpKind::kSqueeze);
  all.Input<float>(DType::kFloat32, Shape({1, 3, 1, 2}), Iota(6));
  all.Output(DType::kFloat32);
  ASSERT_TRUE(all.Run().ok());
  EXPECT_EQ(all.OutputShape(), Shape({3, 2}));

  ir::SqueezeOptions o;
  o.squeeze_dims = {-2};
  OpHarness named(ir::OpKind::kSqueeze, o);
  named.Input<float>(DType::kFloat32, Shape({1, 3, 1, 2}), Iota(6));
  named.Output(DType::kFloat32);
  ASSERT_TRUE(named.Run().ok());
  EXPECT_EQ(named.OutputShape(), Shape({1, 3, 2}));
  EXPECT_EQ(named.Out<float>(), Iota(6));

  o.squeeze_dims = {1};
  OpHarness bad(ir::OpKind::kSqueeze, o);
  bad.Input<float>(DType::kFloat32, Shape({1, 3, 1, 2}), Iota(6));
  bad.Output(DType::kFloat32);
  EXPECT_FALSE(bad.Prepare().ok());
}

TEST(ExpandDimsTest, NegativeAxis) {
  for (auto [axis, expected] : std::vector<std::pair<int32_t, Shape>>{
           {0, Shape({1, 3, 2})}, {2, Shape({3, 2, 1})}, {-1, Shape({3, 2, 1})}, {-3, Shape({1, 3, 2})}}) {
    OpHarness t(ir::OpKind::kExpandDims);
    t.Input<float>(DType::kFloat32, Shape({3, 2}), Iota(6));
    t.Const<int64_t>(DType::kInt64, Shape({1}), {axis});
    t.Output(DType::kFloat32);
    ASSERT_TRUE(t.Run().ok()) << axis;
    EXPECT_EQ(t.OutputShape(), expected) << axis;
  }
  OpHarness bad(ir::OpKind::kExpandDims);
  bad.Input<float>(DType::kFloat32, Shape({3, 2}), Iota(6));
  bad.Const<int32_t>(DType::kInt32, Shape(), {3});
  bad.Output(DType::kFloat32);
  EXPECT_FALSE(bad.Prepare().ok());
}

TEST(ShapeTest, Int32AndInt64) {
  OpHarness t(ir::OpKind::kShape);
  t.Input<float>(DType::kFloat32, Shape({2, 1, 3}), Iota(6));
  t.Output(DType::kInt32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({3}));
  EXPECT_EQ(t.Out<int32_t>(), (std::vector<int32_t>{2, 1, 3}));

  OpHarness l(ir::OpKind::kShape);
  l.Input<float>(DType::kFloat32, Shape({4}), Iota(4));
  l.Output(DType::kInt64);
  ASSERT_TRUE(l.Run().ok());
  EXPECT_EQ(l.Out<int64_t>(), std::vector<int64_t>{4});
}

}  // namespace
}  // namespace detlite
