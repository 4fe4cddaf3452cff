#include "core/shape.h"

#include <limits>

namespace detlite {

int64_t Shape::FlatSize(int begin, int end) const {
  int64_t n = 1;
  for (int i = begin; i < end; ++i) {
    const int64_t d = dims_[static_cast<size_t>(i)];
    if (d < 0) return -1;
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / d) return -1;
    n *= d;
  }
  return n;
}

int64_t Shape::NumElements() const { return FlatSize(0, rank()); }

bool Shape::IsFullyDefined() const {
  for (int32_t d : dims_) if (d < 0) return false;
  return true;
}

std::string Shape::ToString() const {
  std::string s = "[";
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(dims_[i]);
  }
  return s + "]";
}

}  // namespace detlite
