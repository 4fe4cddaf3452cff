// The vectorized float LOGISTIC against the scalar reference on every
// instruction set level: within 2 ulps everywhere (a sweep of every float
// exponent from 2^-30 to 2^7 on both signs, the saturating ends, random
// values in odd lengths that exercise the masked tail), NaN kept, in place
// and across threads.
#include "kernels/optimized/sigmoid_f32.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernels/optimized_test_util.h"
#include "kernels/reference/unary_math.h"
#include "runtime/thread_pool.h"

namespace detlite::kernels {
namespace {

float Reference(float x) {
  return reference::ApplyUnaryOp(reference::UnaryOp::kLogistic, x);
}

// Distance in representable floats between two non-negative finite values.
int64_t UlpDistance(float a, float b) {
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  return std::llabs(int64_t{ia} - int64_t{ib});
}

std::vector<float> Inputs() {
  std::vector<float> x;
  for (int e = -30; e <= 7; ++e) {
    for (float m : {1.0f, 1.1f, 1.37f, 1.5f, 1.75f, 1.99f}) {
      x.push_back(std::ldexp(m, e));
      x.push_back(-std::ldexp(m, e));
    }
  }
  for (float v : {0.0f, -0.0f, 86.9f, -86.9f, 87.0f, -87.0f, 88.0f, -88.0f,
                  100.0f, -100.0f, 1e30f, -1e30f}) {
    x.push_back(v);
  }
  x.push_back(std::numeric_limits<float>::infinity());
  x.push_back(-std::numeric_limits<float>::infinity());
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> d(-20.0f, 20.0f);
  for (int i = 0; i < 1000; ++i) x.push_back(d(rng));
  x.push_back(0.25f);  // an odd total: the masked tail runs
  return x;
}

void ExpectClose(const std::vector<float>& x, const std::vector<float>& got) {
  for (size_t i = 0; i < x.size(); ++i) {
    const float want = Reference(x[i]);
    SCOPED_TRACE("x = " + std::to_string(x[i]));
    ASSERT_TRUE(std::isfinite(got[i]));
    ASSERT_GE(got[i], 0.0f);
    ASSERT_LE(got[i], 1.0f);
    if (x[i] < -87.0f) {
      ASSERT_LE(got[i], 1.7e-38f);  // e^-87: the reference's subnormal tail
      continue;
    }
    ASSERT_LE(UlpDistance(got[i], want), 2) << got[i] << " vs " << want;
  }
}

TEST(OptimizedSigmoidF32, WithinTwoUlpsOfReferenceOnEveryIsa) {
  const std::vector<float> x = Inputs();
  ASSERT_NE(x.size() % 8, 0u);  // not a whole number of vectors
  testing::ForEachIsa([&](optimized::Isa isa) {
    std::vector<float> got(x.size(), -1.0f);
    optimized::SigmoidF32(isa, static_cast<int64_t>(x.size()), x.data(),
                          got.data(), {});
    ExpectClose(x, got);
    // In place, and every short length (tails of 1..17 values).
    std::vector<float> inplace = x;
    optimized::SigmoidF32(isa, static_cast<int64_t>(x.size()), inplace.data(),
                          inplace.data(), {});
    EXPECT_EQ(inplace, got);
    for (int n = 1; n <= 17; ++n) {
      std::vector<float> part(static_cast<size_t>(n) + 1, -5.0f);
      optimized::SigmoidF32(isa, n, x.data() + 100, part.data(), {});
      for (int i = 0; i < n; ++i) EXPECT_EQ(part[i], got[100 + i]);
      EXPECT_EQ(part[n], -5.0f) << "wrote past the end at n = " << n;
    }
  });
}

TEST(OptimizedSigmoidF32, SaturatesAndKeepsNaN) {
  testing::ForEachIsa([](optimized::Isa isa) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> x = {nan, 200.0f, -200.0f, 0.0f, 30.0f};
    std::vector<float> y(x.size());
    optimized::SigmoidF32(isa, 5, x.data(), y.data(), {});
    EXPECT_TRUE(std::isnan(y[0]));
    EXPECT_EQ(y[1], 1.0f);
    EXPECT_EQ(y[2], 0.0f);
    EXPECT_EQ(y[3], 0.5f);
    EXPECT_EQ(y[4], 1.0f);
  });
}

TEST(OptimizedSigmoidF32, ThreadsGiveTheSameBits) {
  std::vector<float> x(200000);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> d(-12.0f, 12.0f);
  for (float& v : x) v = d(rng);
  runtime::ThreadPool pool(3);
  testing::ForEachIsa([&](optimized::Isa isa) {
    std::vector<float> one(x.size()), three(x.size());
    optimized::SigmoidF32(isa, static_cast<int64_t>(x.size()), x.data(),
                          one.data(), {});
    runtime::ScopedParallel scope(&pool);
    optimized::SigmoidF32(isa, static_cast<int64_t>(x.size()), x.data(),
                          three.data(), runtime::CurrentParallel());
    EXPECT_EQ(one, three);
  });
}

}  // namespace
}  // namespace detlite::kernels
