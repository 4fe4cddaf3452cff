// PAD, PADV2 and MIRROR_PAD glue (mirror goldens measured in the real TFLite
// runtime).
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/shape_op_harness.h"

namespace detlite {
namespace {

using testing::OpHarness;
using testing::Quant;

TEST(PadTest, FloatPadsWithZero) {
  OpHarness t(ir::OpKind::kPad);
  t.Input<float>(DType::kFloat32, Shape({2, 2}), {1, 2, 3, 4});
  t.Const<int32_t>(DType::kInt32, Shape({2, 2}), {1, 0, 0, 2});
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({3, 4}));
  EXPECT_EQ(t.Out<float>(), (std::vector<float>{0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}));
}

TEST(PadTest, QuantizedPadsWithOutputZeroPoint) {
  OpHarness t(ir::OpKind::kPad);
  t.Input<int8_t>(DType::kInt8, Shape({1, 2}), {5, 6}, false, Quant(0.5f, -3));
  t.Const<int64_t>(DType::kInt64, Shape({2, 2}), {0, 0, 1, 1});
  t.Output(DType::kInt8, {}, Quant(0.5f, -3));
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.Out<int8_t>(), (std::vector<int8_t>{-3, 5, 6, -3}));

  OpHarness u(ir::OpKind::kPad);
  u.Input<uint8_t>(DType::kUInt8, Shape({1, 1, 1, 1}), {9}, false, Quant(0.1f, 128));
  u.Const<int32_t>(DType::kInt32, Shape({4, 2}), {0, 0, 1, 0, 0, 1, 0, 0});
  u.Output(DType::kUInt8, {}, Quant(0.1f, 128));
  ASSERT_TRUE(u.Run().ok());
  EXPECT_EQ(u.OutputShape(), Shape({1, 2, 2, 1}));
  EXPECT_EQ(u.Out<uint8_t>(), (std::vector<uint8_t>{128, 128, 9, 128}));
}

TEST(PadTest, V2UsesConstant) {
  OpHarness t(ir::OpKind::kPadv2);
  t.Input<float>(DType::kFloat32, Shape({2}), {1, 2});
  t.Const<int32_t>(DType::kInt32, Shape({1, 2}), {2, 1});
  t.Const<float>(DType::kFloat32, Shape(), {2.5f});
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.Out<float>(), (std::vector<float>{2.5f, 2.5f, 1, 2, 2.5f}));

  OpHarness q(ir::OpKind::kPadv2);
  q.Input<int8_t>(DType::kInt8, Shape({1}), {1}, false, Quant(0.5f, 0));
  q.Const<int32_t>(DType::kInt32, Shape({1, 2}), {1, 0});
  q.Const<int8_t>(DType::kInt8, Shape({1}), {7}, Quant(0.25f, 0));  // other scale
  q.Output(DType::kInt8, {}, Quant(0.5f, 0));
  EXPECT_FALSE(q.Prepare().ok());
}

TEST(PadTest, RejectsNegativeAndMisshapedPaddings) {
  OpHarness n(ir::OpKind::kPad);
  n.Input<float>(DType::kFloat32, Shape({2}), {1, 2});
  n.Const<int32_t>(DType::kInt32, Shape({1, 2}), {-1, 0});
  n.Output(DType::kFloat32);
  EXPECT_FALSE(n.Prepare().ok());
  OpHarness s(ir::OpKind::kPad);
  s.Input<float>(DType::kFloat32, Shape({2}), {1, 2});
  s.Const<int32_t>(DType::kInt32, Shape({2, 2}), {0, 0, 0, 0});
  s.Output(DType::kFloat32);
  EXPECT_FALSE(s.Prepare().ok());
}

std::vector<float> Mirror(bool symmetric, std::vector<int32_t> pads, Shape* out_shape) {
  ir::MirrorPadOptions o;
  o.symmetric = symmetric;
  OpHarness t(ir::OpKind::kMirrorPad, o);
  t.Input<float>(DType::kFloat32, Shape({2, 3}), {0, 1, 2, 3, 4, 5});
  t.Const<int32_t>(DType::kInt32, Shape({2, 2}), pads);
  t.Output(DType::kFloat32);
  EXPECT_TRUE(t.Run().ok());
  *out_shape = t.OutputShape();
  return t.Out<float>();
}

TEST(MirrorPadTest, ReflectAndSymmetric) {
  Shape s;
  EXPECT_EQ(Mirror(false, {1, 1, 2, 2}, &s),
            (std::vector<float>{5, 4, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 1, 0,
                                5, 4, 3, 4, 5, 4, 3, 2, 1, 0, 1, 2, 1, 0}));
  EXPECT_EQ(s, Shape({4, 7}));
  EXPECT_EQ(Mirror(true, {1, 1, 2, 2}, &s),
            (std::vector<float>{1, 0, 0, 1, 2, 2, 1, 1, 0, 0, 1, 2, 2, 1,
                                4, 3, 3, 4, 5, 5, 4, 4, 3, 3, 4, 5, 5, 4}));
  EXPECT_EQ(Mirror(true, {0, 1, 0, 3}, &s),
            (std::vector<float>{0, 1, 2, 2, 1, 0, 3, 4, 5, 5, 4, 3, 3, 4, 5, 5, 4, 3}));
}

TEST(MirrorPadTest, RejectsPaddingBeyondTheEdge) {
  ir::MirrorPadOptions reflect;
  OpHarness t(ir::OpKind::kMirrorPad, reflect);
  t.Input<float>(DType::kFloat32, Shape({2, 3}), {0, 1, 2, 3, 4, 5});
  t.Const<int32_t>(DType::kInt32, Shape({2, 2}), {2, 0, 0, 0});  // REFLECT allows 1
  t.Output(DType::kFloat32);
  EXPECT_FALSE(t.Prepare().ok());
}

}  // namespace
}  // namespace detlite
