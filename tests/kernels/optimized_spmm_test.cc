// The sparse 1x1 convolution kernels (kernels/optimized/spmm.h) on every
// instruction set level this machine runs, against the reference
// FULLY_CONNECTED (a 1x1 convolution over `pixels` rows): random weights at
// 0, 50, 75, 90, 97 and 100% zeros, pixel counts and channel counts that
// leave vector and block tails (1, 7, 17, 63, 65, 130 pixels; 1..70
// channels), float within 1e-5 of the output range, int8 sums and
// requantized outputs bit for bit; also with 3 threads. The same for the
// 4x1-block kernel, on weights whose zeros come in 4x1 blocks (0-100% of
// the blocks) and on unblocked ones (a kept block then holds zeros).
#include "kernels/optimized/spmm.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "kernels/optimized_test_util.h"
#include "kernels/reference/fully_connected.h"
#include "kernels/reference/requantize.h"
#include "runtime/thread_pool.h"

namespace detlite::kernels {
namespace {

constexpr float kSparsities[] = {0.0f, 0.5f, 0.75f, 0.9f, 0.97f, 1.0f};
constexpr int kPixels[] = {1, 7, 17, 63, 65, 130};

// [out_c][in_c] weights with `zeros` of them zero, or of their 4x1 blocks
// (output channels 4g..4g+3 at one input channel) when `blocks`.
template <typename T, typename Draw>
std::vector<T> SparseWeights(std::mt19937& rng, int out_c, int in_c,
                             float zeros, bool blocks, Draw draw) {
  std::vector<T> w(static_cast<size_t>(out_c) * in_c);
  std::bernoulli_distribution zero(zeros);
  for (int g = 0; g < out_c; g += blocks ? 4 : 1) {
    for (int ic = 0; ic < in_c; ++ic) {
      const bool z = zero(rng);
      for (int oc = g; oc < std::min(out_c, g + (blocks ? 4 : 1)); ++oc) {
        w[static_cast<size_t>(oc) * in_c + ic] = z ? T{0} : draw();
      }
    }
  }
  return w;
}

struct Case {
  int pixels, in_c, out_c;
  float zeros;
  int block = 1;        // the packing: 1 or 4 (4x1)
  bool blocked = false;  // zeros drawn per 4x1 block
  std::string Describe() const {
    return std::to_string(pixels) + " pixels, " + std::to_string(in_c) +
           " -> " + std::to_string(out_c) + ", zeros " + std::to_string(zeros) +
           ", packed block " + std::to_string(block) +
           (blocked ? ", zeros in blocks" : "");
  }
};

template <typename Fn>
void ForEachCase(unsigned seed, int block, Fn&& fn) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> channels(1, 70);
  for (bool blocked : {false, true}) {
    if (blocked && block == 1) continue;
    for (float zeros : kSparsities) {
      for (int pixels : kPixels) {
        fn(rng, Case{pixels, channels(rng), channels(rng), zeros, block, blocked});
      }
    }
  }
}

void CheckFloat(unsigned seed, const optimized::Parallel& par, int block = 1) {
  ForEachCase(seed, block, [&](std::mt19937& rng, const Case& c) {
    SCOPED_TRACE(c.Describe());
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const auto w = SparseWeights<float>(rng, c.out_c, c.in_c, c.zeros,
                                        c.blocked, [&] { return u(rng); });
    std::vector<float> bias(static_cast<size_t>(c.out_c)), in(
        static_cast<size_t>(c.pixels) * c.in_c);
    for (float& v : bias) v = u(rng);
    for (float& v : in) v = 2 * u(rng);
    const float lo = -0.5f, hi = 1.5f;
    std::vector<float> want(static_cast<size_t>(c.pixels) * c.out_c);
    reference::FullyConnectedFloat({c.pixels, c.in_c, c.out_c}, in.data(),
                                   w.data(), bias.data(), lo, hi, want.data());
    testing::ForEachIsa([&](optimized::Isa isa) {
      optimized::PackedSparse p;
      optimized::PackSparseF32(isa, c.out_c, c.in_c, w.data(), bias.data(), &p,
                               c.block);
      ASSERT_EQ(p.block, c.block);
      std::vector<float> got(want.size(), -7.0f);
      optimized::SpmmF32(c.pixels, in.data(), p, lo, hi, got.data(), par);
      const float tol = testing::RangeTolerance(want, 1e-5f);
      for (size_t i = 0; i < want.size(); ++i) {
        ASSERT_NEAR(got[i], want[i], tol) << "output " << i;
      }
    });
  });
}

struct RequantFinish {
  const Fp32Requant* requant;
  int8_t* out;
  int out_c;
  static void Run(const void* self, int64_t p0, int rows, int oc0, int nc,
                  const int32_t* acc, int64_t ldc) {
    const auto& f = *static_cast<const RequantFinish*>(self);
    for (int r = 0; r < rows; ++r) {
      for (int n = 0; n < nc; ++n) {
        f.out[(p0 + r) * f.out_c + oc0 + n] =
            static_cast<int8_t>((*f.requant)(acc[r * ldc + n], oc0 + n));
      }
    }
  }
};

void CheckInt8(unsigned seed, const optimized::Parallel& par, int block = 1) {
  ForEachCase(seed, block, [&](std::mt19937& rng, const Case& c) {
    SCOPED_TRACE(c.Describe());
    std::uniform_int_distribution<int> byte(-128, 127);
    std::uniform_int_distribution<int> big(-100000, 100000);
    const auto w = SparseWeights<int8_t>(
        rng, c.out_c, c.in_c, c.zeros, c.blocked,
        [&] { return static_cast<int8_t>(byte(rng)); });
    std::vector<int32_t> bias(static_cast<size_t>(c.out_c));
    for (int32_t& v : bias) v = big(rng);
    std::vector<int8_t> in(static_cast<size_t>(c.pixels) * c.in_c);
    for (int8_t& v : in) v = static_cast<int8_t>(byte(rng));
    const int32_t input_offset = -byte(rng);  // any zero point
    std::vector<float> scale(static_cast<size_t>(c.out_c));
    std::uniform_real_distribution<float> s(1e-5f, 2e-3f);
    for (float& v : scale) v = s(rng);
    const Fp32Requant requant{scale.data(), byte(rng) / 2, -128, 127};
    std::vector<int8_t> want(static_cast<size_t>(c.pixels) * c.out_c);
    reference::FullyConnectedQuantized(
        {c.pixels, c.in_c, c.out_c}, input_offset, 0, in.data(), w.data(),
        bias.data(), requant, want.data());
    testing::ForEachIsa([&](optimized::Isa isa) {
      optimized::PackedSparse p;
      optimized::PackSparseQ8(isa, c.out_c, c.in_c, w.data(), bias.data(),
                              input_offset, &p, c.block);
      std::vector<int8_t> got(want.size(), 99);
      const RequantFinish finish{&requant, got.data(), c.out_c};
      optimized::SpmmQ8(c.pixels, in.data(), p, &RequantFinish::Run, &finish,
                        par);
      ASSERT_EQ(got, want);
    });
  });
}

TEST(OptimizedSpmm, FloatMatchesReference) {
  CheckFloat(1, optimized::Parallel{});
}

TEST(OptimizedSpmm, Int8MatchesReferenceBitForBit) {
  CheckInt8(2, optimized::Parallel{});
}

TEST(OptimizedSpmm, ThreadsGiveTheSameOutputs) {
  runtime::ThreadPool pool(3);
  runtime::ScopedParallel scope(&pool);
  CheckFloat(3, runtime::CurrentParallel());
  CheckInt8(4, runtime::CurrentParallel());
}

TEST(OptimizedSpmm, Block4x1FloatMatchesReference) {
  CheckFloat(5, optimized::Parallel{}, 4);
}

TEST(OptimizedSpmm, Block4x1Int8MatchesReferenceBitForBit) {
  CheckInt8(6, optimized::Parallel{}, 4);
}

TEST(OptimizedSpmm, Block4x1ThreadsGiveTheSameOutputs) {
  runtime::ThreadPool pool(3);
  runtime::ScopedParallel scope(&pool);
  CheckFloat(7, runtime::CurrentParallel(), 4);
  CheckInt8(8, runtime::CurrentParallel(), 4);
}

TEST(OptimizedSpmm, Block4x1PackingKeepsBlocksWithANonzero) {
  // 6 x 3: group 0 (channels 0-3) has weights at input 0 and 2, group 1
  // (channels 4-5, padded to 4) at input 1 only.
  const std::vector<float> w = {1, 0, 0,  0, 0, 0,  0, 0, 2,  0, 0, 0,
                                0, 3, 0,  0, 4, 0};
  optimized::PackedSparse p;
  optimized::PackSparseF32(optimized::Isa::kReference, 6, 3, w.data(), nullptr,
                           &p, 4);
  EXPECT_EQ(p.nonzeros, 12);
  EXPECT_EQ(p.start, (std::vector<int32_t>{0, 2, 3}));
  EXPECT_EQ(p.offset, (std::vector<int32_t>{0, 2 * p.pb, 1 * p.pb}));
  EXPECT_EQ(p.value_f32, (std::vector<float>{1, 0, 0, 0, 0, 0, 2, 0, 3, 4, 0, 0}));
  EXPECT_EQ(p.bias_f32.size(), 8u);
  // 3 of 6 blocks are all zero.
  EXPECT_FLOAT_EQ(optimized::BlockZeroShare(w.data(), 6, 3), 0.5f);
}

TEST(OptimizedSpmm, PackingSkipsZerosAndCountsThem) {
  const std::vector<float> w = {0, 1, 0, 2, 0, 0, 0, 3};  // 2 x 4
  optimized::PackedSparse p;
  optimized::PackSparseF32(optimized::Isa::kReference, 2, 4, w.data(), nullptr,
                           &p);
  EXPECT_EQ(p.nonzeros, 3);
  EXPECT_EQ(p.start, (std::vector<int32_t>{0, 2, 3}));
  EXPECT_EQ(p.offset, (std::vector<int32_t>{1 * p.pb, 3 * p.pb, 3 * p.pb}));
  EXPECT_FLOAT_EQ(optimized::ZeroShare(w.data(), 8), 5.0f / 8);
}

}  // namespace
}  // namespace detlite::kernels
