// Least-squares reconstruction of the convolutions that lost input channels
// to channel pruning (channel_rewrite.h): each CONV_2D reading a tensor that
// lost channels gets new weights and bias on its kept inputs so that its
// output (before the activation) matches the unpruned layer's on
// calibration photos (channel_reconstruct_fit.h has the algebra).
// Depthwise convolutions cannot compensate (their channel goes with the
// producer's); the CONV_2D after them does.
//
// One-shot: every layer is fitted on the unpruned model's activations, with
// the removed channels' columns dropped (one pass over the photos).
// Sequential: layers are fitted in dependency order on the activations of
// the model pruned and reconstructed so far, still against the unpruned
// model's outputs, so each fit also absorbs the error of the layers before
// it (He et al.'s sequential variant; one pass per dependency level).
#ifndef DETLITE_PRUNE_CHANNEL_RECONSTRUCT_H_
#define DETLITE_PRUNE_CHANNEL_RECONSTRUCT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "prune/channel_groups.h"
#include "prune/channel_reconstruct_fit.h"
#include "quant/calibrate.h"

namespace detlite::prune {

struct ReconstructOptions {
  bool sequential = false;
  // lambda = ridge * trace(E[x x^T]) / k, toward the pruned weights.
  double ridge = 1e-3;
  int threads = 2;
  std::function<void(int, int)> progress;  // (passes done, passes)
};

struct ReconstructedLayer {
  int op = 0;
  std::string output;       // the conv's output tensor
  int64_t positions = 0;    // output positions fitted on
  double signal = 0;        // mean y^2 of the unpruned layer's output
  double mse_before = 0;    // mean (y - y_pruned)^2 before the refit
  double mse_after = 0;     // ... after
  bool solved = false;      // false: the system was degenerate, weights kept
};

struct ReconstructStats {
  std::vector<ReconstructedLayer> layers;
  int passes = 0;
  int samples = 0;
};

// `pruned` is RemoveChannels(original, graph, remove, ...)'s result (the
// same ops in the same order; `graph` built from `original`). Its consumer
// convolutions' weights and biases are replaced (float16 constants stay
// float16). `load` gives the samples' input bytes.
Status ReconstructConsumers(const ir::Model& original, const ChannelGraph& graph,
                            const std::vector<bool>& remove, ir::Model& pruned, int num_samples,
                            const quant::SampleLoader& load, const ReconstructOptions& options,
                            ReconstructStats* stats);

// The one-shot variant in two steps, so that many candidate prunings of the
// same model (the sensitivity trials) share one pass over the photos: the
// Gram of the whole input patch (with the constant) of every CONV_2D whose
// input channels pruning could remove, by op index; then the refit of a
// pruned model from them.
using ConsumerGrams = std::map<int, PatchGram>;
StatusOr<ConsumerGrams> CollectConsumerGrams(const ir::Model& original, const ChannelGraph& graph,
                                             int num_samples, const quant::SampleLoader& load, int threads);
Status ReconstructFromGrams(const ir::Model& original, const ChannelGraph& graph, const std::vector<bool>& remove,
                            ir::Model& pruned, const ConsumerGrams& grams, double ridge, ReconstructStats* stats);

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_CHANNEL_RECONSTRUCT_H_
