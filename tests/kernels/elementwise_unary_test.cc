// EXP, SQRT, RSQRT, ABS, NEG, SQUARE.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "elementwise_test_util.h"

namespace detlite {
namespace {

using namespace elementwise_testing;  // NOLINT(build/namespaces)
using ir::OpKind;

std::vector<float> RunFloat(OpKind kind, const std::vector<float>& x) {
  const OpResult r = RunOp(kind, {In(DType::kFloat32, Shape{static_cast<int32_t>(x.size())}, x)},
                           DType::kFloat32);
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  return FromBytes<float>(r.bytes.data(), r.bytes.size());
}

TEST(UnaryTest, FloatFunctions) {
  const std::vector<float> x = {0.25f, 1.0f, 4.0f};
  EXPECT_EQ(RunFloat(OpKind::kSqrt, x), (std::vector<float>{0.5f, 1.0f, 2.0f}));
  EXPECT_EQ(RunFloat(OpKind::kRsqrt, x), (std::vector<float>{2.0f, 1.0f, 0.5f}));
  EXPECT_EQ(RunFloat(OpKind::kSquare, x), (std::vector<float>{0.0625f, 1.0f, 16.0f}));
  EXPECT_EQ(RunFloat(OpKind::kNeg, x), (std::vector<float>{-0.25f, -1.0f, -4.0f}));
  EXPECT_EQ(RunFloat(OpKind::kAbs, {-2.0f, 0.0f, 3.0f}), (std::vector<float>{2.0f, 0.0f, 3.0f}));
  const auto e = RunFloat(OpKind::kExp, {0.0f, 1.0f, -1.0f});
  EXPECT_FLOAT_EQ(e[0], 1.0f);
  EXPECT_FLOAT_EQ(e[1], std::exp(1.0f));
  EXPECT_FLOAT_EQ(e[2], std::exp(-1.0f));
  EXPECT_TRUE(std::isnan(RunFloat(OpKind::kSqrt, {-1.0f})[0]));
}

TEST(UnaryTest, IntegerNegWraps) {
  const OpResult r = RunOp(OpKind::kNeg,
                           {In(DType::kInt32, Shape{3},
                               std::vector<int32_t>{5, std::numeric_limits<int32_t>::min(), 0})},
                           DType::kInt32);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(FromBytes<int32_t>(r.bytes.data(), r.bytes.size()),
            (std::vector<int32_t>{-5, std::numeric_limits<int32_t>::min(), 0}));
}

TEST(UnaryTest, RejectsUnsupportedTypes) {
  EXPECT_EQ(RunOp(OpKind::kExp, {In(DType::kInt32, Shape{1}, std::vector<int32_t>{1})},
                  DType::kInt32)
                .status.code(),
            StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace detlite
