// Which weights of one layer magnitude pruning zeroes. Weights are row major
// with output channels in dimension 0 and input channels in the last one
// (CONV_2D [O,KH,KW,I], FULLY_CONNECTED [O,I]), given as float.
#ifndef DETLITE_PRUNE_MAGNITUDE_H_
#define DETLITE_PRUNE_MAGNITUDE_H_

#include <string>
#include <vector>

#include "core/shape.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite::prune {

// Whether a layer of `shape` can hold `block` / `pattern`; the error says
// which dimension does not divide. 4x1 fits any layer (a shorter last block
// when the output channels do not divide by 4).
Status CheckPrunable(const Shape& shape, PruneBlock block, PrunePattern pattern);

// True for each weight to zero so that `sparsity` of the layer's weights (of
// its blocks for 1x4 / 4x1) are zero: the smallest |w| (the blocks of
// smallest L2 norm). With 2:4, a sparsity of 0.5 or more zeroes the 2
// smallest of every 4 consecutive input-channel weights and less zeroes
// nothing. Ties go to the lower index, so the result is deterministic.
std::vector<bool> MagnitudeMask(const std::vector<float>& w, const Shape& shape, float sparsity,
                                PruneBlock block, PrunePattern pattern);

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_MAGNITUDE_H_
