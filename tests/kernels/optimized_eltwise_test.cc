// The optimized float elementwise rows (residual ADD with zero-padded
// channels, clamp, PRELU) against plain scalar C++ on every instruction set
// level this machine runs: the same float operations, so equal bit for bit.
#include "kernels/optimized/eltwise_f32.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/optimized_test_util.h"
#include "runtime/thread_pool.h"

namespace detlite::kernels {
namespace {

using optimized::EltwiseF32Args;

// What each output must be: act(x + residual-or-zero).
std::vector<float> Expected(const EltwiseF32Args& a) {
  std::vector<float> want(static_cast<size_t>(a.rows * a.channels));
  for (int64_t r = 0; r < a.rows; ++r) {
    for (int64_t n = 0; n < a.channels; ++n) {
      float v = a.x[r * a.channels + n];
      if (a.res != nullptr && n < a.res_c) v = v + a.res[r * a.res_c + n];
      if (a.alpha != nullptr) {
        v = v >= 0.0f ? v : v * a.alpha[n];
      } else {
        v = std::min(std::max(v, a.lo), a.hi);
      }
      want[static_cast<size_t>(r * a.channels + n)] = v;
    }
  }
  return want;
}

std::vector<float> RandomFloats(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<float> d(-4.0f, 4.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

void CheckRandomCases(const optimized::Parallel& par) {
  std::mt19937 rng(12);
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  for (int iter = 0; iter < 300; ++iter) {
    EltwiseF32Args a;
    a.rows = pick(0, 40);
    a.channels = pick(1, 3) == 1 ? pick(1, 7) : pick(8, 90);
    const auto x = RandomFloats(rng, size_t(a.rows * a.channels));
    const int mode = pick(0, 2);  // residual, none, residual + padding
    a.res_c = mode == 0 ? a.channels : mode == 2 ? pick(1, int(a.channels)) : 0;
    const auto res = RandomFloats(rng, size_t(a.rows * a.res_c));
    const auto alpha = RandomFloats(rng, size_t(a.channels));
    a.x = x.data();
    a.res = mode == 1 ? nullptr : res.data();
    switch (pick(0, 3)) {
      case 0:
        a.lo = 0.0f;
        a.hi = std::numeric_limits<float>::infinity();
        break;
      case 1:
        a.lo = 0.0f;
        a.hi = 6.0f;
        break;
      case 2:
        a.alpha = alpha.data();
        break;
      default:
        break;  // no activation
    }
    const std::vector<float> want = Expected(a);
    std::vector<float> got(want.size(), -99.0f);
    a.out = got.data();
    SCOPED_TRACE("rows " + std::to_string(a.rows) + " channels " +
                 std::to_string(a.channels) + " res_c " +
                 std::to_string(a.res_c));
    optimized::EltwiseF32(optimized::ActiveIsa(), a, par);
    ASSERT_EQ(got, want);
    // In place (x and out one buffer), as the fused conv epilogue runs.
    std::vector<float> inplace = x;
    a.x = inplace.data();
    a.out = inplace.data();
    optimized::EltwiseF32(optimized::ActiveIsa(), a, par);
    ASSERT_EQ(inplace, want);
  }
}

TEST(OptimizedEltwiseF32, MatchesScalarOnEveryIsa) {
  testing::ForEachIsa([](optimized::Isa) { CheckRandomCases({}); });
}

TEST(OptimizedEltwiseF32, MatchesScalarWithThreads) {
  runtime::ThreadPool pool(3);
  runtime::ScopedParallel scope(&pool);
  testing::ForEachIsa(
      [](optimized::Isa) { CheckRandomCases(runtime::CurrentParallel()); });
}

TEST(OptimizedEltwiseF32, PreluKeepsNonNegativeAndScalesNegative) {
  testing::ForEachIsa([](optimized::Isa isa) {
    const std::vector<float> x = {-2.0f, 3.0f, 0.0f, -1.0f, 5.0f};
    const std::vector<float> alpha = {0.5f, 0.25f, 2.0f, 0.1f, -1.0f};
    std::vector<float> out(5);
    EltwiseF32Args a;
    a.x = x.data();
    a.out = out.data();
    a.rows = 1;
    a.channels = 5;
    a.alpha = alpha.data();
    optimized::EltwiseF32(isa, a, {});
    EXPECT_EQ(out, (std::vector<float>{-1.0f, 3.0f, 0.0f, -0.1f, 5.0f}));
  });
}

}  // namespace
}  // namespace detlite::kernels

namespace detlite::kernels {
namespace {

// Float MAX_POOL_2D against the reference on random geometries (SAME and
// VALID, strides, clipped windows, channel tails) on every level.
TEST(OptimizedMaxPoolF32, MatchesReferenceOnEveryIsa) {
  testing::ForEachIsa([](optimized::Isa isa) {
    std::mt19937 rng(3);
    auto pick = [&](int lo, int hi) {
      return std::uniform_int_distribution<int>(lo, hi)(rng);
    };
    for (int iter = 0; iter < 200; ++iter) {
      reference::PoolParams p;
      p.batches = pick(1, 2);
      p.in_h = pick(1, 12);
      p.in_w = pick(1, 12);
      p.channels = pick(0, 2) == 0 ? pick(1, 5) : pick(6, 70);
      p.filter_h = pick(1, 4);
      p.filter_w = pick(1, 4);
      p.stride_h = pick(1, 3);
      p.stride_w = pick(1, 3);
      const bool same = pick(0, 1) == 1 || p.in_h < p.filter_h || p.in_w < p.filter_w;
      reference::PoolOutputSize(same, p.in_h, p.filter_h, p.stride_h, &p.out_h, &p.pad_top);
      reference::PoolOutputSize(same, p.in_w, p.filter_w, p.stride_w, &p.out_w, &p.pad_left);
      const auto in = RandomFloats(rng, size_t(p.batches) * p.in_h * p.in_w * p.channels);
      const size_t n = size_t(p.batches) * p.out_h * p.out_w * p.channels;
      const float lo = pick(0, 1) ? 0.0f : -std::numeric_limits<float>::infinity();
      const float hi = pick(0, 1) ? 6.0f : std::numeric_limits<float>::infinity();
      std::vector<float> want(n), got(n, -99.0f);
      reference::MaxPool(p, lo, hi, in.data(), want.data());
      optimized::MaxPoolF32(isa, p, lo, hi, in.data(), got.data(), {});
      ASSERT_EQ(got, want) << "iter " << iter;
    }
  });
}

}  // namespace
}  // namespace detlite::kernels
