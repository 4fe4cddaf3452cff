// The optimized DEPTHWISE_CONV_2D (depth multiplier 1) against the reference:
// bit-exact for 8-bit types, float within summation rounding.
#include "kernels/optimized/depthwise_conv.h"
#include "kernels/optimized/dwconv_f32.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/optimized_test_util.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/reference/requantize.h"
#include "runtime/thread_pool.h"

namespace detlite::kernels {
namespace {

using testing::Describe;
using testing::RandomInts;
using testing::RandomZeroPoint;

ConvGeometry RandomDepthwiseGeometry(std::mt19937& rng) {
  ConvGeometry g = testing::RandomGeometry(rng, 1);
  g.out_c = g.in_c;  // depth multiplier 1
  return g;
}

// A 3x3 or 5x5 depthwise over a wide image, as in MobileNets, with the
// channel tails of every vector width (stride 1 or 2, SAME or VALID).
// deep: few pixels and many channels, which threads split by channels.
ConvGeometry WideDepthwiseGeometry(std::mt19937& rng, bool deep = false) {
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  ConvGeometry g;
  g.in_h = deep ? pick(1, 6) : pick(1, 9);
  g.in_w = deep ? pick(1, 6) : pick(9, 40);
  g.in_c = g.out_c = deep ? pick(33, 130) : pick(1, 40);
  g.filter_h = g.filter_w = pick(0, 3) == 0 ? 5 : 3;
  g.stride_h = g.stride_w = pick(1, 2);
  const PaddingType padding =
      (pick(0, 1) || g.in_h < g.filter_h ||
                                   g.in_w < g.filter_w) ? PaddingType::kSame : PaddingType::kValid;
  const int64_t oh = ConvOutputSize(padding, g.in_h, g.filter_h, g.stride_h, 1);
  const int64_t ow = ConvOutputSize(padding, g.in_w, g.filter_w, g.stride_w, 1);
  g.out_h = static_cast<int32_t>(oh);
  g.out_w = static_cast<int32_t>(ow);
  g.pad_h = ComputeAxisPadding(g.in_h, g.filter_h, g.stride_h, 1, oh).before;
  g.pad_w = ComputeAxisPadding(g.in_w, g.filter_w, g.stride_w, 1, ow).before;
  return g;
}

template <typename T>
void CheckQuantizedCase(std::mt19937& rng, const optimized::Parallel& par) {
  const ConvGeometry g = RandomDepthwiseGeometry(rng);
  const auto input =
      RandomInts<T>(rng, size_t(g.batches) * g.in_h * g.in_w * g.in_c);
  const auto filter = RandomInts<T>(rng, size_t(g.filter_h) * g.filter_w * g.out_c);
  std::vector<int32_t> bias(g.out_c);
  for (int32_t& b : bias) b = std::uniform_int_distribution<int>(-30000, 30000)(rng);
  const int32_t input_offset = -RandomZeroPoint<T>(rng);
  const int32_t filter_offset =
      std::is_same_v<T, uint8_t> ? -RandomZeroPoint<T>(rng) : 0;
  const bool per_channel = std::is_same_v<T, int8_t> && (rng() & 1);
  const auto rq = testing::RandomRequant(
      rng, g.out_c, per_channel, std::sqrt(double(g.filter_h * g.filter_w)) * 8000.0);
  const int32_t zp = RandomZeroPoint<T>(rng);
  int32_t act_min = std::numeric_limits<T>::min();
  const int32_t act_max = std::numeric_limits<T>::max();
  if (rng() & 1) act_min = std::max(act_min, zp);

  const size_t out_size = size_t(g.batches) * g.out_h * g.out_w * g.out_c;
  const bool with_bias = rng() % 4 != 0;
  const int32_t* b = with_bias ? bias.data() : nullptr;
  auto run = [&](const auto& requant) {
    std::vector<T> want(out_size), got(out_size);
    reference::DepthwiseConvQuantized(g, input_offset, filter_offset,
                                      input.data(), filter.data(), b, requant,
                                      want.data());
    optimized::DepthwiseConvQuantized(g, input_offset, filter_offset,
                                      input.data(), filter.data(), b, requant,
                                      got.data(), par);
    ASSERT_EQ(want, got) << Describe(g) << " input_offset " << input_offset
                         << " filter_offset " << filter_offset;
  };
  run(FixedPointRequant{rq.multiplier.data(), rq.shift.data(), zp, act_min,
                        act_max});
  run(Fp32Requant{rq.scale.data(), zp, act_min, act_max});
}

TEST(OptimizedDepthwiseTest, Uint8MatchesReferenceBitExactly) {
  testing::ForEachIsa([](optimized::Isa) {
    std::mt19937 rng(11);
    for (int i = 0; i < 200; ++i) CheckQuantizedCase<uint8_t>(rng, {});
  });
}

TEST(OptimizedDepthwiseTest, Int8MatchesReferenceBitExactly) {
  testing::ForEachIsa([](optimized::Isa) {
    std::mt19937 rng(12);
    for (int i = 0; i < 200; ++i) CheckQuantizedCase<int8_t>(rng, {});
  });
}

TEST(OptimizedDepthwiseTest, ThreadedMatchesReferenceBitExactly) {
  runtime::ThreadPool pool(2);
  runtime::ScopedParallel scope(&pool);
  std::mt19937 rng(13);
  for (int i = 0; i < 80; ++i) {
    CheckQuantizedCase<uint8_t>(rng, runtime::CurrentParallel());
    CheckQuantizedCase<int8_t>(rng, runtime::CurrentParallel());
  }
}

// The float row kernels (dwconv_f32.h) on every instruction set level
// against the reference: within 1e-5 of the output range.
TEST(OptimizedDepthwiseTest, FloatMatchesReferenceOnEveryIsa) {
  runtime::ThreadPool pool(2), pool3(3);
  testing::ForEachIsa([&](optimized::Isa isa) {
    std::mt19937 rng(14);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    for (int i = 0; i < 300; ++i) {
      ConvGeometry g = RandomDepthwiseGeometry(rng);
      if (i % 5 == 0) {  // wide rows reach the 8- and 4-pixel paths
        g = WideDepthwiseGeometry(rng);
      } else if (i % 5 == 3) {  // split by channels on threads
        g = WideDepthwiseGeometry(rng, /*deep=*/true);
      }
      std::vector<float> input(size_t(g.batches) * g.in_h * g.in_w * g.in_c);
      std::vector<float> filter(size_t(g.filter_h) * g.filter_w * g.out_c);
      std::vector<float> bias(g.out_c);
      for (float& x : input) x = d(rng);
      for (float& x : filter) x = d(rng);
      for (float& x : bias) x = d(rng);
      const float lo = (i % 3 == 0) ? 0.0f : -1e30f;
      const float hi = (i % 3 == 0) ? 6.0f : 1e30f;
      const float* b = (i % 4 == 1) ? nullptr : bias.data();
      const size_t out_size = size_t(g.batches) * g.out_h * g.out_w * g.out_c;
      std::vector<float> want(out_size), got(out_size, -12345.0f);
      reference::DepthwiseConvFloat(g, input.data(), filter.data(), b, lo, hi,
                                    want.data());
      std::vector<float> packed;
      optimized::PackDepthwiseF32(g.filter_h * g.filter_w, g.out_c,
                                  filter.data(), b, &packed);
      runtime::ScopedParallel scope(i % 2 ? &pool : (i % 4 == 0 ? &pool3 : nullptr));
      optimized::DepthwiseFloatPacked(isa, g, input.data(), packed.data(), lo,
                                      hi, got.data(),
                                      runtime::CurrentParallel());
      const float tol = testing::RangeTolerance(want, 1e-5f);
      for (size_t j = 0; j < out_size; ++j) {
        ASSERT_NEAR(want[j], got[j], tol) << Describe(g) << " at " << j;
      }
    }
  });
}

}  // namespace
}  // namespace detlite::kernels
