#include "train/prune_schedule.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "core/sparsity.h"
#include "prune/layers.h"
#include "prune/magnitude.h"

namespace detlite::train {
namespace {

SparseLayout LayoutOf(PruneBlock block, int rank) {
  if (block == PruneBlock::k1x4) return BlockCsrLayout(rank, rank - 1, 4);
  if (block == PruneBlock::k4x1) return BlockCsrLayout(rank, 0, 4);
  return PlainCsrLayout(rank);
}

}  // namespace

float PruneSchedule::Fraction(int step) const {
  if (step <= begin) return 0.0f;
  if (step >= end) return 1.0f;
  const double left = 1.0 - static_cast<double>(step - begin) / static_cast<double>(end - begin);
  return static_cast<float>(1.0 - left * left * left);
}

bool PruneSchedule::PrunesAfter(int step) const {
  if (!active() || step <= begin || step > end) return false;
  return step == end || (step - begin) % std::max(1, every) == 0;
}

Status PruneSchedule::Bind(ir::Subgraph* sg) {
  if (!active()) return Status::Ok();
  const std::vector<prune::Layer> layers = prune::FindLayers(*sg);
  if (layers.size() != final_sparsity.size()) {
    return Internal("the prune schedule has " + std::to_string(final_sparsity.size()) +
                    " layers, the training graph " + std::to_string(layers.size()));
  }
  weights.clear();
  for (const prune::Layer& l : layers) {
    ir::Tensor& w = sg->tensors[static_cast<size_t>(l.weights)];
    if (w.dtype != DType::kFloat32 || !w.has_rank) {
      return Internal("prune schedule: weights '" + w.name + "' are not float32 in the training graph");
    }
    weights.push_back(l.weights);
    const size_t k = weights.size() - 1;
    if (final_sparsity[k] > 0 && !w.sparse_hint) w.sparse_hint = LayoutOf(block, w.shape.rank());
  }
  return Status::Ok();
}

int64_t PruneSchedule::Apply(int step, ir::Subgraph* sg, ZeroMasks* masks) const {
  if (!PrunesAfter(step)) return 0;
  const float f = Fraction(step);
  int64_t zeroed = 0;
  for (size_t k = 0; k < weights.size(); ++k) {
    if (!(final_sparsity[k] > 0)) continue;
    ir::Tensor& w = sg->tensors[static_cast<size_t>(weights[k])];
    const std::vector<float> v = prune::WeightValues(w);
    const std::vector<bool> zero =
        prune::MagnitudeMask(v, w.shape, f * final_sparsity[k], block, PrunePattern::kNone);
    std::vector<bool>& keep = (*masks)[weights[k]];
    if (keep.size() != v.size()) keep.assign(v.size(), true);
    for (size_t i = 0; i < v.size(); ++i) {
      if (zero[i] && v[i] != 0.0f) ++zeroed;
      if (zero[i]) keep[i] = false;
    }
    const SparseLayout layout = w.sparse_hint ? *w.sparse_hint : LayoutOf(block, w.shape.rank());
    w = prune::ZeroWeights(w, zero, layout);
  }
  return zeroed;
}

double PruneSchedule::Achieved(const ZeroMasks& masks) const {
  int64_t pruned = 0, total = 0;
  for (size_t k = 0; k < weights.size(); ++k) {
    if (!(final_sparsity[k] > 0)) continue;
    auto it = masks.find(weights[k]);
    if (it == masks.end()) continue;
    total += static_cast<int64_t>(it->second.size());
    for (bool keep : it->second) pruned += keep ? 0 : 1;
  }
  return total > 0 ? static_cast<double>(pruned) / static_cast<double>(total) : -1;
}

}  // namespace detlite::train
