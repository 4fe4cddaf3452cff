// The optimized constant PAD against the reference on random ranks, sizes
// (zero included) and paddings: the same bytes.
#include "kernels/optimized/pad.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "kernels/reference/pad.h"

namespace detlite::kernels {
namespace {

TEST(OptimizedPad, MatchesReferenceOnRandomGeometries) {
  std::mt19937 rng(7);
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  for (int iter = 0; iter < 500; ++iter) {
    reference::PadGeometry g;
    const int rank = pick(0, 5);
    int64_t n = 1;
    std::string what = "dims";
    for (int d = 0; d < rank; ++d) {
      g.input_dims.push_back(pick(0, 9) == 0 ? 0 : pick(1, 6));
      g.before.push_back(pick(0, 2) == 0 ? pick(0, 3) : 0);
      g.after.push_back(pick(0, 2) == 0 ? pick(0, 3) : 0);
      n *= g.input_dims.back();
      what += " " + std::to_string(g.input_dims.back()) + "(" +
              std::to_string(g.before.back()) + "," +
              std::to_string(g.after.back()) + ")";
    }
    SCOPED_TRACE(what);
    std::vector<int32_t> in(static_cast<size_t>(n));
    for (int32_t& v : in) v = pick(1, 1000);
    int64_t out_n = 1;
    for (int64_t d : g.OutputDims()) out_n *= d;
    std::vector<int32_t> want(static_cast<size_t>(out_n), -1);
    std::vector<int32_t> got(static_cast<size_t>(out_n), -2);
    reference::PadConstant<int32_t>(g, 0, in.data(), want.data());
    optimized::PadConstant<int32_t>(g, 0, in.data(), got.data());
    ASSERT_EQ(got, want);
  }
}

TEST(OptimizedPad, ChannelPadOfNhwcKeepsPixelsAndZeroesNewChannels) {
  reference::PadGeometry g;
  g.input_dims = {1, 1, 2, 2};
  g.before = {0, 0, 0, 0};
  g.after = {0, 0, 0, 2};
  const std::vector<float> in = {1, 2, 3, 4};
  std::vector<float> out(8, -1.0f);
  optimized::PadConstant<float>(g, 0.0f, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{1, 2, 0, 0, 3, 4, 0, 0}));
}

}  // namespace
}  // namespace detlite::kernels
