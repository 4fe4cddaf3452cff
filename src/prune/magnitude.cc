#include "prune/magnitude.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace detlite::prune {
namespace {

// Zeroes the `count` groups of smallest score (mean square, so that a
// shorter last group ranks like the others); group_of maps a weight to its
// group.
template <typename GroupOf>
std::vector<bool> ZeroSmallestGroups(const std::vector<float>& w, int64_t groups, int64_t count,
                                     GroupOf group_of) {
  std::vector<double> score(static_cast<size_t>(groups), 0.0);
  std::vector<int> size(static_cast<size_t>(groups), 0);
  for (size_t e = 0; e < w.size(); ++e) {
    const auto g = static_cast<size_t>(group_of(static_cast<int64_t>(e)));
    score[g] += static_cast<double>(w[e]) * static_cast<double>(w[e]);
    ++size[g];
  }
  for (size_t g = 0; g < score.size(); ++g) score[g] /= std::max(size[g], 1);
  std::vector<int64_t> order(static_cast<size_t>(groups));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return score[static_cast<size_t>(a)] < score[static_cast<size_t>(b)];
  });
  std::vector<bool> zero_group(static_cast<size_t>(groups), false);
  for (int64_t k = 0; k < count && k < groups; ++k) zero_group[static_cast<size_t>(order[static_cast<size_t>(k)])] = true;
  std::vector<bool> mask(w.size(), false);
  for (size_t e = 0; e < w.size(); ++e) {
    mask[e] = zero_group[static_cast<size_t>(group_of(static_cast<int64_t>(e)))];
  }
  return mask;
}

}  // namespace

Status CheckPrunable(const Shape& shape, PruneBlock block, PrunePattern pattern) {
  if (shape.rank() < 2) return InvalidArgument("weights of shape " + shape.ToString() + " are not a layer's");
  const int32_t in = shape.dim(shape.rank() - 1);
  if ((block == PruneBlock::k1x4 || pattern == PrunePattern::k2of4) && in % 4 != 0) {
    return InvalidArgument(std::string(pattern == PrunePattern::k2of4 ? "pattern 2:4" : "block 1x4") +
                           " needs input channels divisible by 4, weights " + shape.ToString() +
                           " have " + std::to_string(in));
  }
  // 4x1 takes any output channel count: the last block is shorter (SSD class
  // heads have 3 or 6 anchors x 91 classes). Such a layer cannot be stored
  // in TFLite's block format (the block must divide the dimension) and is
  // stored as single weights; the runtime finds the blocks from the values.
  return Status::Ok();
}

std::vector<bool> MagnitudeMask(const std::vector<float>& w, const Shape& shape, float sparsity,
                                PruneBlock block, PrunePattern pattern) {
  const auto n = static_cast<int64_t>(w.size());
  const int64_t inner = n / std::max(shape.dim(0), 1);  // weights per output channel
  auto count_of = [&](int64_t groups) {
    return static_cast<int64_t>(std::llround(static_cast<double>(sparsity) * static_cast<double>(groups)));
  };
  if (pattern == PrunePattern::k2of4) {
    std::vector<bool> mask(w.size(), false);
    if (sparsity < 0.5f) return mask;
    for (int64_t g = 0; g + 4 <= n; g += 4) {
      int64_t idx[4] = {g, g + 1, g + 2, g + 3};
      std::stable_sort(idx, idx + 4, [&](int64_t a, int64_t b) {
        return std::fabs(w[static_cast<size_t>(a)]) < std::fabs(w[static_cast<size_t>(b)]);
      });
      mask[static_cast<size_t>(idx[0])] = mask[static_cast<size_t>(idx[1])] = true;
    }
    return mask;
  }
  switch (block) {
    case PruneBlock::k1x4:
      return ZeroSmallestGroups(w, n / 4, count_of(n / 4), [](int64_t e) { return e / 4; });
    case PruneBlock::k4x1: {
      const int64_t groups = (std::max(shape.dim(0), 1) + 3) / 4 * inner;
      return ZeroSmallestGroups(w, groups, count_of(groups), [inner](int64_t e) {
        return (e / inner) / 4 * inner + e % inner;
      });
    }
    case PruneBlock::k1x1:
      break;
  }
  return ZeroSmallestGroups(w, n, count_of(n), [](int64_t e) { return e; });
}

}  // namespace detlite::prune
