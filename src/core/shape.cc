#include "core/shape.h"

#include <limits>

namespace detlite {

int64_t Shape::FlatSize(int begin, int end) const {
  // A zero dimension makes the product 0 even when the dimensions before it
  // would overflow (a .npy file may declare (2^31-1, 2^31-1, 2^31-1, 0)).
  bool empty = false;
  for (int i = begin; i < end; ++i) {
    const int32_t d = dims_[static_cast<size_t>(i)];
    if (d < 0) return -1;
    empty = empty || d == 0;
  }
  if (empty) return 0;
  int64_t n = 1;
  for (int i = begin; i < end; ++i) {
    const int64_t d = dims_[static_cast<size_t>(i)];
    if (n > std::numeric_limits<int64_t>::max() / d) return -1;
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
