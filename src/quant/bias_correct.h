// Empirical bias correction (Nagel et al. 2019, section 4.2): quantizing
// the weights W to W_q shifts each output channel's mean by
// E[W x] - E[W_q x] = (W - W_q) E[x]; with E[x] per input channel measured
// on the calibration data (the float model's activations), that shift is
// added to the float bias before it is quantized, so the int32 bias carries
// it. Layers: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED with a float
// bias, chosen for quantization. Padded borders, which read zeros rather
// than the mean, are not modelled.
#ifndef DETLITE_QUANT_BIAS_CORRECT_H_
#define DETLITE_QUANT_BIAS_CORRECT_H_

#include <map>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/channel_stats.h"

namespace detlite::quant {

// Ops (by index, among `quantized`) bias correction applies to, and the
// tensors whose channel means it needs (their first inputs).
std::vector<int> BiasCorrectionOps(const ir::Subgraph& sg, const std::vector<bool>& quantized);

// Float weights by tensor index.
using WeightSnapshot = std::map<int32_t, std::vector<float>>;

// The weights of the conv/depthwise/FC ops among `quantized`, before a step
// (AdaRound) moves them onto their integer grid.
WeightSnapshot SnapshotLayerWeights(const ir::Subgraph& sg, const std::vector<bool>& quantized);

// Corrects the biases of `ops` given the means of their inputs, for weights
// quantized as full_integer.cc quantizes them (`per_tensor`). Where
// `original` holds a layer's weights from before AdaRound, the error is
// measured from those (the current ones already sit on the grid, so their
// own rounding error is zero). *layers counts the biases changed.
Status CorrectBiases(ir::Model& model, const std::vector<int>& ops,
                     const std::map<int32_t, ChannelStats>& input_stats, bool per_tensor,
                     const WeightSnapshot* original, int* layers);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_BIAS_CORRECT_H_
