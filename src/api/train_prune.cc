#include "api/train_prune.h"

#include <map>
#include <memory>

#include "detlite/prune.h"
#include "prune/layers.h"

namespace detlite::api {
namespace {

Status CheckSchedule(const TrainOptions& o, int begin, int end, int every) {
  if (!(o.prune_sparsity >= 0 && o.prune_sparsity < 1)) {
    return InvalidArgument("--prune-schedule: the sparsity must be in [0, 1)");
  }
  if (begin < 0 || end <= begin || end > o.steps) {
    return InvalidArgument("--prune-schedule: pruning runs from step " + std::to_string(begin) +
                           " to " + std::to_string(end) + ", which must satisfy 0 <= begin < end <= --steps " +
                           std::to_string(o.steps));
  }
  if (every < 1) return InvalidArgument("--prune-every must be at least 1");
  return Status::Ok();
}

}  // namespace

StatusOr<train::PruneSchedule> PruneScheduleOf(const Model& model, const TrainOptions& o) {
  train::PruneSchedule s;
  if (o.prune_sparsity == 0) return s;
  s.begin = o.prune_begin;
  s.end = o.prune_end >= 0 ? o.prune_end : (2 * o.steps) / 3;
  s.every = o.prune_every >= 1 ? o.prune_every : std::max(1, o.steps / 20);
  s.block = o.prune_block;
  RETURN_IF_ERROR(CheckSchedule(o, s.begin, s.end, o.prune_every == -1 ? s.every : o.prune_every));
  Model copy = model;
  PruneOptions po;
  po.sparsity = o.prune_sparsity;
  po.block = o.prune_block;
  po.calibration_data = o.data;
  po.preprocess = o.preprocess;
  po.progress = o.prune_progress;
  StatusOr<PruneReport> report = Prune(copy, po);
  if (!report.ok()) return report.status().WithContext("--prune-schedule");
  std::map<std::string, float> level;
  for (const PrunedLayer& l : report->layers) level[l.weights] = l.kept_dense.empty() ? l.sparsity : 0.0f;
  const ir::Subgraph& sg = model.ir().subgraphs[0];
  for (const prune::Layer& l : prune::FindLayers(sg)) {
    const std::string& name = sg.tensors[static_cast<size_t>(l.weights)].name;
    auto it = level.find(name);
    s.final_sparsity.push_back(it == level.end() ? 0.0f : it->second);
  }
  return s;
}

}  // namespace detlite::api
