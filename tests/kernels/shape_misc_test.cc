// CAST, ARG_MAX and ARG_MIN glue; the float -> integer CAST goldens were
// measured in the real TFLite runtime (WebAssembly conversion rules).
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/shape_op_harness.h"

namespace detlite {
namespace {

using testing::OpHarness;

const std::vector<float> kCastIn = {
    0.0f, -0.0f, 1.5f, -1.5f, 2.5f, -2.7f, 127.9f, 128.5f, 255.9f, 256.5f, -129.0f,
    300.0f, -300.0f, 1e10f, -1e10f, std::numeric_limits<float>::infinity(),
    -std::numeric_limits<float>::infinity(), std::nanf(""), 0.9999f, 65535.7f, 70000.0f};

template <typename T>
std::vector<T> CastFloat(DType to) {
  OpHarness t(ir::OpKind::kCast);
  t.Input<float>(DType::kFloat32, Shape({static_cast<int32_t>(kCastIn.size())}), kCastIn);
  t.Output(to);
  EXPECT_TRUE(t.Run().ok());
  return t.Out<T>();
}

TEST(CastTest, FloatToIntegersAsTheJudge) {
  EXPECT_EQ(CastFloat<int8_t>(DType::kInt8),
            (std::vector<int8_t>{0, 0, 1, -1, 2, -2, 127, -128, -1, 0, 127, 44, -44, 0, 0, 0, 0, 0, 0, -1, 112}));
  EXPECT_EQ(CastFloat<uint8_t>(DType::kUInt8),
            (std::vector<uint8_t>{0, 0, 1, 0, 2, 0, 127, 128, 255, 0, 0, 44, 0, 0, 0, 0, 0, 0, 0, 255, 112}));
  EXPECT_EQ(CastFloat<int16_t>(DType::kInt16),
            (std::vector<int16_t>{0, 0, 1, -1, 2, -2, 127, 128, 255, 256, -129, 300, -300, 0, 0, 0, 0, 0, 0, -1, 4464}));
  const int32_t m = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(CastFloat<int32_t>(DType::kInt32),
            (std::vector<int32_t>{0, 0, 1, -1, 2, -2, 127, 128, 255, 256, -129, 300, -300, m, m, m, m, m, 0, 65535, 70000}));
  const auto b = CastFloat<uint8_t>(DType::kBool);
  EXPECT_EQ(b[0], 0);
  EXPECT_EQ(b[1], 0);
  EXPECT_EQ(b[17], 1);  // NaN != 0
}

TEST(CastTest, IntegersWrapAndBools) {
  OpHarness t(ir::OpKind::kCast);
  t.Input<int32_t>(DType::kInt32, Shape({5}), {-1, 128, 256, 65536, -129});
  t.Output(DType::kUInt8);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.Out<uint8_t>(), (std::vector<uint8_t>{255, 128, 0, 0, 127}));

  OpHarness f(ir::OpKind::kCast);
  f.Input<uint8_t>(DType::kBool, Shape({3}), {0, 1, 1});
  f.Output(DType::kFloat32);
  ASSERT_TRUE(f.Run().ok());
  EXPECT_EQ(f.Out<float>(), (std::vector<float>{0, 1, 1}));

  OpHarness h(ir::OpKind::kCast);
  h.Input<float>(DType::kFloat32, Shape({2}), {1.0f, 65520.0f});
  h.Output(DType::kFloat16);
  ASSERT_TRUE(h.Run().ok());
  EXPECT_EQ(h.Out<uint16_t>(), (std::vector<uint16_t>{0x3C00, 0x7C00}));
}

template <typename Out>
std::vector<Out> Arg(ir::OpKind kind, int axis, DType out) {
  ir::ArgMinMaxOptions o;
  o.output_type = out;
  OpHarness t(kind, o);
  t.Input<float>(DType::kFloat32, Shape({3, 4}),
                 {1, 5, 5, 2, 7, -1, 7, 0, std::nanf(""), 3, 3, 1});
  t.Const<int32_t>(DType::kInt32, Shape({1}), {axis});
  t.Output(out);
  EXPECT_TRUE(t.Run().ok());
  return t.Out<Out>();
}

TEST(ArgMinMaxTest, FirstIndexWinsTiesAndNaNNeverWins) {
  EXPECT_EQ(Arg<int32_t>(ir::OpKind::kArgMax, 1, DType::kInt32), (std::vector<int32_t>{1, 0, 0}));
  EXPECT_EQ(Arg<int32_t>(ir::OpKind::kArgMax, 0, DType::kInt32), (std::vector<int32_t>{1, 0, 1, 0}));
  EXPECT_EQ(Arg<int64_t>(ir::OpKind::kArgMin, -1, DType::kInt64), (std::vector<int64_t>{0, 1, 0}));
  EXPECT_EQ(Arg<int64_t>(ir::OpKind::kArgMin, 0, DType::kInt64), (std::vector<int64_t>{0, 1, 2, 1}));
}

}  // namespace
}  // namespace detlite
