// Magnitude pruning of a float model's convolution and fully connected
// weights (what `detlite convert --prune` does):
//
//   detlite::PruneOptions opts;
//   opts.sparsity = 0.75f;
//   opts.calibration_data = "photos/";
//   ASSIGN_OR_RETURN(detlite::PruneReport report, detlite::Prune(model, opts));
//
// Per layer, the weights (or blocks of weights) of smallest magnitude are set
// to zero. Which layer gets which sparsity is measured: each layer is pruned
// alone at a few levels and the model's outputs on the calibration photos
// compared with the unpruned model's; levels are then raised greedily where
// they add the least output noise per weight zeroed, until the average over
// the pruned layers, weighted by their weight counts, is the target. Without
// calibration data every layer gets the target. The first convolution and
// layers with fewer than `min_weights` weights stay dense, as tfmot
// recommends. Pruned weights are stored sparse (TFLite's format, behind
// DENSIFY) where that makes the file smaller; quantizing afterwards keeps
// their zeros.
#ifndef DETLITE_PRUNE_H_
#define DETLITE_PRUNE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite {

// Layers with fewer weights than this stay dense by default: their zeros
// save little and cost the most accuracy per weight.
inline constexpr int64_t kDefaultPruneMinWeights = 1024;

struct PruneOptions {
  float sparsity = 0.5f;  // target share of zeros over the pruned layers, in [0, 1)
  PruneBlock block = PruneBlock::k1x1;
  PrunePattern pattern = PrunePattern::kNone;  // 2:4 puts each layer at 0 or 50%
  int64_t min_weights = kDefaultPruneMinWeights;
  bool prune_first_conv = false;
  // Photos for the sensitivity measurement (any calibration source detlite
  // reads); empty: every layer gets `sparsity`.
  std::string calibration_data;
  int calibration_size = 8;  // images used, at most
  PreprocessOptions preprocess;
  // Called after each sensitivity trial (done, total); may be empty.
  std::function<void(int, int)> progress;
};

struct PrunedLayer {
  std::string op;       // CONV_2D or FULLY_CONNECTED
  std::string weights;  // tensor name
  int64_t elements = 0;
  float sparsity = 0;   // share of zeros after pruning
  std::string kept_dense;  // why it was not pruned, if so
  // Output SQNR (dB) on the calibration data with only this layer pruned at
  // its level; +inf when not measured.
  double sqnr_db = 0;
};

struct PruneReport {
  std::vector<PrunedLayer> layers;  // every conv/FC layer with constant weights
  int64_t pruned_elements = 0;      // weights of the pruned layers
  int64_t zeros = 0;                // of which zero after pruning
  int calibration_images = 0;
  int trials = 0;                   // model runs of the sensitivity measurement
  double sqnr_db = 0;               // all layers pruned, on the calibration data
  std::vector<std::string> actions;
  std::vector<std::string> warnings;
};

// Prunes `model` in place (a copy is edited, so `model` is unchanged on any
// error). Refuses a sparsity outside [0, 1), 2:4 with a sparsity above 0.5,
// a block and a pattern together, and a quantized model.
StatusOr<PruneReport> Prune(Model& model, const PruneOptions& options);

}  // namespace detlite

#endif  // DETLITE_PRUNE_H_
