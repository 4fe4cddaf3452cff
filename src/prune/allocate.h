// Per-layer sparsity from measured sensitivity. Output noise from pruning
// different layers adds (roughly independent errors), so the allocation
// raises, one step at a time, the layer whose next level adds the least
// output noise per weight zeroed, until the average sparsity over all
// layers, weighted by their weight counts, reaches the target; the last
// step is cut short so the target is met exactly.
#ifndef DETLITE_PRUNE_ALLOCATE_H_
#define DETLITE_PRUNE_ALLOCATE_H_

#include <cstdint>
#include <vector>

namespace detlite::prune {

struct LayerSensitivity {
  int64_t elements = 0;
  std::vector<float> levels;   // increasing sparsities measured
  std::vector<double> noise;   // output noise / signal energy at each level
  // What one unit of `elements` removed is worth when ranking steps (cost =
  // added noise / (elements removed * weight)); the target still counts
  // elements. Channel pruning weighs a channel by the MACs it saves.
  double weight = 1.0;
};

// One sparsity per layer; fewer zeros than the target if every layer is at
// its highest level (the caller reports that). With `exact_levels` (2:4,
// whose layers hold 0 or 50% only) the last step is taken whole instead.
std::vector<float> AllocateSparsity(const std::vector<LayerSensitivity>& layers, float target,
                                    bool exact_levels = false);

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_ALLOCATE_H_
