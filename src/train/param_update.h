// What every training loop here does with a batch's gradients, whatever its
// graph (fake-quantized for QAT, plain float for fine-tuning): find the
// parameters (float32 constants the graph reads), sum their gradients image
// by image, and apply one optimizer step to the constants in place.
#ifndef DETLITE_TRAIN_PARAM_UPDATE_H_
#define DETLITE_TRAIN_PARAM_UPDATE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "ir/graph.h"
#include "train/backward.h"
#include "train/optimizer.h"

namespace detlite::train {

// The float32 constants read by an op of `sg` with an index below `limit`
// (tensors a rewrite added after the original ones are not parameters).
std::vector<int32_t> FloatParameters(const ir::Subgraph& sg, size_t limit);

// Adds the gradients of `params` found in `g` into `sum`.
void AccumulateGradients(const Gradients& g, const std::vector<int32_t>& params,
                         std::map<int32_t, std::vector<float>>* sum);

// Which weights must stay zero, by parameter: for each of `params` that
// carries a sparse hint (it came in sparse, or was pruned), true where the
// weight is nonzero. Fine-tuning a pruned model keeps its zero pattern, so
// the trained file is as sparse (and as small and fast) as the pruned one.
using ZeroMasks = std::map<int32_t, std::vector<bool>>;
ZeroMasks SparseMasks(const ir::Subgraph& sg, const std::vector<int32_t>& params);

// `model` with the values of `params` taken from `trained`, a subgraph with
// the same tensor indices (a training graph cut from `model`).
ir::Model WithParameters(const ir::Model& model, const ir::Subgraph& trained,
                         const std::vector<int32_t>& params);

// Divides `sum` by `n` (the batch) and applies one optimizer step at `lr` to
// those constants of `sg` (their buffers are replaced, not written through);
// weights a mask marks as pruned get no gradient and stay exactly 0.
void ApplyGradients(std::map<int32_t, std::vector<float>>* sum, double n, float lr,
                    Optimizer* optimizer, ir::Subgraph* sg, const ZeroMasks* masks = nullptr);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_PARAM_UPDATE_H_
