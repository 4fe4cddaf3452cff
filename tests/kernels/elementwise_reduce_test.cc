// MEAN and SUM: axes, keep_dims, quantized routes.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "elementwise_test_util.h"
#include "kernels/reference/reduce.h"

namespace detlite {
namespace {

namespace ref = kernels::reference;
using namespace elementwise_testing;  // NOLINT(build/namespaces)
using ir::OpKind;

std::vector<float> Iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
  return v;
}

OpResult Reduce(OpKind kind, Operand in, std::vector<int32_t> axes, bool keep,
                DType out_dtype, QuantParams out_quant = {}) {
  const int32_t n = static_cast<int32_t>(axes.size());
  return RunOp(kind, {std::move(in), Const(DType::kInt32, Shape{n}, axes)}, out_dtype,
               std::move(out_quant), ir::ReducerOptions{keep});
}

TEST(ReduceTest, MeanOverHeightWidthKeepDims) {
  // [1,2,3,2]: channel c holds 2 i + c for pixel i.
  const OpResult r = Reduce(OpKind::kMean, In(DType::kFloat32, Shape{1, 2, 3, 2}, Iota(12)),
                            {1, 2}, true, DType::kFloat32);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.shape, (Shape{1, 1, 1, 2}));
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()), (std::vector<float>{5, 6}));
}

TEST(ReduceTest, SumNegativeAndRepeatedAxesWithoutKeepDims) {
  const OpResult r = Reduce(OpKind::kSum, In(DType::kFloat32, Shape{2, 3, 4}, Iota(24)),
                            {-1, 0, 2}, false, DType::kFloat32);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.shape, (Shape{3}));
  // Row j sums i*12 + j*4 + k over i<2, k<4: 48 + 32 j + 12.
  EXPECT_EQ(FromBytes<float>(r.bytes.data(), r.bytes.size()),
            (std::vector<float>{60, 92, 124}));
}

TEST(ReduceTest, Int32MeanTruncatesTowardZero) {
  const OpResult r = Reduce(OpKind::kMean,
                            In(DType::kInt32, Shape{2, 2}, std::vector<int32_t>{-3, 0, 3, 2}),
                            {1}, false, DType::kInt32);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(FromBytes<int32_t>(r.bytes.data(), r.bytes.size()), (std::vector<int32_t>{-1, 2}));
}

TEST(ReduceTest, QuantizedMeanRoutes) {
  const std::vector<bool> hw = {false, true, true, false};
  const ref::ReduceGeometry g = ref::MakeReduceGeometry(Shape{1, 2, 1, 1}, hw);
  ref::QuantizedMeanParams p;
  p.input_scale = p.output_scale = 0.5f;
  p.input_zero_point = p.output_zero_point = 0;
  const std::vector<int8_t> tie_pos = {1, 2};   // 1.5
  const std::vector<int8_t> tie_neg = {-1, -2}; // -1.5
  const std::vector<int8_t> tie_even = {2, 3};  // 2.5
  int8_t out = 0;
  p.route = ref::QuantizedMeanRoute::kRescaleEven;
  ref::QuantizedMean(p, g, tie_even.data(), &out);
  EXPECT_EQ(out, 2);
  ref::QuantizedMean(p, g, tie_pos.data(), &out);
  EXPECT_EQ(out, 2);
  p.route = ref::QuantizedMeanRoute::kTruncate;
  ref::QuantizedMean(p, g, tie_neg.data(), &out);
  EXPECT_EQ(out, -1);
  p.route = ref::QuantizedMeanRoute::kRescaleAway;
  ref::QuantizedMean(p, g, tie_neg.data(), &out);
  EXPECT_EQ(out, -2);
  ref::QuantizedMean(p, g, tie_even.data(), &out);
  EXPECT_EQ(out, 3);
}

TEST(ReduceTest, QuantizedMeanWithinOneStepOfFloat) {
  const auto xf = RandomFloats(2 * 5 * 6 * 3, -4, 4, 17);
  const auto q = QuantizeAll<uint8_t>(xf, 0.04f, 110);
  const auto real = DequantizeAll(q, 0.04f, 110);
  for (const std::vector<int32_t>& axes : {std::vector<int32_t>{1, 2},
                                           std::vector<int32_t>{3},
                                           std::vector<int32_t>{0, 1}}) {
    const OpResult r = Reduce(OpKind::kMean,
                              In(DType::kUInt8, Shape{2, 5, 6, 3}, q,
                                 ir::PerTensorQuant(0.04f, 110)),
                              axes, true, DType::kUInt8, ir::PerTensorQuant(0.01f, 128));
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    std::vector<bool> mask(4, false);
    for (int32_t a : axes) mask[static_cast<size_t>(a)] = true;
    const ref::ReduceGeometry g = ref::MakeReduceGeometry(Shape{2, 5, 6, 3}, mask);
    std::vector<float> want(static_cast<size_t>(g.output_count));
    ref::MeanFloat(g, real.data(), want.data());
    const auto got = FromBytes<uint8_t>(r.bytes.data(), r.bytes.size());
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_LE(std::abs(got[i] - Quantize<uint8_t>(want[i], 0.01f, 128)), 1) << i;
    }
  }
}

TEST(ReduceTest, RejectsBadAxes) {
  EXPECT_FALSE(Reduce(OpKind::kMean, In(DType::kFloat32, Shape{2, 2}, Iota(4)), {2}, false,
                      DType::kFloat32)
                   .status.ok());
  // Non-constant axes are not supported.
  EXPECT_FALSE(RunOp(OpKind::kMean,
                     {In(DType::kFloat32, Shape{2, 2}, Iota(4)),
                      In(DType::kInt32, Shape{1}, std::vector<int32_t>{0})},
                     DType::kFloat32, {}, ir::ReducerOptions{false})
                   .status.ok());
}

}  // namespace
}  // namespace detlite
