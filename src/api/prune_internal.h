// Pieces of detlite::Prune shared between its files.
#ifndef DETLITE_API_PRUNE_INTERNAL_H_
#define DETLITE_API_PRUNE_INTERNAL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "detlite/prune.h"
#include "ir/graph.h"
#include "prune/layers.h"

namespace detlite::api {

// A layer's trial levels and what pruning it alone at each did to the
// model's outputs.
struct PruneTrials {
  std::vector<float> levels;
  std::vector<std::vector<double>> noise;  // [layer][level]: noise / signal energy
};

// `model` with the weights of `layer` pruned to `level`.
ir::Model PruneOne(const ir::Model& model, const prune::Layer& layer, float level,
                   const PruneOptions& options);

// Prunes each layer alone at each level and measures the output noise on
// the calibration photos (relative to the unpruned model's outputs).
StatusOr<PruneTrials> MeasureSensitivity(const ir::Model& model,
                                         const std::vector<prune::Layer>& layers,
                                         const std::vector<float>& levels,
                                         const PruneOptions& options, PruneReport* report);

// Output noise energy of `pruned` relative to `reference`'s outputs over the
// calibration photos (the same loader as MeasureSensitivity).
StatusOr<double> OutputNoise(const ir::Model& reference, const ir::Model& pruned,
                             const PruneOptions& options);

// Refuses models pruning cannot edit: more than one subgraph, or quantized
// constants (prune the float original, then quantize).
Status CheckFloatModel(const ir::Model& model);

// Output noise of `count` candidates (made one at a time by `candidate`)
// relative to `reference`'s outputs on options' calibration photos;
// options.progress is told after each. *images: photos used.
StatusOr<std::vector<double>> MeasureNoises(const ir::Model& reference, int count,
                                            const std::function<StatusOr<ir::Model>(int)>& candidate,
                                            const PruneOptions& options, int* images);

// Per tensor of `tensors` (NHWC activations of `model`), the mean of each
// channel over every pixel of options' calibration photos.
StatusOr<std::vector<std::vector<double>>> ChannelMeans(const ir::Model& model,
                                                       const std::vector<int32_t>& tensors,
                                                       const PruneOptions& options);

// The first step of both prunings: refuses a model that is not float,
// copies its graph and unpacks weights that came in sparse (an action line).
StatusOr<std::shared_ptr<ir::Model>> StartPrune(const Model& model,
                                                std::vector<std::string>* actions);

// The last step of both prunings: constants that are mostly zeros stored
// sparse (an action line each), the graph verified (`what` names it in the
// internal error), then `work` becomes `model`'s graph.
Status CommitPruned(std::shared_ptr<ir::Model> work, const std::string& what, Model& model,
                    std::vector<std::string>* actions);

}  // namespace detlite::api

#endif  // DETLITE_API_PRUNE_INTERNAL_H_
