// Gradual magnitude pruning while training (issue 14 item 5, `detlite train
// --prune-schedule`), after Zhu and Gupta (2017, "To prune, or not to
// prune"): a layer's sparsity rises from 0 to its final level f along
//   s(t) = f * (1 - (1 - (t - begin) / (end - begin))^3),  begin <= t <= end,
// pruning every `every` steps (and at `end`), fast at first while the
// weights are redundant and slowly near the end. At each pruning step the
// smallest weights (blocks) of each layer are zeroed and their masks
// cleared (param_update.h), so the optimizer never moves them again and
// the steps in between recover the accuracy. Each layer's final level is
// what detlite::Prune allocates by measured sensitivity; the layers are
// prune::FindLayers' (conv and FC weights), bound by their position.
#ifndef DETLITE_TRAIN_PRUNE_SCHEDULE_H_
#define DETLITE_TRAIN_PRUNE_SCHEDULE_H_

#include <cstdint>
#include <vector>

#include "detlite/settings.h"
#include "detlite/status.h"
#include "ir/graph.h"
#include "train/param_update.h"

namespace detlite::train {

struct PruneSchedule {
  // Final sparsity per prune::FindLayers layer, in its order; empty: off.
  std::vector<float> final_sparsity;
  PruneBlock block = PruneBlock::k1x1;
  int begin = 0;   // steps (1-based): first pruning after step begin + every
  int end = 0;     // the final levels are reached after this step
  int every = 10;
  std::vector<int32_t> weights;  // Bind: each layer's weight tensor

  bool active() const { return !final_sparsity.empty(); }
  // The share of its final level a layer has after step `step`.
  float Fraction(int step) const;
  bool PrunesAfter(int step) const;
  // Finds the layers' weight tensors in the (float32-folded) training graph
  // and marks them sparse, so SparseMasks gives each a mask; refuses a
  // graph whose layers are not the ones the levels were made for.
  Status Bind(ir::Subgraph* sg);
  // After step `step`'s update, on a pruning step: zeroes each layer's
  // smallest weights up to Fraction(step) of its level and clears their
  // masks. Returns the weights zeroed this time.
  int64_t Apply(int step, ir::Subgraph* sg, ZeroMasks* masks) const;
  // Pruned (masked) weights over all weights of the layers it prunes; -1
  // when inactive.
  double Achieved(const ZeroMasks& masks) const;
};

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_PRUNE_SCHEDULE_H_
