// The optimized CONV_2D against the reference, which is the specification:
// bit-exact for 8-bit types under every requantization the runtime uses,
// float within summation-order rounding.
#include "kernels/optimized/conv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

#include "kernels/reference/conv.h"
#include "kernels/reference/requantize.h"
#include "runtime/thread_pool.h"
#include "kernels/optimized_test_util.h"

namespace detlite::kernels {
namespace {

using testing::Describe;
using testing::RandomGeometry;
using testing::RandomInts;
using testing::RandomZeroPoint;

template <typename T>
void CheckQuantizedCase(std::mt19937& rng, const optimized::Parallel& par) {
  const int out_c = std::uniform_int_distribution<int>(1, 40)(rng);
  const ConvGeometry g = RandomGeometry(rng, out_c);
  const int k = g.filter_h * g.filter_w * g.in_c;
  const auto input = RandomInts<T>(
      rng, size_t(g.batches) * g.in_h * g.in_w * g.in_c);
  const auto filter = RandomInts<T>(rng, size_t(out_c) * k);
  std::vector<int32_t> bias(out_c);
  for (int32_t& b : bias) b = std::uniform_int_distribution<int>(-70000, 70000)(rng);
  const int32_t input_offset = -RandomZeroPoint<T>(rng);
  // int8 filters are symmetric; uint8 ones have any zero point.
  const int32_t filter_offset =
      std::is_same_v<T, uint8_t> ? -RandomZeroPoint<T>(rng) : 0;
  const bool per_channel = std::is_same_v<T, int8_t> && (rng() & 1);
  const auto rq = testing::RandomRequant(rng, out_c, per_channel,
                                         std::sqrt(double(k)) * 8000.0);
  const int32_t zp = RandomZeroPoint<T>(rng);
  int32_t act_min = std::numeric_limits<T>::min();
  int32_t act_max = std::numeric_limits<T>::max();
  if (rng() & 1) act_min = std::max(act_min, zp);  // ReLU

  const size_t out_size = size_t(g.batches) * g.out_h * g.out_w * out_c;
  auto run = [&](const auto& requant) {
    std::vector<T> want(out_size), got(out_size);
    reference::ConvQuantized(g, input_offset, filter_offset, input.data(),
                             filter.data(), bias.data(), requant, want.data());
    std::vector<int16_t> packed;
    optimized::PackFilterI16(out_c, k, filter.data(), filter_offset, &packed);
    optimized::ConvQuantized(g, input_offset, input.data(), packed.data(),
                             bias.data(), requant, got.data(), par);
    ASSERT_EQ(want, got) << Describe(g) << " input_offset " << input_offset
                         << " filter_offset " << filter_offset;
  };
  run(FixedPointRequant{rq.multiplier.data(), rq.shift.data(), zp, act_min,
                        act_max});
  run(SingleRoundingRequant{rq.multiplier.data(), rq.shift.data(), zp,
                            act_min, act_max});
  run(Fp32Requant{rq.scale.data(), zp, act_min, act_max});
}

TEST(OptimizedConvTest, Uint8MatchesReferenceBitExactly) {
  std::mt19937 rng(1);
  for (int i = 0; i < 150; ++i) CheckQuantizedCase<uint8_t>(rng, {});
}

TEST(OptimizedConvTest, Int8MatchesReferenceBitExactly) {
  std::mt19937 rng(2);
  for (int i = 0; i < 150; ++i) CheckQuantizedCase<int8_t>(rng, {});
}

TEST(OptimizedConvTest, ThreadedMatchesReferenceBitExactly) {
  runtime::ThreadPool pool(3);
  runtime::ScopedParallel scope(&pool);
  std::mt19937 rng(3);
  for (int i = 0; i < 60; ++i) {
    CheckQuantizedCase<uint8_t>(rng, runtime::CurrentParallel());
    CheckQuantizedCase<int8_t>(rng, runtime::CurrentParallel());
  }
}

TEST(OptimizedConvTest, FloatMatchesReferenceUpToRounding) {
  std::mt19937 rng(4);
  runtime::ThreadPool pool(2);
  for (int i = 0; i < 150; ++i) {
    const int out_c = std::uniform_int_distribution<int>(1, 40)(rng);
    const ConvGeometry g = RandomGeometry(rng, out_c);
    const int k = g.filter_h * g.filter_w * g.in_c;
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    std::vector<float> input(size_t(g.batches) * g.in_h * g.in_w * g.in_c);
    std::vector<float> filter(size_t(out_c) * k), bias(out_c);
    for (float& x : input) x = d(rng);
    for (float& x : filter) x = d(rng);
    for (float& x : bias) x = d(rng);
    const float lo = (i % 3 == 0) ? 0.0f : -1e30f;
    const float hi = (i % 3 == 0) ? 6.0f : 1e30f;
    const size_t out_size = size_t(g.batches) * g.out_h * g.out_w * out_c;
    std::vector<float> want(out_size), got(out_size);
    reference::ConvFloat(g, input.data(), filter.data(), bias.data(), lo, hi,
                         want.data());
    std::vector<float> packed;
    optimized::PackFilterF32(out_c, k, filter.data(), &packed);
    runtime::ScopedParallel scope(i % 2 ? &pool : nullptr);
    optimized::ConvFloat(g, input.data(), packed.data(),
                         (i % 4 == 1) ? nullptr : bias.data(), lo, hi,
                         got.data(), runtime::CurrentParallel());
    if (i % 4 == 1) {
      reference::ConvFloat(g, input.data(), filter.data(), nullptr, lo, hi,
                           want.data());
    }
    for (size_t j = 0; j < out_size; ++j) {
      // Sums of k terms of magnitude <= 1: absolute error scales with k.
      ASSERT_NEAR(want[j], got[j], 1e-6 * (k + 1)) << Describe(g) << " at " << j;
    }
  }
}

}  // namespace
}  // namespace detlite::kernels
