#include "prune/allocate.h"

#include <algorithm>
#include <limits>

namespace detlite::prune {

std::vector<float> AllocateSparsity(const std::vector<LayerSensitivity>& layers, float target,
                                    bool exact_levels) {
  std::vector<float> level(layers.size(), 0.0f);
  std::vector<int> step(layers.size(), -1);  // index into levels, -1 = 0
  double total = 0;
  for (const auto& l : layers) total += static_cast<double>(l.elements);
  const double want = static_cast<double>(target) * total;
  double zeros = 0;
  while (zeros < want) {
    size_t best = layers.size();
    double best_cost = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < layers.size(); ++i) {
      const auto& l = layers[i];
      const size_t next = static_cast<size_t>(step[i] + 1);
      if (next >= l.levels.size() || l.elements == 0) continue;
      const double from_noise = step[i] < 0 ? 0.0 : l.noise[static_cast<size_t>(step[i])];
      const double gained = static_cast<double>(l.elements) * (l.levels[next] - level[i]);
      if (gained <= 0) continue;
      const double cost = std::max(0.0, l.noise[next] - from_noise) / (gained * l.weight);
      if (cost < best_cost) best_cost = cost, best = i;
    }
    if (best == layers.size()) break;
    const auto& l = layers[best];
    const float next_level = l.levels[static_cast<size_t>(step[best] + 1)];
    const double gained = static_cast<double>(l.elements) * (next_level - level[best]);
    if (zeros + gained > want && !exact_levels) {
      level[best] += static_cast<float>((want - zeros) / static_cast<double>(l.elements));
      zeros = want;
      break;
    }
    zeros += gained;
    level[best] = next_level;
    ++step[best];
  }
  return level;
}

}  // namespace detlite::prune
