// Per-channel statistics (last axis) of chosen float tensors over the
// calibration samples: what high-bias absorption (each channel's minimum)
// and bias correction (each channel's mean) need.
#ifndef DETLITE_QUANT_CHANNEL_STATS_H_
#define DETLITE_QUANT_CHANNEL_STATS_H_

#include <cstdint>
#include <map>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/calibrate.h"

namespace detlite::quant {

struct ChannelStats {
  std::vector<double> sum;
  std::vector<float> min, max;
  int64_t count = 0;  // values per channel
  double Mean(size_t c) const { return count > 0 ? sum[c] / static_cast<double>(count) : 0.0; }
  void Merge(const ChannelStats& o);
};

// Runs `model` over the samples with `threads` interpreters. A non-finite
// value is an error naming the tensor.
StatusOr<std::map<int32_t, ChannelStats>> CollectChannelStats(const ir::Model& model,
                                                              int num_samples,
                                                              const SampleLoader& load,
                                                              const std::vector<int32_t>& tensors,
                                                              int threads);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_CHANNEL_STATS_H_
