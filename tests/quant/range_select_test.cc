// Scale and zero point selection (TFLite's nudging) and the calibration
// methods on distributions whose best range is known.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "quant/observer.h"
#include "quant/range_search.h"
#include "quant/range_select.h"

namespace detlite::quant {
namespace {

TEST(AsymmetricParamsTest, NudgesZeroOntoAnInteger) {
  // [-1, 1] over int8: scale 2/255; qmin - min/scale = -0.5 rounds away
  // from zero to -1 (std::round, as TFLite).
  AffineParams p = AsymmetricParams({-1.0f, 1.0f}, -128, 127);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255.0f);
  EXPECT_EQ(p.zero_point, -1);
  // All-positive range: zero at qmin.
  p = AsymmetricParams({0.5f, 6.0f}, -128, 127);
  EXPECT_FLOAT_EQ(p.scale, 6.0f / 255.0f);
  EXPECT_EQ(p.zero_point, -128);
  // All-negative range: zero at qmax.
  p = AsymmetricParams({-4.0f, -1.0f}, -128, 127);
  EXPECT_EQ(p.zero_point, 127);
  // Never seen anything but 0: a usable scale.
  p = AsymmetricParams({0.0f, 0.0f}, -128, 127);
  EXPECT_GT(p.scale, 0.0f);
}

TEST(SymmetricParamsTest, MapsAbsMaxTo127) {
  EXPECT_FLOAT_EQ(SymmetricParams(2.54f, 127).scale, 0.02f);
  EXPECT_EQ(SymmetricParams(2.54f, 127).zero_point, 0);
  EXPECT_FLOAT_EQ(SymmetricParams(0.0f, 127).scale, 1.0f);
}

TEST(ObserverTest, TracksExtremesIncludingZeroAndMovingAverage) {
  Observer o(true, 0.5f);
  const float a[] = {1.0f, 2.0f, 3.0f};
  const float b[] = {-4.0f, 1.0f};
  o.Observe(a, 3);
  o.Observe(b, 2);
  EXPECT_EQ(o.min(), -4.0f);
  EXPECT_EQ(o.max(), 3.0f);
  EXPECT_EQ(o.ema_min(), -2.0f);  // 0 + 0.5 * (-4 - 0)
  EXPECT_EQ(o.ema_max(), 2.0f);   // 3 + 0.5 * (1 - 3)
  double total = 0;
  for (double c : o.histogram().counts) total += c;
  EXPECT_EQ(total, 5.0);
  EXPECT_EQ(o.histogram().range, 4.0f);
}

TEST(ObserverTest, MergedHistogramsEqualOneObserver) {
  std::mt19937 rng(7);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> v1(1000), v2(1000);
  for (float& f : v1) f = d(rng);
  for (float& f : v2) f = 10 * d(rng);
  Observer all(true), x(true), y(true);
  all.Observe(v1.data(), 1000);
  all.Observe(v2.data(), 1000);
  x.Observe(v1.data(), 1000);
  y.Observe(v2.data(), 1000);
  x.Merge(y);
  EXPECT_EQ(x.min(), all.min());
  EXPECT_EQ(x.max(), all.max());
  EXPECT_EQ(x.histogram().range, all.histogram().range);
  EXPECT_EQ(x.histogram().counts, all.histogram().counts);
}

// Calibration threads take samples in whatever order they are scheduled;
// indexed samples must give the moving average of index order regardless.
TEST(ObserverTest, IndexedSamplesAverageInIndexOrderWhicheverThreadSawThem) {
  const float s0[] = {-1.0f, 2.0f}, s1[] = {-8.0f, 4.0f}, s2[] = {-2.0f, 16.0f};
  Observer in_order(false, 0.5f);
  in_order.Observe(s0, 2);
  in_order.Observe(s1, 2);
  in_order.Observe(s2, 2);
  EXPECT_EQ(in_order.ema_min(), -3.25f);  // -1 -> -4.5 -> -3.25
  EXPECT_EQ(in_order.ema_max(), 9.5f);    // 2 -> 3 -> 9.5
  Observer a(false, 0.5f), b(false, 0.5f);
  b.Observe(s2, 2, 2);  // thread b saw the last sample first
  a.Observe(s1, 2, 1);
  b.Observe(s0, 2, 0);
  a.Merge(b);
  EXPECT_EQ(a.samples(), 3);
  EXPECT_EQ(a.ema_min(), in_order.ema_min());
  EXPECT_EQ(a.ema_max(), in_order.ema_max());
  Observer c(false, 0.5f), d(false, 0.5f);
  c.Observe(s0, 2, 0);
  d.Observe(s1, 2, 1);
  d.Observe(s2, 2, 2);
  d.Merge(c);
  EXPECT_EQ(d.ema_min(), a.ema_min());
  EXPECT_EQ(d.ema_max(), a.ema_max());
}

// A Gaussian with a few huge outliers: minmax keeps the outliers, the
// other methods clip them.
Observer OutlierObserver() {
  std::mt19937 rng(3);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> v(100000);
  for (float& f : v) f = d(rng);
  v[0] = 100.0f;
  v[1] = -100.0f;
  Observer o(true);
  o.Observe(v.data(), static_cast<int64_t>(v.size()));
  return o;
}

TEST(CalibrationMethodTest, HistogramMethodsClipOutliers) {
  const Observer o = OutlierObserver();
  const Range minmax = SelectRange(o, CalibrationMethod::kMinMax, 99.99f, 256);
  EXPECT_EQ(minmax.max, 100.0f);
  // MSE weighs the two outliers' clipping error against the rounding error
  // of 100000 values: it clips less (measured: +-76).
  const Range mse = SelectRange(o, CalibrationMethod::kMse, 99.9f, 256);
  EXPECT_LT(mse.max, 90.0f);
  EXPECT_GT(mse.max, 2.0f);
  for (CalibrationMethod m : {CalibrationMethod::kPercentile, CalibrationMethod::kKl}) {
    const Range r = SelectRange(o, m, 99.9f, 256);
    EXPECT_LT(r.max, 60.0f) << static_cast<int>(m);
    EXPECT_GT(r.max, 2.0f) << static_cast<int>(m);
    EXPECT_LT(r.min, -2.0f) << static_cast<int>(m);
  }
  // Percentile 99.9 of N(0,1): about 3.3 on each side.
  const Range p = SelectRange(o, CalibrationMethod::kPercentile, 99.9f, 256);
  EXPECT_NEAR(p.max, 3.3f, 0.3f);
  EXPECT_NEAR(p.min, -3.3f, 0.3f);
}

TEST(CalibrationMethodTest, MseChoiceHasLowerErrorThanMinMax) {
  const Observer o = OutlierObserver();
  const Range minmax{o.min(), o.max()};
  const Range mse = SelectRange(o, CalibrationMethod::kMse, 99.99f, 256);
  EXPECT_LT(RangeCost(o.histogram(), mse, 256, RangeCriterion::kMse),
            RangeCost(o.histogram(), minmax, 256, RangeCriterion::kMse));
}

}  // namespace
}  // namespace detlite::quant
