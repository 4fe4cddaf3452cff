#include "passes/ssd/value_grid.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace detlite::ssd {

float StorageStep(const float* values, size_t n, size_t stride) {
  constexpr size_t kMinDistinct = 8;
  constexpr double kMaxLevels = 255.0;
  // Levels are decoded in float32 (min + level * scale), so a value may be
  // a few ulps off its level.
  constexpr double kSlack = 0.02;
  if (stride == 0) return 0;
  std::vector<float> v;
  v.reserve(n / stride + 1);
  for (size_t i = 0; i < n; i += stride) v.push_back(values[i]);
  for (const float x : v) {
    if (!std::isfinite(x)) return 0;
  }
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  if (v.size() < kMinDistinct || v.size() > kMaxLevels + 1) return 0;
  const double span = static_cast<double>(v.back()) - static_cast<double>(v.front());
  const auto on_grid = [&](double step) {
    for (const float x : v) {
      const double k = (static_cast<double>(x) - static_cast<double>(v.front())) / step;
      if (std::fabs(k - std::round(k)) > kSlack) return false;
    }
    return true;
  };
  // The coarsest grid over the span that holds every value. Values may skip
  // levels (handtrack's anchor centres use every third of 255), so that grid
  // can be a whole multiple of the stored one: refine it as far as 255
  // levels allow (a smaller step only tightens the use made of it). A grid of
  // fewer than 64 levels is not taken for an 8-bit store: exact float values
  // on a grid of a few cells look the same.
  constexpr double kMinLevels = 64.0;
  for (double levels = 1; levels <= kMaxLevels; ++levels) {
    if (!on_grid(span / levels)) continue;
    if (levels < kMinLevels) return 0;
    return static_cast<float>(span / (levels * std::floor(kMaxLevels / levels)));
  }
  return 0;
}

float AnchorStorageStep(const float* anchors, size_t n) {
  const float whole = StorageStep(anchors, n, 1);
  if (whole > 0) return whole;
  float widest = 0;
  for (size_t c = 0; c < 4 && c < n; ++c) {
    const float step = StorageStep(anchors + c, n - c, 4);
    if (step == 0) return 0;
    widest = std::max(widest, step);
  }
  return widest;
}

}  // namespace detlite::ssd
