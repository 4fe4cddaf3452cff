// High-bias absorption (Nagel et al. 2019, section 4.1), after cross-layer
// equalization: where channel i of the tensor between two equalized layers
// never fell below c_i > 0 on the calibration data (its observed minimum),
// c_i moves from the first layer's bias into the second's:
//   b1_i -= c_i,   b2_o += sum over taps of W2[o, tap, i] * c_i.
// With ReLU (or no activation) in between, ReLU(x - c) = ReLU(x) - c for
// x >= c, so outputs stay the same wherever the data stays above the
// observed minimum, and the tensor's range shrinks by c_i. Only pairs whose
// second layer sees no padding (1x1 kernels or VALID) qualify: a padded
// border would read 0 where it read c_i before.
#ifndef DETLITE_QUANT_ABSORB_BIAS_H_
#define DETLITE_QUANT_ABSORB_BIAS_H_

#include <map>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/channel_stats.h"
#include "quant/equalize.h"

namespace detlite::quant {

// The pairs absorption may rewrite (their `between` tensors need stats).
std::vector<EqualizePair> AbsorbablePairs(const ir::Subgraph& sg,
                                          const std::vector<EqualizePair>& pairs);

// Absorbs per `stats` (by `between` tensor). *channels counts the channels
// shifted.
Status AbsorbHighBias(ir::Model& model, const std::vector<EqualizePair>& pairs,
                      const std::map<int32_t, ChannelStats>& stats, int* channels);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_ABSORB_BIAS_H_
