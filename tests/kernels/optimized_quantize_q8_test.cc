// The optimized float -> int8/uint8 QUANTIZE against the reference
// (XNNPACK's arithmetic) on every instruction set level: the same bytes,
// ties, saturation and NaN included.
#include "kernels/optimized/quantize_q8.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernels/optimized_test_util.h"
#include "kernels/reference/dequantize.h"
#include "kernels/reference/quantize.h"
#include "runtime/thread_pool.h"

namespace detlite::kernels {
namespace {

template <typename T>
void CheckRandom() {
  testing::ForEachIsa([](optimized::Isa isa) {
    std::mt19937 rng(9);
    for (int iter = 0; iter < 100; ++iter) {
      const int64_t n = std::uniform_int_distribution<int>(0, 300)(rng);
      const float scale = std::uniform_real_distribution<float>(0.001f, 0.1f)(rng);
      const int32_t zp = testing::RandomZeroPoint<T>(rng);
      std::uniform_real_distribution<float> d(-300 * scale, 300 * scale);
      std::vector<float> in(static_cast<size_t>(n));
      for (float& v : in) v = d(rng);
      // Exact ties (k + 0.5 steps), infinities and NaN.
      for (int64_t i = 0; i + 4 < n; i += 7) {
        in[static_cast<size_t>(i)] = (static_cast<float>(i % 9) - 4.0f + 0.5f) * scale;
        in[static_cast<size_t>(i + 1)] = std::numeric_limits<float>::quiet_NaN();
        in[static_cast<size_t>(i + 2)] = -std::numeric_limits<float>::infinity();
        in[static_cast<size_t>(i + 3)] = std::numeric_limits<float>::infinity();
      }
      std::vector<T> want(static_cast<size_t>(n)), got(static_cast<size_t>(n), 7);
      reference::QuantizeFloatXnnpack<T>(in.data(), n, scale, zp, want.data());
      optimized::QuantizeQ8<T>(isa, in.data(), n, scale, zp, got.data(), {});
      ASSERT_EQ(got, want) << "iter " << iter << " n " << n << " zp " << zp;
    }
  });
}

TEST(OptimizedQuantizeQ8, Int8MatchesReferenceOnEveryIsa) { CheckRandom<int8_t>(); }
TEST(OptimizedQuantizeQ8, Uint8MatchesReferenceOnEveryIsa) { CheckRandom<uint8_t>(); }

// DEQUANTIZE (per tensor) against reference::DequantizePerAxis: the same
// float bits, every byte value, lengths off the vector widths, and a tensor
// long enough to be split across threads.
template <typename T>
void CheckDequantize() {
  runtime::ThreadPool pool(2);
  testing::ForEachIsa([&](optimized::Isa isa) {
    std::mt19937 rng(10);
    for (int iter = 0; iter < 60; ++iter) {
      const int64_t n = iter == 0 ? 200000 : std::uniform_int_distribution<int>(0, 300)(rng);
      const float scale = std::uniform_real_distribution<float>(0.0001f, 2.0f)(rng);
      const int32_t zp = testing::RandomZeroPoint<T>(rng);
      std::vector<T> in(static_cast<size_t>(n));
      for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<T>(rng());
      std::vector<float> want(in.size()), got(in.size(), -1.0f);
      reference::DequantizePerAxis<T>(in.data(), 1, 1, n, &scale, &zp, want.data());
      runtime::ScopedParallel scope(iter % 2 == 0 ? &pool : nullptr);
      optimized::DequantizeQ8<T>(isa, in.data(), n, scale, zp, got.data(),
                                 runtime::CurrentParallel());
      ASSERT_TRUE(want.empty() || std::memcmp(got.data(), want.data(), want.size() * sizeof(float)) == 0)
          << "iter " << iter << " n " << n;
    }
  });
}

TEST(OptimizedQuantizeQ8, DequantizeInt8MatchesReferenceOnEveryIsa) {
  CheckDequantize<int8_t>();
}
TEST(OptimizedQuantizeQ8, DequantizeUint8MatchesReferenceOnEveryIsa) {
  CheckDequantize<uint8_t>();
}

}  // namespace
}  // namespace detlite::kernels
