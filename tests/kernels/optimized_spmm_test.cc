// The sparse 1x1 convolution kernels (kernels/optimized/spmm.h) on every
// instruction set level this machine runs, against the reference
// FULLY_CONNECTED (a 1x1 convolution over `pixels` rows): random weights at
// 0, 50, 75, 90, 97 and 100% zeros, pixel counts and channel counts that
// leave vector and block tails (1, 7, 17, 63, 65, 130 pixels; 1..70
// channels), float within 1e-5 of the output range, int8 sums and
// requantized outputs bit for bit; also with 3 threads.
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

template <typename T, typename Draw>
std::vector<T> SparseWeights(std::mt19937& rng, int64_t n, float zeros,
                             Draw draw) {
  std::vector<T> w(static_cast<size_t>(n));
  std::bernoulli_distribution zero(zeros);
  for (T& v : w) v = zero(rng) ? T{0} : draw();
  return w;
}

struct Case {
  int pixels, in_c, out_c;
  float zeros;
  std::string Describe() const {
    return std::to_string(pixels) + " pixels, " + std::to_string(in_c) +
           " -> " + std::to_string(out_c) + ", zeros " + std::to_string(zeros);
  }
};

template <typename Fn>
void ForEachCase(unsigned seed, Fn&& fn) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> channels(1, 70);
  for (float zeros : kSparsities) {
    for (int pixels : kPixels) {
      fn(rng, Case{pixels, channels(rng), channels(rng), zeros});
    }
  }
}

void CheckFloat(unsigned seed, const optimized::Parallel& par) {
  ForEachCase(seed, [&](std::mt19937& rng, const Case& c) {
    SCOPED_TRACE(c.Describe());
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const auto w = SparseWeights<float>(rng, int64_t{c.in_c} * c.out_c,
                                        c.zeros, [&] { return u(rng); });
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
      optimized::PackSparseF32(isa, c.out_c, c.in_c, w.data(), bias.data(), &p);
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

void CheckInt8(unsigned seed, const optimized::Parallel& par) {
  ForEachCase(seed, [&](std::mt19937& rng, const Case& c) {
    SCOPED_TRACE(c.Describe());
    std::uniform_int_distribution<int> byte(-128, 127);
    std::uniform_int_distribution<int> big(-100000, 100000);
    const auto w = SparseWeights<int8_t>(
        rng, int64_t{c.in_c} * c.out_c, c.zeros,
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
                              input_offset, &p);
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
