// Output sizes, padding and the requantization arithmetic of the conv family.
#include "kernels/reference/conv_geometry.h"

#include <gtest/gtest.h>

#include "kernels/reference/requantize.h"

namespace detlite::kernels {
namespace {

TEST(ConvGeometryTest, SameOutputIsCeilOfInputOverStride) {
  EXPECT_EQ(ConvOutputSize(PaddingType::kSame, 224, 3, 2, 1), 112);
  EXPECT_EQ(ConvOutputSize(PaddingType::kSame, 225, 3, 2, 1), 113);
  EXPECT_EQ(ConvOutputSize(PaddingType::kSame, 7, 5, 1, 3),
            7);  // filter ignored
}

TEST(ConvGeometryTest, ValidOutputCountsWholeWindows) {
  EXPECT_EQ(ConvOutputSize(PaddingType::kValid, 10, 3, 2, 1), 4);
  EXPECT_EQ(ConvOutputSize(PaddingType::kValid, 10, 4, 2, 1), 4);
  EXPECT_EQ(ConvOutputSize(PaddingType::kValid, 7, 3, 1, 3),
            1);  // dilated filter spans 7
  EXPECT_EQ(ConvOutputSize(PaddingType::kValid, 2, 3, 1, 1), 0);
  EXPECT_LT(ConvOutputSize(PaddingType::kValid, 1, 3, 1, 1), 0);
}

TEST(ConvGeometryTest, SamePaddingPutsTheOddElementAfter) {
  // 224 -> 112 with a 3-wide filter, stride 2: one padding element, after.
  AxisPadding p = ComputeAxisPadding(224, 3, 2, 1, 112);
  EXPECT_EQ(p.before, 0);
  EXPECT_EQ(p.offset, 1);
  p = ComputeAxisPadding(5, 3, 1, 1, 5);
  EXPECT_EQ(p.before, 1);
  EXPECT_EQ(p.offset, 0);
  p = ComputeAxisPadding(4, 4, 1, 1, 4);  // total 3
  EXPECT_EQ(p.before, 1);
  EXPECT_EQ(p.offset, 1);
  p = ComputeAxisPadding(10, 3, 1, 2, 10);  // dilated filter spans 5: total 4
  EXPECT_EQ(p.before, 2);
  EXPECT_EQ(p.offset, 0);
}

TEST(ConvGeometryTest, ValidPaddingIsZero) {
  for (int in = 3; in < 12; ++in) {
    for (int stride = 1; stride < 4; ++stride) {
      const int64_t out = ConvOutputSize(PaddingType::kValid, in, 3, stride, 1);
      AxisPadding p = ComputeAxisPadding(in, 3, stride, 1, out);
      EXPECT_EQ(p.before, 0) << in << " " << stride;
      EXPECT_EQ(p.offset, 0) << in << " " << stride;
    }
  }
}

TEST(RequantizeTest, WideMultiplierRoundsTiesUp) {
  int32_t q;
  int shift;
  QuantizeMultiplier(0.5, &q, &shift);
  EXPECT_EQ(MultiplyByQuantizedMultiplierInt64(1000, q, shift), 500);
  EXPECT_EQ(MultiplyByQuantizedMultiplierInt64(1001, q, shift), 501);
  EXPECT_EQ(MultiplyByQuantizedMultiplierInt64(-1001, q, shift), -500);
  // With a right shift, the 32-bit path rounds -250.5 away from zero; the
  // 64-bit one toward +infinity.
  QuantizeMultiplier(0.25, &q, &shift);
  EXPECT_EQ(MultiplyByQuantizedMultiplierInt64(-1002, q, shift), -250);
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-1002, q, shift), -251);
  QuantizeMultiplier(0.5, &q, &shift);
  // Accumulators of 16x8 ops may exceed int32.
  EXPECT_EQ(MultiplyByQuantizedMultiplierInt64(int64_t{3000000000}, q, shift),
            1500000000);
}

TEST(RequantizeTest, Fp32RoundsTiesToEven) {
  const float scale[] = {0.5f};
  Fp32Requant r{scale, 0, -128, 127};
  EXPECT_EQ(r(5, 0), 2);
  EXPECT_EQ(r(7, 0), 4);
  EXPECT_EQ(r(-5, 0), -2);
  EXPECT_EQ(r(1000, 0), 127);  // clamped
  EXPECT_EQ(r(-1000, 0), -128);
  Fp32Requant shifted{scale, 10, 0, 255};
  EXPECT_EQ(shifted(5, 0), 12);
  EXPECT_EQ(shifted(-100, 0), 0);
}

TEST(RequantizeTest, FixedPointRoundsShiftedTiesAwayFromZero) {
  int32_t m[1];
  int s[1];
  QuantizeMultiplier(0.25, &m[0], &s[0]);
  FixedPointRequant r{m, s, 0, -128, 127};
  EXPECT_EQ(r(10, 0), 3);
  EXPECT_EQ(r(-10, 0), -3);
  EXPECT_EQ(r(1000, 0), 127);
  const float quarter[] = {0.25f};
  EXPECT_EQ((Fp32Requant{quarter, 0, -128, 127}(10, 0)), 2);
}

TEST(RequantizeTest, SingleRoundingRoundsTiesUpAndRoundsOnce) {
  int32_t m[1];
  int s[1];
  QuantizeMultiplier(0.25, &m[0], &s[0]);
  SingleRoundingRequant r{m, s, 0, -128, 127};
  EXPECT_EQ(r(10, 0), 3);
  EXPECT_EQ(r(-10, 0), -2);  // -2.5 toward +infinity
  // 13.4990 * 2^-8 style case: the doubling high multiply rounds 3455.77 up
  // to 3456 = 13.5 * 256 and the shift then rounds 13.5 up again; one
  // rounding gives 13.
  QuantizeMultiplier(0.0025826, &m[0], &s[0]);
  const int32_t acc = 5227;  // * 0.0025826 = 13.4993
  EXPECT_EQ((SingleRoundingRequant{m, s, 0, -128, 127}(acc, 0)), 13);
  EXPECT_EQ((FixedPointRequant{m, s, 0, -128, 127}(acc, 0)), 14);
}

TEST(RequantizeTest, Fp32ActivationBounds) {
  // RELU6 with scale 0.1 and zero point 10: [10, 70].
  EXPECT_EQ(Fp32QuantizeBound(0.0f, 0.1f, 10, -128, 127), 10);
  EXPECT_EQ(Fp32QuantizeBound(6.0f, 0.1f, 10, -128, 127), 70);
  EXPECT_EQ(Fp32QuantizeBound(6.0f, 0.01f, 10, -128, 127), 127);
  EXPECT_EQ(Fp32QuantizeBound(-1e30f, 0.01f, 10, -128, 127), -128);
}

}  // namespace
}  // namespace detlite::kernels
