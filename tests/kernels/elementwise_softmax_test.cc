// SOFTMAX: float with beta, uint8/int8 through the float table.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "elementwise_test_util.h"
#include "kernels/reference/softmax.h"

namespace detlite {
namespace {

namespace ref = kernels::reference;
using namespace elementwise_testing;  // NOLINT(build/namespaces)
using ir::OpKind;

std::vector<float> SoftmaxDouble(const std::vector<float>& x, float beta, int depth) {
  std::vector<float> out(x.size());
  for (size_t r = 0; r < x.size() / static_cast<size_t>(depth); ++r) {
    double max = -1e300, sum = 0;
    for (int j = 0; j < depth; ++j) max = std::max<double>(max, x[r * depth + j]);
    for (int j = 0; j < depth; ++j) sum += std::exp(beta * (x[r * depth + j] - max));
    for (int j = 0; j < depth; ++j) {
      out[r * depth + j] = static_cast<float>(std::exp(beta * (x[r * depth + j] - max)) / sum);
    }
  }
  return out;
}

TEST(SoftmaxTest, FloatRowsWithBeta) {
  const std::vector<float> x = {1, 2, 3, 4, 5, -1, -2, -3, -4, -5};
  const OpResult r = RunOp(OpKind::kSoftmax, {In(DType::kFloat32, Shape{2, 5}, x)},
                           DType::kFloat32, {}, ir::SoftmaxOptions{0.5f});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  const auto got = FromBytes<float>(r.bytes.data(), r.bytes.size());
  const auto want = SoftmaxDouble(x, 0.5f, 5);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6f) << i;
}

TEST(SoftmaxTest, HugeLogitsDoNotOverflow) {
  const std::vector<float> x = {1000.0f, 1000.0f, -1000.0f};
  std::vector<float> out(3);
  ref::SoftmaxFloat(1.0f, 1, 3, x.data(), out.data());
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_FLOAT_EQ(out[1], 0.5f);
  EXPECT_FLOAT_EQ(out[2], 0.0f);
}

template <typename T>
void CheckQuantizedSoftmax(DType dt, int32_t z_in, int32_t z_out) {
  const float s_in = 0.1f;
  const auto xf = RandomFloats(4 * 10, -6, 6, 21);
  const auto q = QuantizeAll<T>(xf, s_in, z_in);
  const OpResult r = RunOp(OpKind::kSoftmax,
                           {In(dt, Shape{4, 10}, q, ir::PerTensorQuant(s_in, z_in))}, dt,
                           ir::PerTensorQuant(1.0f / 256, z_out), ir::SoftmaxOptions{1.0f});
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  const auto got = FromBytes<T>(r.bytes.data(), r.bytes.size());
  const auto want = SoftmaxDouble(DequantizeAll(q, s_in, z_in), 1.0f, 10);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_LE(std::abs(got[i] - Quantize<T>(want[i], 1.0f / 256, z_out)), 1) << i;
  }
}

TEST(SoftmaxTest, QuantizedWithinOneStep) {
  CheckQuantizedSoftmax<uint8_t>(DType::kUInt8, 128, 0);
  CheckQuantizedSoftmax<int8_t>(DType::kInt8, -10, -128);
}

TEST(SoftmaxTest, Uint8CertaintySaturatesAt255) {
  // One logit far above the others: probability 1 is 256 steps, clamped.
  const std::vector<uint8_t> x = {0, 0, 255};
  const OpResult r = RunOp(OpKind::kSoftmax,
                           {In(DType::kUInt8, Shape{1, 3}, x, ir::PerTensorQuant(1.0f, 0))},
                           DType::kUInt8, ir::PerTensorQuant(1.0f / 256, 0),
                           ir::SoftmaxOptions{1.0f});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(FromBytes<uint8_t>(r.bytes.data(), r.bytes.size()),
            (std::vector<uint8_t>{0, 0, 255}));
}

TEST(SoftmaxTest, Int8OutputMustBeOneOver256AtMinus128) {
  EXPECT_FALSE(RunOp(OpKind::kSoftmax,
                     {In(DType::kInt8, Shape{1, 3}, std::vector<int8_t>(3),
                         ir::PerTensorQuant(0.1f, 0))},
                     DType::kInt8, ir::PerTensorQuant(1.0f / 256, 0))
                   .status.ok());
}

}  // namespace
}  // namespace detlite
