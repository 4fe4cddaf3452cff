// The optimized CONV_2D against the reference, which is the specification:
// bit-exact for 8-bit types under every requantization the runtime uses,
// float within summation-order rounding.
#include "kernels/optimized/conv.h"
#include "kernels/optimized/igemm_f32.h"

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
  testing::ForEachIsa([](optimized::Isa) {
    std::mt19937 rng(1);
    for (int i = 0; i < 150; ++i) CheckQuantizedCase<uint8_t>(rng, {});
  });
}

TEST(OptimizedConvTest, Int8MatchesReferenceBitExactly) {
  testing::ForEachIsa([](optimized::Isa) {
    std::mt19937 rng(2);
    for (int i = 0; i < 150; ++i) CheckQuantizedCase<int8_t>(rng, {});
  });
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

// The float igemm (igemm_f32.h) on every instruction set level against the
// reference: within 1e-5 of the output range.
TEST(OptimizedConvTest, FloatMatchesReferenceOnEveryIsa) {
  runtime::ThreadPool pool(2);
  testing::ForEachIsa([&](optimized::Isa isa) {
    std::mt19937 rng(4);
    for (int i = 0; i < 150; ++i) {
      // Up to 3 AVX-512 panels, with every tail width.
      const int out_c = std::uniform_int_distribution<int>(1, 80)(rng);
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
      const bool no_bias = i % 4 == 1;
      const float* b = no_bias ? nullptr : bias.data();
      const size_t out_size = size_t(g.batches) * g.out_h * g.out_w * out_c;
      std::vector<float> want(out_size), got(out_size, -12345.0f);
      reference::ConvFloat(g, input.data(), filter.data(), b, lo, hi,
                           want.data());
      optimized::PackedConvF32 packed;
      optimized::PackConvF32(isa, out_c, k, filter.data(), b, &packed);
      runtime::ScopedParallel scope(i % 2 ? &pool : nullptr);
      optimized::ConvFloatIgemm(g, input.data(), packed, lo, hi, got.data(),
                                runtime::CurrentParallel());
      const float tol = testing::RangeTolerance(want, 1e-5f);
      for (size_t j = 0; j < out_size; ++j) {
        ASSERT_NEAR(want[j], got[j], tol) << Describe(g) << " at " << j;
      }
    }
  });
}

// A MobileNet-sized 1x1 layer and a strided 3x3 one: many full tiles and
// panels, which the small random shapes above rarely reach.
TEST(OptimizedConvTest, FloatLargeLayersMatchReferenceOnEveryIsa) {
  struct Case { int size, in_c, out_c, f, stride; };
  for (const Case& c : {Case{19, 96, 144, 1, 1}, Case{21, 16, 37, 3, 2}}) {
    ConvGeometry g;
    g.in_h = g.in_w = c.size;
    g.in_c = c.in_c;
    g.out_c = c.out_c;
    g.filter_h = g.filter_w = c.f;
    g.stride_h = g.stride_w = c.stride;
    g.out_h = g.out_w = (c.size + c.stride - 1) / c.stride;
    g.pad_h = g.pad_w = ComputeAxisPadding(c.size, c.f, c.stride, 1, g.out_h).before;
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    const int k = c.f * c.f * c.in_c;
    std::vector<float> input(size_t(c.size) * c.size * c.in_c);
    std::vector<float> filter(size_t(c.out_c) * k), bias(c.out_c);
    for (float& x : input) x = d(rng);
    for (float& x : filter) x = d(rng);
    for (float& x : bias) x = d(rng);
    const size_t out_size = size_t(g.out_h) * g.out_w * c.out_c;
    std::vector<float> want(out_size);
    reference::ConvFloat(g, input.data(), filter.data(), bias.data(), 0.0f,
                         6.0f, want.data());
    const float tol = testing::RangeTolerance(want, 1e-5f);
    testing::ForEachIsa([&](optimized::Isa isa) {
      optimized::PackedConvF32 packed;
      optimized::PackConvF32(isa, c.out_c, k, filter.data(), bias.data(),
                             &packed);
      std::vector<float> got(out_size, -1.0f);
      optimized::ConvFloatIgemm(g, input.data(), packed, 0.0f, 6.0f,
                                got.data(), {});
      for (size_t j = 0; j < out_size; ++j) {
        ASSERT_NEAR(want[j], got[j], tol) << Describe(g) << " at " << j;
      }
    });
  }
}

}  // namespace
}  // namespace detlite::kernels
