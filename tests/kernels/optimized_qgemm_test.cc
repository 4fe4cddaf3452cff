// The 8-bit indirect GEMM (kernels/optimized/qgemm.h) on every instruction
// set level that uses it (reference, avxvnni, avx512vnni), against the
// reference CONV_2D, bit for bit, under every requantization the runtime
// uses: random shapes (1x1, KxK, strides, dilations, SAME/VALID, odd sizes),
// channel counts that leave panel tails, per-tensor and per-channel scales,
// zero points at the extremes, and fused activation clamps.
#include "kernels/optimized/qgemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized_test_util.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/requantize.h"
#include "runtime/thread_pool.h"

namespace detlite::kernels {
namespace {

using optimized::Isa;
using testing::Describe;
using testing::RandomInts;
using testing::RandomZeroPoint;

// The levels of this machine whose 8-bit convolutions use the GEMM.
std::vector<Isa> QGemmIsas() {
  std::vector<Isa> out;
  for (Isa isa : optimized::SupportedIsas()) {
    if (optimized::UsesQGemm(isa)) out.push_back(isa);
  }
  return out;
}

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

// One convolution through PackConvQ8 + ConvQ8Igemm at `isa`.
template <typename T, typename Requant>
std::vector<T> RunQGemm(Isa isa, const ConvGeometry& g, int32_t input_offset,
                        int32_t filter_offset, const std::vector<T>& input,
                        const std::vector<T>& filter,
                        const std::vector<int32_t>* bias,
                        const Requant& requant, const optimized::Parallel& par) {
  const int taps = g.filter_h * g.filter_w;
  const int32_t* b = bias != nullptr ? bias->data() : nullptr;
  optimized::PackedConvQ8 packed;
  if constexpr (std::is_same_v<T, uint8_t>) {
    optimized::PackConvQ8(isa, g.out_c, taps, g.in_c, filter.data(),
                          filter_offset, b, input_offset, &packed);
  } else {
    optimized::PackConvQ8(isa, g.out_c, taps, g.in_c, filter.data(), b,
                          input_offset, &packed);
  }
  std::vector<T> got(size_t(g.batches) * g.out_h * g.out_w * g.out_c,
                     T{0x5a});
  const auto* in = reinterpret_cast<const uint8_t*>(input.data());
  const int32_t zp = static_cast<uint8_t>(-input_offset);
  optimized::QGemmOutput out;
  if constexpr (std::is_same_v<Requant, Fp32Requant>) {
    out.scale = requant.scale;
    out.lo = static_cast<float>(requant.act_min - requant.output_zero_point);
    out.hi = static_cast<float>(requant.act_max - requant.output_zero_point);
    out.zero_point = requant.output_zero_point;
    out.out = reinterpret_cast<uint8_t*>(got.data());
    optimized::ConvQ8Igemm(g, in, zp, packed, out, nullptr, nullptr, par);
  } else {
    const Finish<T, Requant> finish{&requant, got.data(), g.out_c};
    optimized::ConvQ8Igemm(g, in, zp, packed, out, &Finish<T, Requant>::Run,
                           &finish, par);
  }
  return got;
}

template <typename T>
void CheckCase(std::mt19937& rng, const ConvGeometry& g,
               const optimized::Parallel& par) {
  const int k = g.filter_h * g.filter_w * g.in_c;
  const auto input =
      RandomInts<T>(rng, size_t(g.batches) * g.in_h * g.in_w * g.in_c);
  const auto filter = RandomInts<T>(rng, size_t(g.out_c) * k);
  std::vector<int32_t> bias(g.out_c);
  for (int32_t& b : bias) {
    b = std::uniform_int_distribution<int>(-70000, 70000)(rng);
  }
  const bool with_bias = rng() % 4 != 0;
  const int32_t input_offset = -RandomZeroPoint<T>(rng);
  // int8 filters are symmetric; uint8 ones have any zero point, 128 (no
  // input sums needed) among them.
  int32_t filter_offset = 0;
  if constexpr (std::is_same_v<T, uint8_t>) {
    filter_offset = rng() % 4 == 0 ? -128 : -RandomZeroPoint<T>(rng);
  }
  const bool per_channel = std::is_same_v<T, int8_t> && (rng() & 1);
  const auto rq = testing::RandomRequant(rng, g.out_c, per_channel,
                                         std::sqrt(double(k)) * 8000.0);
  const int32_t zp = RandomZeroPoint<T>(rng);
  int32_t act_min = std::numeric_limits<T>::min();
  int32_t act_max = std::numeric_limits<T>::max();
  switch (rng() % 3) {
    case 0:
      act_min = std::max(act_min, zp);  // ReLU
      break;
    case 1:  // ReLU6-like: a band around the zero point
      act_min = std::max(act_min, zp - 20);
      act_max = std::min(act_max, zp + 40);
      break;
    default:
      break;
  }
  const std::vector<int32_t>* b = with_bias ? &bias : nullptr;
  auto check = [&](const auto& requant, const char* what) {
    std::vector<T> want(size_t(g.batches) * g.out_h * g.out_w * g.out_c);
    reference::ConvQuantized(g, input_offset, filter_offset, input.data(),
                             filter.data(), with_bias ? bias.data() : nullptr,
                             requant, want.data());
    for (Isa isa : QGemmIsas()) {
      const std::vector<T> got = RunQGemm(isa, g, input_offset, filter_offset,
                                          input, filter, b, requant, par);
      ASSERT_EQ(want, got) << what << " isa " << optimized::IsaName(isa) << " "
                           << Describe(g) << " input_offset " << input_offset
                           << " filter_offset " << filter_offset;
    }
  };
  check(Fp32Requant{rq.scale.data(), zp, act_min, act_max}, "fp32");
  check(FixedPointRequant{rq.multiplier.data(), rq.shift.data(), zp, act_min,
                          act_max},
        "fixed point");
  check(SingleRoundingRequant{rq.multiplier.data(), rq.shift.data(), zp,
                              act_min, act_max},
        "single rounding");
}

template <typename T>
void CheckRandomCases(uint32_t seed, int count,
                      const optimized::Parallel& par) {
  std::mt19937 rng(seed);
  for (int i = 0; i < count; ++i) {
    // Up to three AVX512-VNNI panels, with every tail width.
    const int out_c = std::uniform_int_distribution<int>(1, 80)(rng);
    CheckCase<T>(rng, testing::RandomGeometry(rng, out_c), par);
  }
}

TEST(OptimizedQGemmTest, LevelsIncludeTheReference) {
  const std::vector<Isa> isas = QGemmIsas();
  ASSERT_FALSE(isas.empty());
  EXPECT_EQ(isas.front(), Isa::kReference);
  EXPECT_FALSE(optimized::UsesQGemm(Isa::kAvx2));
  EXPECT_TRUE(optimized::UsesQGemm(Isa::kAvx512Vnni));
}

TEST(OptimizedQGemmTest, Uint8MatchesReferenceBitExactly) {
  CheckRandomCases<uint8_t>(11, 200, {});
}

TEST(OptimizedQGemmTest, Int8MatchesReferenceBitExactly) {
  CheckRandomCases<int8_t>(12, 200, {});
}

TEST(OptimizedQGemmTest, ThreadedMatchesReferenceBitExactly) {
  runtime::ThreadPool pool(3);
  runtime::ScopedParallel scope(&pool);
  CheckRandomCases<uint8_t>(13, 40, runtime::CurrentParallel());
  CheckRandomCases<int8_t>(14, 40, runtime::CurrentParallel());
}

// Detector-head layers with few pixels and many channels, which the threads
// split across panels (gemm_partition.h), and a stem split across tiles.
TEST(OptimizedQGemmTest, ThreadedHeadShapesMatchReferenceBitExactly) {
  struct Case {
    int size, in_c, out_c, f, stride;
  };
  const Case cases[] = {{5, 96, 300, 1, 1}, {3, 64, 546, 1, 1},
                        {10, 40, 200, 1, 1}, {4, 24, 90, 3, 1},
                        {2, 33, 97, 3, 2},  {31, 3, 32, 3, 2}};
  std::mt19937 rng(17);
  for (int threads : {2, 3}) {
    runtime::ThreadPool pool(threads);
    runtime::ScopedParallel scope(&pool);
    for (const Case& c : cases) {
      ConvGeometry g;
      g.in_h = g.in_w = c.size;
      g.in_c = c.in_c;
      g.out_c = c.out_c;
      g.filter_h = g.filter_w = c.f;
      g.stride_h = g.stride_w = c.stride;
      g.out_h = g.out_w = (c.size + c.stride - 1) / c.stride;
      g.pad_h = g.pad_w =
          ComputeAxisPadding(c.size, c.f, c.stride, 1, g.out_h).before;
      CheckCase<uint8_t>(rng, g, runtime::CurrentParallel());
      CheckCase<int8_t>(rng, g, runtime::CurrentParallel());
    }
  }
}

// Named layer shapes: a MobileNet-sized 1x1, 3x3 stride 1 and 2 with SAME
// and VALID padding, the RGB stem (3 channels: only a partial group of 4),
// and odd channel counts around the panel widths.
TEST(OptimizedQGemmTest, LayerShapesMatchReferenceBitExactly) {
  struct Case {
    int size, in_c, out_c, f, stride;
    PaddingType padding;
  };
  const Case cases[] = {
      {19, 96, 144, 1, 1, PaddingType::kValid},
      {17, 32, 33, 3, 1, PaddingType::kSame},
      {21, 16, 37, 3, 2, PaddingType::kSame},
      {20, 24, 31, 3, 2, PaddingType::kValid},
      {23, 3, 32, 3, 2, PaddingType::kSame},
      {9, 7, 17, 3, 1, PaddingType::kValid},
      {5, 65, 15, 1, 1, PaddingType::kSame},
  };
  std::mt19937 rng(15);
  for (const Case& c : cases) {
    ConvGeometry g;
    g.in_h = g.in_w = c.size;
    g.in_c = c.in_c;
    g.out_c = c.out_c;
    g.filter_h = g.filter_w = c.f;
    g.stride_h = g.stride_w = c.stride;
    g.out_h = g.out_w =
        static_cast<int32_t>(ConvOutputSize(c.padding, c.size, c.f, c.stride, 1));
    g.pad_h = g.pad_w =
        ComputeAxisPadding(c.size, c.f, c.stride, 1, g.out_h).before;
    for (int rep = 0; rep < 3; ++rep) {
      CheckCase<uint8_t>(rng, g, {});
      CheckCase<int8_t>(rng, g, {});
    }
  }
}

// Convolutions with fewer than kIm2colBelowChannels input channels copy each
// window into one row (im2col.h): interior windows one run of filter_w *
// in_c bytes per filter row (runs of 1-3, 4-7, 8-15 and 16+ bytes take
// different copies), windows on the border tap by tap with the zero point,
// dilated windows always tap by tap; two images, odd sizes, both paddings.
TEST(OptimizedQGemmTest, FewChannelIm2colMatchesReferenceBitExactly) {
  struct Filter {
    int h, w, dilation;
  };
  const Filter filters[] = {{3, 3, 1}, {7, 7, 1}, {5, 5, 1}, {2, 3, 1},
                            {1, 2, 1}, {3, 3, 2}};
  std::mt19937 rng(16);
  for (int in_c = 1; in_c < optimized::kIm2colBelowChannels; ++in_c) {
    for (const Filter& f : filters) {
      for (int stride = 1; stride <= 2; ++stride) {
        for (PaddingType padding : {PaddingType::kSame, PaddingType::kValid}) {
          ConvGeometry g;
          g.batches = 2;
          g.in_h = 13;
          g.in_w = 19;
          g.in_c = in_c;
          g.out_c = 1 + static_cast<int>(rng() % 40);
          g.filter_h = f.h;
          g.filter_w = f.w;
          g.stride_h = g.stride_w = stride;
          g.dilation_h = g.dilation_w = f.dilation;
          const int64_t oh = ConvOutputSize(padding, g.in_h, f.h, stride, f.dilation);
          const int64_t ow = ConvOutputSize(padding, g.in_w, f.w, stride, f.dilation);
          g.out_h = static_cast<int32_t>(oh);
          g.out_w = static_cast<int32_t>(ow);
          g.pad_h = ComputeAxisPadding(g.in_h, f.h, stride, f.dilation, oh).before;
          g.pad_w = ComputeAxisPadding(g.in_w, f.w, stride, f.dilation, ow).before;
          CheckCase<uint8_t>(rng, g, {});
          CheckCase<int8_t>(rng, g, {});
        }
      }
    }
  }
}

}  // namespace
}  // namespace detlite::kernels
