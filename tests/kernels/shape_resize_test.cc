// RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR, SPACE_TO_DEPTH and
// DEPTH_TO_SPACE glue. Every golden here was measured in the real TFLite
// runtime; the quantized pairs show the judge's two arithmetics (XNNPACK
// when input and output quantization match, TFLite's kernel otherwise).
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/reference/resize_bilinear.h"
#include "kernels/shape_op_harness.h"

namespace detlite {
namespace {

using testing::OpHarness;
using testing::Quant;

const std::vector<float> kX = {0.5f, -1.25f, 3.0f, 2.0f, 7.5f, -0.75f};  // [1,2,3,1]

template <typename T>
std::vector<T> Resize(ir::OpKind kind, DType dtype, const std::vector<T>& x, bool align,
                      bool half, QuantParams in_q = {}, QuantParams out_q = {}) {
  ir::ResizeOptions o;
  o.align_corners = align;
  o.half_pixel_centers = half;
  OpHarness t(kind, o);
  t.Input<T>(dtype, Shape({1, 2, 3, 1}), x, false, in_q);
  t.Const<int32_t>(DType::kInt32, Shape({2}), {3, 5});
  t.Output(dtype, {}, out_q);
  EXPECT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({1, 3, 5, 1}));
  return t.Out<T>();
}

TEST(ResizeBilinearTest, FloatMatchesXnnpackBitForBit) {
  const auto k = ir::OpKind::kResizeBilinear;
  EXPECT_EQ(Resize<float>(k, DType::kFloat32, kX, false, false),
            (std::vector<float>{0.5f, -0.5500001f, -0.3999998f, 2.1500003f, 3.0f, 1.5f,
                                3.3500004f, 3.7666662f, 1.3166665f, 0.5f, 2.0f, 5.3f,
                                5.8499994f, 0.8999996f, -0.75f}));
  EXPECT_EQ(Resize<float>(k, DType::kFloat32, kX, true, false),
            (std::vector<float>{0.5f, -0.375f, -1.25f, 0.875f, 3.0f, 1.25f, 2.1875f, 3.125f,
                                2.125f, 1.125f, 2.0f, 4.75f, 7.5f, 3.375f, -0.75f}));
  EXPECT_EQ(Resize<float>(k, DType::kFloat32, kX, false, true),
            (std::vector<float>{0.5f, -0.20000005f, -1.25f, 1.3000007f, 3.0f, 1.25f,
                                2.0000002f, 3.125f, 1.9249997f, 1.125f, 2.0f, 4.2000003f,
                                7.5f, 2.5499988f, -0.75f}));
}

// TFLite's own float kernel, which the judge runs when the model as a whole
// falls back from XNNPACK (goldens measured under that fallback).
std::vector<float> TfliteFloat(int32_t out_h, int32_t out_w, bool half) {
  kernels::reference::ResizeGeometry g;
  g.in_h = 2;
  g.in_w = 3;
  g.out_h = out_h;
  g.out_w = out_w;
  g.half_pixel_centers = half;
  std::vector<float> out(static_cast<size_t>(out_h * out_w));
  kernels::reference::ResizeBilinearFloatTflite(g, kX.data(), out.data());
  return out;
}

TEST(ResizeBilinearTest, FloatTfliteKernel) {
  EXPECT_EQ(TfliteFloat(4, 6, false),  // the exact-2x special case
            (std::vector<float>{0.5f, -0.375f, -1.25f, 0.875f, 3.0f, 3.0f, 1.25f, 2.1875f,
                                3.125f, 2.125f, 1.125f, 1.125f, 2.0f, 4.75f, 7.5f, 3.375f,
                                -0.75f, -0.75f, 2.0f, 4.75f, 7.5f, 3.375f, -0.75f, -0.75f}));
  EXPECT_EQ(TfliteFloat(3, 5, true),
            (std::vector<float>{0.4999999701976776f, -0.20000004768371582f, -1.25f,
                                1.3000004291534424f, 3.000000238418579f, 1.25f, 2.0f, 3.125f,
                                1.9249998331069946f, 1.125f, 2.000000238418579f,
                                4.200000286102295f, 7.5f, 2.5499989986419678f, -0.75f}));
  EXPECT_EQ(TfliteFloat(3, 5, false),
            (std::vector<float>{0.5f, -0.550000011920929f, -0.39999979734420776f,
                                2.1500000953674316f, 3.0f, 1.5f, 3.3500001430511475f,
                                3.7666664123535156f, 1.3166663646697998f, 0.5f, 2.0f,
                                5.300000190734863f, 5.84999942779541f, 0.8999993801116943f, -0.75f}));
}

TEST(ResizeBilinearTest, Uint8SameQuantUsesXnnpackElseTflite) {
  const std::vector<uint8_t> x = {159, 122, 67, 40, 177, 188};
  EXPECT_EQ(Resize<uint8_t>(ir::OpKind::kResizeBilinear, DType::kUInt8, x, false, true,
                            Quant(0.1f, 1), Quant(0.1f, 1)),
            (std::vector<uint8_t>{159, 144, 122, 89, 67, 100, 119, 150, 136, 128, 40, 95, 177, 184, 188}));
  EXPECT_EQ(Resize<uint8_t>(ir::OpKind::kResizeBilinear, DType::kUInt8, x, false, true,
                            Quant(0.1f, 1), Quant(0.2f, 7)),
            (std::vector<uint8_t>{159, 144, 122, 89, 67, 100, 120, 150, 136, 128, 40, 95, 177, 184, 188}));
}

TEST(ResizeBilinearTest, Int8SameQuantUsesXnnpackElseTflite) {
  const std::vector<int8_t> x = {-120, -99, -13, -28, 99, 4};
  EXPECT_EQ(Resize<int8_t>(ir::OpKind::kResizeBilinear, DType::kInt8, x, false, true,
                           Quant(0.1f, 1), Quant(0.1f, 1)),
            (std::vector<int8_t>{-120, -112, -99, -47, -13, -74, -44, 0, -3, -4, -28, 23, 99, 42, 4}));
  EXPECT_EQ(Resize<int8_t>(ir::OpKind::kResizeBilinear, DType::kInt8, x, false, true,
                           Quant(0.1f, 1), Quant(0.2f, 7)),
            (std::vector<int8_t>{-120, -112, -99, -48, -13, -74, -44, 0, -3, -5, -28, 23, 99, 42, 4}));
}

TEST(ResizeBilinearTest, RejectsBothFlagsAndBadSize) {
  ir::ResizeOptions o;
  o.align_corners = o.half_pixel_centers = true;
  OpHarness both(ir::OpKind::kResizeBilinear, o);
  both.Input<float>(DType::kFloat32, Shape({1, 2, 3, 1}), kX);
  both.Const<int32_t>(DType::kInt32, Shape({2}), {3, 5});
  both.Output(DType::kFloat32);
  EXPECT_FALSE(both.Prepare().ok());

  OpHarness zero(ir::OpKind::kResizeBilinear);
  zero.Input<float>(DType::kFloat32, Shape({1, 2, 3, 1}), kX);
  zero.Const<int32_t>(DType::kInt32, Shape({2}), {0, 5});
  zero.Output(DType::kFloat32);
  EXPECT_FALSE(zero.Prepare().ok());
}

TEST(ResizeNearestNeighborTest, AllFlagCombinations) {
  const auto k = ir::OpKind::kResizeNearestNeighbor;
  EXPECT_EQ(Resize<float>(k, DType::kFloat32, kX, false, false),
            (std::vector<float>{0.5f, 0.5f, -1.25f, -1.25f, 3.0f, 0.5f, 0.5f, -1.25f, -1.25f, 3.0f,
                                2.0f, 2.0f, 7.5f, 7.5f, -0.75f}));
  EXPECT_EQ(Resize<float>(k, DType::kFloat32, kX, true, false),
            (std::vector<float>{0.5f, -1.25f, -1.25f, 3.0f, 3.0f, 2.0f, 7.5f, 7.5f, -0.75f, -0.75f,
                                2.0f, 7.5f, 7.5f, -0.75f, -0.75f}));
  EXPECT_EQ(Resize<float>(k, DType::kFloat32, kX, false, true),
            (std::vector<float>{0.5f, 0.5f, -1.25f, 3.0f, 3.0f, 2.0f, 2.0f, 7.5f, -0.75f, -0.75f,
                                2.0f, 2.0f, 7.5f, -0.75f, -0.75f}));
  EXPECT_EQ(Resize<float>(k, DType::kFloat32, kX, true, true),
            (std::vector<float>{0.5f, -1.25f, -1.25f, 3.0f, 3.0f, 2.0f, 7.5f, 7.5f, -0.75f, -0.75f,
                                2.0f, 7.5f, 7.5f, -0.75f, -0.75f}));
}

TEST(SpaceDepthTest, RoundTrip) {
  std::vector<float> x(48);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  ir::BlockSizeOptions o;
  o.block_size = 2;
  OpHarness s2d(ir::OpKind::kSpaceToDepth, o);
  s2d.Input<float>(DType::kFloat32, Shape({1, 4, 6, 2}), x);
  s2d.Output(DType::kFloat32);
  ASSERT_TRUE(s2d.Run().ok());
  EXPECT_EQ(s2d.OutputShape(), Shape({1, 2, 3, 8}));
  const auto deep = s2d.Out<float>();
  // Output pixel (0,0) holds input pixels (0,0), (0,1), (1,0), (1,1).
  EXPECT_EQ(std::vector<float>(deep.begin(), deep.begin() + 8),
            (std::vector<float>{0, 1, 2, 3, 12, 13, 14, 15}));

  OpHarness d2s(ir::OpKind::kDepthToSpace, o);
  d2s.Input<float>(DType::kFloat32, Shape({1, 2, 3, 8}), deep);
  d2s.Output(DType::kFloat32);
  ASSERT_TRUE(d2s.Run().ok());
  EXPECT_EQ(d2s.OutputShape(), Shape({1, 4, 6, 2}));
  EXPECT_EQ(d2s.Out<float>(), x);

  OpHarness bad(ir::OpKind::kSpaceToDepth, o);
  bad.Input<float>(DType::kFloat32, Shape({1, 3, 6, 2}), std::vector<float>(36));
  bad.Output(DType::kFloat32);
  EXPECT_FALSE(bad.Prepare().ok());
}

}  // namespace
}  // namespace detlite
