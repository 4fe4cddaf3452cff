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
  // Count multiply-adds instead of weights (a weight counts once per output
  // pixel): `sparsity` is then the share of the pruned layers' MACs to make
  // skippable and the allocation's steps are ranked by output noise per MAC
  // saved, so the zeros go where the compute is, for speed.
  bool allocate_by_macs = false;
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


// Channel pruning (what `detlite convert --prune-channels` does): removes
// whole output channels of CONV_2D (and the tied channels of the depthwise
// convs, activations, ADDs, pads, pools and concatenations that follow)
// and the matching input channels of every consumer, so the model is
// structurally smaller and faster on any runtime:
//
//   detlite::ChannelPruneOptions opts;
//   opts.ratio = 0.3f;
//   opts.calibration_data = "photos/";
//   ASSIGN_OR_RETURN(detlite::ChannelPruneReport r, detlite::PruneChannels(model, opts));
//
// Channels tied together (summed by a residual ADD, or one conv's output
// through a depthwise conv) form a group; channels are ranked by the L2
// norm of their filters (biases folded in by the importer; all tied CONV_2D
// filters together) and the lowest go first. How many each group loses is
// measured like --prune's levels: each group pruned alone at 25/50/75% and
// the output noise on the calibration photos recorded, then the steps that
// add the least noise per MAC saved (or per channel) taken first until
// `ratio` of the prunable channels are gone. Kept counts are rounded to a multiple of `channel_multiple`. The
// first convolution's channels and anything the walker cannot rewrite
// (heads' outputs feeding RESHAPE, model outputs) stay. With photos, the
// convolutions that read removed channels are then refitted by least
// squares to their unpruned outputs (`reconstruct`).

// Kept channels per group are rounded to a multiple of this (the kernels'
// vector width; docs/PRUNING.md has the measurement).
inline constexpr int kDefaultChannelMultiple = 4;

// What is done, with calibration photos, to the convolutions that read a
// tensor which lost channels (docs/PRUNING.md "Least-squares
// reconstruction"): nothing beyond the bias compensation, or their weights
// and bias refitted by least squares on the kept channels so their outputs
// match the unpruned layers' on the photos (He et al. 2017, ThiNet) -
// one-shot (every layer on the unpruned model's inputs; the default: it
// scored higher AP on SSDLite) or sequentially (each layer on the inputs of
// the model pruned and refitted so far, absorbing the error before it).
enum class ChannelReconstruct { kNone, kLeastSquares, kLeastSquaresSequential };
template <>
struct SettingTable<ChannelReconstruct> {
  static constexpr SettingName<ChannelReconstruct> names[] = {
      {ChannelReconstruct::kNone, "none"},
      {ChannelReconstruct::kLeastSquares, "ls"},
      {ChannelReconstruct::kLeastSquaresSequential, "ls-sequential"}};
};
inline constexpr int kDefaultReconstructImages = 64;

struct ChannelPruneOptions {
  float ratio = 0.3f;  // share of prunable channels removed, in [0, 1)
  int channel_multiple = kDefaultChannelMultiple;
  bool prune_first_conv = false;
  // Fold removed channels' constant (their mean on the calibration photos,
  // else act(bias)) into the next conv's bias.
  bool compensate_bias = true;
  // Rank the groups' steps by added output noise per MAC saved (true: the
  // speed goal) or per channel removed (false).
  bool allocate_by_macs = true;
  std::string calibration_data;  // empty: every group gets `ratio`
  int calibration_size = 8;
  // Needs calibration_data; ignored without it (the bias compensation
  // above is then all that is done).
  ChannelReconstruct reconstruct = ChannelReconstruct::kLeastSquares;
  int reconstruct_images = kDefaultReconstructImages;  // photos the refit sees, at most
  double reconstruct_ridge = 1e-3;  // lambda = this * trace(E[x x^T]) / k, toward the pruned weights
  // With the reconstruction: order each group's channels by what the refit
  // cannot rebuild (greedy Optimal Brain Surgeon on the consumers' input
  // Grams) instead of by filter norm, and refit each sensitivity trial as
  // the result will be. Lower output error, but not higher AP on SSDLite at
  // 0.3 (docs/PRUNING.md), so off by default.
  bool refit_aware_ranking = false;
  PreprocessOptions preprocess;
  std::function<void(int, int)> progress;
};

struct ChannelGroupReport {
  std::string name;     // output tensor of its first CONV_2D
  int convs = 0;        // CONV_2D ops producing its channels
  int channels = 0;
  int kept = 0;
  std::string unprunable;  // why it keeps every channel, if so
  double sqnr_db = 0;      // output SQNR with only this group pruned as chosen; +inf if not measured
  // The sensitivity trials: channels removed and the output SQNR (dB) then.
  std::vector<int> trial_removed;
  std::vector<double> trial_sqnr_db;
};

struct ChannelPruneReport {
  std::vector<ChannelGroupReport> groups;  // groups that have a CONV_2D source
  int prunable_channels = 0;
  int removed_channels = 0;
  int64_t macs_before = 0, macs_after = 0;
  int calibration_images = 0;
  int trials = 0;
  double sqnr_db = 0;  // all groups pruned, on the calibration data (+inf without)
  // The reconstruction: convolutions refitted, photos, passes over them,
  // and the refitted layers' output error relative to their output energy
  // (sum over layers of mean squared error / sum of mean y^2) on those
  // photos, before and after the refit.
  int reconstructed_layers = 0;
  int reconstruction_images = 0;
  int reconstruction_passes = 0;
  double reconstruction_error_before = 0, reconstruction_error_after = 0;
  std::vector<std::string> actions;
  std::vector<std::string> warnings;
};

// Prunes `model` in place (unchanged on any error). Refuses a ratio outside
// [0, 1), a quantized model, and a model with no prunable group (saying
// why each group is not). Ratio 0 removes nothing (the outputs stay
// bit-identical).
StatusOr<ChannelPruneReport> PruneChannels(Model& model, const ChannelPruneOptions& options);

}  // namespace detlite

#endif  // DETLITE_PRUNE_H_
