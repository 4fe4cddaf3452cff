// Runs a float model over calibration samples with detlite's interpreter and
// records every float activation's range. Samples are spread over threads,
// one interpreter each (an interpreter is not shared between threads).
#ifndef DETLITE_QUANT_CALIBRATE_H_
#define DETLITE_QUANT_CALIBRATE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/observer.h"

namespace detlite::quant {

// Produces the input bytes of sample i (one buffer per model input). Called
// from several threads at once.
using SampleLoader = std::function<StatusOr<std::vector<std::vector<uint8_t>>>(int)>;

struct CalibrationOptions {
  int threads = 2;
  bool histograms = false;
  float ema_constant = 0.01f;
  // Box-encoding tensors of a TFLite_Detection_PostProcess are observed
  // only at anchors whose score passes its threshold (quant/box_rows.h).
  bool box_rows_only = true;
  std::function<void(int, int)> progress;  // (done, total), serialized
};

// Observers by tensor index of subgraph 0: every non-constant float32
// tensor. The first failing sample's error is returned.
StatusOr<std::map<int32_t, Observer>> Calibrate(const ir::Model& model, int num_samples,
                                                const SampleLoader& load,
                                                const CalibrationOptions& options);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_CALIBRATE_H_
