// GATHER, TILE and TRANSPOSE glue.
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

ir::GatherOptions G(int axis, int batch_dims) {
  ir::GatherOptions o;
  o.axis = axis;
  o.batch_dims = batch_dims;
  return o;
}

TEST(GatherTest, AxisZeroAndNegativeAxis) {
  OpHarness t(ir::OpKind::kGather, G(0, 0));
  t.Input<float>(DType::kFloat32, Shape({3, 2}), Iota(6));
  t.Input<int32_t>(DType::kInt32, Shape({2, 2}), {2, 0, 1, 1});
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({2, 2, 2}));
  EXPECT_EQ(t.Out<float>(), (std::vector<float>{4, 5, 0, 1, 2, 3, 2, 3}));

  OpHarness n(ir::OpKind::kGather, G(-1, 0));
  n.Input<float>(DType::kFloat32, Shape({2, 3, 4}), Iota(24));
  n.Input<int64_t>(DType::kInt64, Shape({2, 1}), {1, 2});
  n.Output(DType::kFloat32);
  ASSERT_TRUE(n.Run().ok());
  EXPECT_EQ(n.OutputShape(), Shape({2, 3, 2, 1}));
  EXPECT_EQ(n.Out<float>()[0], 1.0f);
  EXPECT_EQ(n.Out<float>()[1], 2.0f);
}

TEST(GatherTest, BatchDims) {
  // out[b, i, j] = x[b, i, idx[b, j]]
  OpHarness t(ir::OpKind::kGather, G(2, 1));
  t.Input<float>(DType::kFloat32, Shape({2, 3, 4}), Iota(24));
  t.Input<int32_t>(DType::kInt32, Shape({2, 3}), {3, 0, 1, 1, 1, 2});
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({2, 3, 3}));
  const auto out = t.Out<float>();
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 3), (std::vector<float>{3, 0, 1}));
  EXPECT_EQ(std::vector<float>(out.begin() + 9, out.begin() + 12), (std::vector<float>{13, 13, 14}));

  OpHarness bad(ir::OpKind::kGather, G(0, 1));  // batch_dims > axis
  bad.Input<float>(DType::kFloat32, Shape({2, 3}), Iota(6));
  bad.Input<int32_t>(DType::kInt32, Shape({2, 1}), {0, 0});
  bad.Output(DType::kFloat32);
  EXPECT_FALSE(bad.Prepare().ok());
}

TEST(GatherTest, OutOfRangeIndexFailsEval) {
  OpHarness t(ir::OpKind::kGather, G(0, 0));
  t.Input<uint8_t>(DType::kUInt8, Shape({3}), {1, 2, 3});
  t.Input<int32_t>(DType::kInt32, Shape({2}), {0, 3});
  t.Output(DType::kUInt8);
  ASSERT_TRUE(t.Prepare().ok());
  EXPECT_FALSE(t.Eval().ok());
}

TEST(TileTest, Multiples) {
  OpHarness t(ir::OpKind::kTile);
  t.Input<int8_t>(DType::kInt8, Shape({2, 2}), {1, 2, 3, 4});
  t.Const<int32_t>(DType::kInt32, Shape({2}), {2, 3});
  t.Output(DType::kInt8);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({4, 6}));
  const auto out = t.Out<int8_t>();
  EXPECT_EQ(std::vector<int8_t>(out.begin(), out.begin() + 6), (std::vector<int8_t>{1, 2, 1, 2, 1, 2}));
  EXPECT_EQ(std::vector<int8_t>(out.begin() + 18, out.end()), (std::vector<int8_t>{3, 4, 3, 4, 3, 4}));
}

TEST(TransposeTest, ThreeAndFiveDims) {
  OpHarness t(ir::OpKind::kTranspose);
  t.Input<float>(DType::kFloat32, Shape({2, 3, 4}), Iota(24));
  t.Const<int32_t>(DType::kInt32, Shape({3}), {2, 0, 1});
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({4, 2, 3}));
  const auto out = t.Out<float>();
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 7), (std::vector<float>{0, 4, 8, 12, 16, 20, 1}));

  OpHarness f(ir::OpKind::kTranspose);
  f.Input<float>(DType::kFloat32, Shape({2, 3, 4, 5, 2}), Iota(240));
  f.Const<int32_t>(DType::kInt32, Shape({5}), {4, 2, 0, 3, 1});
  f.Output(DType::kFloat32);
  ASSERT_TRUE(f.Run().ok());
  EXPECT_EQ(f.OutputShape(), Shape({2, 4, 2, 5, 3}));
  // out[a,b,c,d,e] = in[c,e,b,d,a]; out[1,2,1,3,2] = in[1,2,2,3,1]
  const auto o5 = f.Out<float>();
  const int out_index = (((1 * 4 + 2) * 2 + 1) * 5 + 3) * 3 + 2;
  const int in_index = (((1 * 3 + 2) * 4 + 2) * 5 + 3) * 2 + 1;
  EXPECT_EQ(o5[static_cast<size_t>(out_index)], static_cast<float>(in_index));

  OpHarness bad(ir::OpKind::kTranspose);
  bad.Input<float>(DType::kFloat32, Shape({2, 3}), Iota(6));
  bad.Const<int32_t>(DType::kInt32, Shape({2}), {0, 0});
  bad.Output(DType::kFloat32);
  EXPECT_FALSE(bad.Prepare().ok());
}

}  // namespace
}  // namespace detlite
