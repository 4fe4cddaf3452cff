// The optimized float -> int8/uint8 QUANTIZE against the reference
// (XNNPACK's arithmetic) on every instruction set level: the same bytes,
// ties, saturation and NaN included.
#include "kernels/optimized/quantize_q8.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/optimized_test_util.h"
#include "kernels/reference/quantize.h"

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

}  // namespace
}  // namespace detlite::kernels
