// Removes channel classes (see channel_groups.h) from a graph: every tensor
// drops those channels, CONV_2D loses the matching filters (output side) and
// weight columns (input side), DEPTHWISE_CONV_2D and per-channel constants
// the matching entries, PAD its padded channels; concatenations follow by
// shape.
//
// Bias compensation: a CONV_2D reading a removed channel adds
// value * (sum of its kernel taps for that channel) to its bias, where the
// value is the channel's mean on calibration data when given (the best
// constant in the least-squares sense), else the constant the channel would
// be if its filters were zero (act(bias) at the CONV_2D, carried through
// depthwise convs, ReLUs, ADDs, pools, pads and concatenations). The latter
// is exact for a removed filter of zeros read by a 1x1 or VALID conv, and
// near the border of a SAME-padded k>1 conv the constant is approximate
// (padding contributes zeros there).
#ifndef DETLITE_PRUNE_CHANNEL_REWRITE_H_
#define DETLITE_PRUNE_CHANNEL_REWRITE_H_

#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "prune/channel_groups.h"

namespace detlite::prune {

struct RemoveStats {
  int removed_classes = 0;
  int compensated_biases = 0;  // CONV_2D biases changed by the compensation
};

// `remove[c]` says whether class c goes; pinned classes must not be set.
// Subgraph 0 of `model` must be the one `graph` was built from. `means`
// (optional, per tensor index; empty for a tensor not measured): the mean of
// each channel on calibration data, used for compensation instead of the
// zero-filter constant where given (the best constant for the channel in
// the least-squares sense; exact in expectation for a 1x1 consumer).
Status RemoveChannels(ir::Model& model, const ChannelGraph& graph, const std::vector<bool>& remove,
                      bool compensate, RemoveStats* stats,
                      const std::vector<std::vector<double>>* means = nullptr);

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_CHANNEL_REWRITE_H_
