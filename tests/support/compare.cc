#include "support/compare.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

namespace detlite::testing {
namespace {

template <typename T>
Diff CompareTyped(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  Diff d;
  if (a.size() != b.size() || a.size() % sizeof(T) != 0) {
    d.count = -1;
    return d;
  }
  d.count = static_cast<int64_t>(a.size() / sizeof(T));
  double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
  for (int64_t i = 0; i < d.count; ++i) {
    T x, y;
    std::memcpy(&x, a.data() + i * sizeof(T), sizeof(T));
    std::memcpy(&y, b.data() + i * sizeof(T), sizeof(T));
    const double dx = static_cast<double>(x), dy = static_cast<double>(y);
    lo = std::min(lo, dy);
    hi = std::max(hi, dy);
    double diff = std::fabs(dx - dy);
    if (std::isnan(dx) != std::isnan(dy)) diff = std::numeric_limits<double>::infinity();
    if (std::isnan(dx) && std::isnan(dy)) diff = 0;
    if (diff > d.max_abs) {
      d.max_abs = diff;
      d.worst_index = i;
    }
  }
  d.range = d.count ? hi - lo : 0;
  d.relative = d.range > 0 ? d.max_abs / d.range : d.max_abs;
  return d;
}

}  // namespace

std::string Diff::ToString() const {
  std::ostringstream s;
  s << "max_abs=" << max_abs << " range=" << range << " relative=" << relative
    << " n=" << count << " worst_index=" << worst_index;
  return s.str();
}

Diff CompareBuffers(const std::string& dtype, const std::vector<uint8_t>& ours,
                    const std::vector<uint8_t>& reference) {
  if (dtype == "float32") return CompareTyped<float>(ours, reference);
  if (dtype == "uint8") return CompareTyped<uint8_t>(ours, reference);
  if (dtype == "int8") return CompareTyped<int8_t>(ours, reference);
  if (dtype == "int16") return CompareTyped<int16_t>(ours, reference);
  if (dtype == "int32") return CompareTyped<int32_t>(ours, reference);
  if (dtype == "int64") return CompareTyped<int64_t>(ours, reference);
  Diff d;
  d.count = -1;
  return d;
}

}  // namespace detlite::testing
