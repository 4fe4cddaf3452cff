#include "detlite/sweep.h"

namespace detlite {

std::vector<size_t> ParetoFront(const std::vector<ParetoPoint>& points) {
  std::vector<size_t> front;
  for (size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < points.size() && !dominated; ++j) {
      const ParetoPoint &a = points[j], &b = points[i];
      dominated = a.cost <= b.cost && a.value >= b.value && (a.cost < b.cost || a.value > b.value);
    }
    if (!dominated) front.push_back(i);
  }
  return front;
}

}  // namespace detlite
