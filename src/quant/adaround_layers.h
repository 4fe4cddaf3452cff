// AdaRound applied to a model's layers (adaround.h does one weight matrix):
// picks the quantized CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED layers
// with float inputs, gathers their input Grams on the calibration data,
// learns each layer's rounding, and writes the float weights as the chosen
// integer grid points (q * scale), keeping every channel's largest weight
// at its nearest rounding so the scale weight quantization computes stays
// the same. A layer whose learned rounding is not better than nearest
// rounding (in output error) is left unchanged.
#ifndef DETLITE_QUANT_ADAROUND_LAYERS_H_
#define DETLITE_QUANT_ADAROUND_LAYERS_H_

#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/adaround.h"
#include "quant/calibrate.h"

namespace detlite::quant {

struct AdaRoundSummary {
  int layers = 0;        // layers whose weights changed
  int layers_tried = 0;
  int64_t weights = 0;   // weights of the changed layers
  int64_t flipped = 0;   // of those, rounded away from nearest
  // Output error (sum over tried layers of E|dW x|^2, each relative to its
  // nearest-rounding error): before is layers_tried, after below it.
  double relative_error_after = 0;
  double seconds = 0;
};

Status AdaRoundLayers(ir::Model& model, const std::vector<bool>& quantized, bool per_tensor,
                      int num_samples, const SampleLoader& load, int threads,
                      const AdaRoundOptions& options, AdaRoundSummary* summary);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_ADAROUND_LAYERS_H_
