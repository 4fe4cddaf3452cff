// Which channels of a group to remove when their consumers are refitted by
// least squares (channel_reconstruct.h): the filter-norm ranking ignores
// what the consumers can rebuild from the other channels. Here the order
// is greedy on the consumers' input Grams: each step removes the channel
// whose removal, with every consumer optimally refitted on what is left,
// adds the least output error, by Optimal Brain Surgeon's closed form for
// a linear layer (error = w_Q (H^-1_QQ)^-1 w_Q^T for the columns Q of the
// channel; Hassibi & Stork 1993, as layer-wise OBS / ThiNet use it), each
// consumer's error relative to its output energy.
#ifndef DETLITE_PRUNE_CHANNEL_RECONSTRUCT_SELECT_H_
#define DETLITE_PRUNE_CHANNEL_RECONSTRUCT_SELECT_H_

#include <vector>

#include "ir/graph.h"
#include "prune/channel_groups.h"
#include "prune/channel_reconstruct.h"

namespace detlite::prune {

// `classes` (one group's) in the order to remove them, best first. Classes
// no consumer with a Gram reads (their cost is not known here) come last,
// in the given order. `ridge` as in ReconstructOptions.
std::vector<int> RefitRemovalOrder(const ir::Model& original, const ChannelGraph& graph,
                                   const std::vector<int>& classes, const ConsumerGrams& grams,
                                   double ridge);

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_CHANNEL_RECONSTRUCT_SELECT_H_
