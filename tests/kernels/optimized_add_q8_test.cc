// The optimized uint8/int8 ADD and SUB against XNNPACK's arithmetic in the
// reference (reference/xnnpack_quantized.h) on every instruction set level:
// the same bytes for random scales, zero points and activation bounds.
#include "kernels/optimized/add_q8.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernels/optimized_test_util.h"

namespace detlite::kernels {
namespace {

template <typename T>
void CheckRandom() {
  testing::ForEachIsa([](optimized::Isa isa) {
    std::mt19937 rng(21);
    std::uniform_real_distribution<float> scale(0.01f, 0.2f);
    int checked = 0;
    for (int iter = 0; iter < 200; ++iter) {
      const int64_t n = std::uniform_int_distribution<int>(0, 200)(rng);
      reference::XnnpackAddParams p;
      const bool sub = rng() & 1;
      if (!reference::PrepareXnnpackAdd(scale(rng), testing::RandomZeroPoint<T>(rng),
                                        scale(rng), testing::RandomZeroPoint<T>(rng),
                                        scale(rng), testing::RandomZeroPoint<T>(rng),
                                        sub, &p)) {
        continue;
      }
      p.activation_min = std::numeric_limits<T>::min();
      p.activation_max = std::numeric_limits<T>::max();
      if (rng() & 1) p.activation_min = std::max<int32_t>(p.activation_min, p.output_zero_point);
      const auto a = testing::RandomInts<T>(rng, static_cast<size_t>(n));
      const auto b = testing::RandomInts<T>(rng, static_cast<size_t>(n));
      const Shape s({static_cast<int32_t>(n)});
      std::vector<T> want(static_cast<size_t>(n)), got(static_cast<size_t>(n), 3);
      reference::XnnpackAdd<T>(p, s, a.data(), s, b.data(), s, want.data());
      optimized::AddQ8<T>(isa, p, a.data(), b.data(), n, got.data(), {});
      ASSERT_EQ(got, want) << "iter " << iter;
      ++checked;
    }
    EXPECT_GT(checked, 100);
  });
}

TEST(OptimizedAddQ8, Int8MatchesXnnpackArithmeticOnEveryIsa) { CheckRandom<int8_t>(); }
TEST(OptimizedAddQ8, Uint8MatchesXnnpackArithmeticOnEveryIsa) { CheckRandom<uint8_t>(); }

}  // namespace
}  // namespace detlite::kernels
