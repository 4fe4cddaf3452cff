// The 8-bit depthwise kernel with accumulators in registers
// (kernels/optimized/dwconv_q8.h) on every instruction set level against the
// reference DEPTHWISE_CONV_2D, bit for bit, under every requantization:
// random shapes (strides, dilations, SAME/VALID, odd sizes), wide MobileNet
// rows with every channel tail, zero points at the extremes, fused clamps.
#include "kernels/optimized/dwconv_q8.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized_test_util.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/reference/requantize.h"
#include "runtime/thread_pool.h"

namespace detlite::kernels {
namespace {

using optimized::Isa;
using testing::Describe;
using testing::RandomInts;
using testing::RandomZeroPoint;

template <typename OutT, typename Requant>
struct Finish {
  const Requant* requant;
  OutT* output;
  int out_c;
  static void Run(const void* self, int64_t p0, int rows, int n0, int nc,
                  const int32_t* acc, int64_t ldc) {
    const auto& f = *static_cast<const Finish*>(self);
    for (int r = 0; r < rows; ++r) {
      for (int n = 0; n < nc; ++n) {
        f.output[(p0 + r) * f.out_c + n0 + n] =
            static_cast<OutT>((*f.requant)(acc[r * ldc + n], n0 + n));
      }
    }
  }
};

// deep: few pixels and many channels (a detector's 10x10 and smaller
// layers), which threads split by channels instead of rows.
ConvGeometry WideGeometry(std::mt19937& rng, bool deep = false) {
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  ConvGeometry g;
  g.in_h = deep ? pick(1, 6) : pick(1, 9);
  g.in_w = deep ? pick(1, 6) : pick(9, 40);
  g.in_c = g.out_c = deep ? pick(33, 130) : pick(1, 70);
  g.filter_h = g.filter_w = pick(0, 3) == 0 ? 5 : 3;
  g.stride_h = g.stride_w = pick(1, 2);
  const PaddingType padding = (pick(0, 1) || g.in_h < g.filter_h ||
                                   g.in_w < g.filter_w)
                                  ? PaddingType::kSame
                                  : PaddingType::kValid;
  const int64_t oh = ConvOutputSize(padding, g.in_h, g.filter_h, g.stride_h, 1);
  const int64_t ow = ConvOutputSize(padding, g.in_w, g.filter_w, g.stride_w, 1);
  g.out_h = static_cast<int32_t>(oh);
  g.out_w = static_cast<int32_t>(ow);
  g.pad_h = ComputeAxisPadding(g.in_h, g.filter_h, g.stride_h, 1, oh).before;
  g.pad_w = ComputeAxisPadding(g.in_w, g.filter_w, g.stride_w, 1, ow).before;
  return g;
}

template <typename T>
void CheckCase(std::mt19937& rng, const ConvGeometry& g,
               const optimized::Parallel& par) {
  const int taps = g.filter_h * g.filter_w;
  const auto input =
      RandomInts<T>(rng, size_t(g.batches) * g.in_h * g.in_w * g.in_c);
  const auto filter = RandomInts<T>(rng, size_t(taps) * g.out_c);
  std::vector<int32_t> bias(g.out_c);
  for (int32_t& b : bias) {
    b = std::uniform_int_distribution<int>(-30000, 30000)(rng);
  }
  const int32_t* b = rng() % 4 != 0 ? bias.data() : nullptr;
  const int32_t input_offset = -RandomZeroPoint<T>(rng);
  const int32_t filter_offset =
      std::is_same_v<T, uint8_t> ? -RandomZeroPoint<T>(rng) : 0;
  const bool per_channel = std::is_same_v<T, int8_t> && (rng() & 1);
  const auto rq = testing::RandomRequant(rng, g.out_c, per_channel,
                                         std::sqrt(double(taps)) * 8000.0);
  const int32_t zp = RandomZeroPoint<T>(rng);
  int32_t act_min = std::numeric_limits<T>::min();
  int32_t act_max = std::numeric_limits<T>::max();
  if (rng() & 1) act_min = std::max(act_min, zp);
  if (rng() % 3 == 0) act_max = std::min(act_max, zp + 30);

  optimized::PackedDwQ8 packed;
  if constexpr (std::is_same_v<T, uint8_t>) {
    optimized::PackDepthwiseQ8(taps, g.out_c, filter.data(), filter_offset, b,
                               input_offset, &packed);
  } else {
    optimized::PackDepthwiseQ8(taps, g.out_c, filter.data(), b, input_offset,
                               &packed);
  }
  const auto* in = reinterpret_cast<const uint8_t*>(input.data());
  const int32_t in_zp = static_cast<uint8_t>(-input_offset);
  constexpr bool kSigned = std::is_same_v<T, int8_t>;
  const size_t out_size = size_t(g.batches) * g.out_h * g.out_w * g.out_c;
  auto check = [&](const auto& requant, const char* what) {
    using Requant = std::decay_t<decltype(requant)>;
    std::vector<T> want(out_size);
    reference::DepthwiseConvQuantized(g, input_offset, filter_offset,
                                      input.data(), filter.data(), b, requant,
                                      want.data());
    for (Isa isa : optimized::SupportedIsas()) {
      std::vector<T> got(out_size, T{0x5a});
      optimized::QGemmOutput out;
      if constexpr (std::is_same_v<Requant, Fp32Requant>) {
        out.scale = requant.scale;
        out.lo = static_cast<float>(requant.act_min - requant.output_zero_point);
        out.hi = static_cast<float>(requant.act_max - requant.output_zero_point);
        out.zero_point = requant.output_zero_point;
        out.out = reinterpret_cast<uint8_t*>(got.data());
        optimized::DepthwiseQ8(isa, g, in, in_zp, kSigned, packed, out,
                               nullptr, nullptr, par);
      } else {
        const Finish<T, Requant> finish{&requant, got.data(), g.out_c};
        optimized::DepthwiseQ8(isa, g, in, in_zp, kSigned, packed, out,
                               &Finish<T, Requant>::Run, &finish, par);
      }
      ASSERT_EQ(want, got) << what << " isa " << optimized::IsaName(isa) << " "
                           << Describe(g) << " input_offset " << input_offset
                           << " filter_offset " << filter_offset;
    }
  };
  check(Fp32Requant{rq.scale.data(), zp, act_min, act_max}, "fp32");
  check(FixedPointRequant{rq.multiplier.data(), rq.shift.data(), zp, act_min,
                          act_max},
        "fixed point");
}

template <typename T>
void CheckMany(uint32_t seed, int count, const optimized::Parallel& par) {
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    ConvGeometry g = testing::RandomGeometry(rng, 1);
    g.out_c = g.in_c;  // depth multiplier 1
    CheckCase<T>(rng, g, par);
    CheckCase<T>(rng, WideGeometry(rng), par);
    CheckCase<T>(rng, WideGeometry(rng, /*deep=*/true), par);
  }
}

TEST(OptimizedDwConvQ8Test, Uint8MatchesReferenceBitExactly) {
  CheckMany<uint8_t>(21, 120, {});
}

TEST(OptimizedDwConvQ8Test, Int8MatchesReferenceBitExactly) {
  CheckMany<int8_t>(22, 120, {});
}

TEST(OptimizedDwConvQ8Test, ThreadedMatchesReferenceBitExactly) {
  for (int threads : {2, 3}) {
    runtime::ThreadPool pool(threads);
    runtime::ScopedParallel scope(&pool);
    CheckMany<uint8_t>(23, 30, runtime::CurrentParallel());
    CheckMany<int8_t>(24, 30, runtime::CurrentParallel());
  }
}

}  // namespace
}  // namespace detlite::kernels
