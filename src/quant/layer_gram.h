// Second moments of the inputs each weight row of a CONV_2D, DEPTHWISE_CONV_2D
// or FULLY_CONNECTED sees: for a layer y = W x (x an input patch of K values),
// H = E[x x^T] over every output position of every calibration sample.
// With H, the output error that a weight change dW causes is exactly
// E[|dW x|^2] = dW H dW^T, so a layer's weights can be tuned (AdaRound)
// without running the model again. A depthwise layer has one H per input
// channel (its taps); conv and FC have one H over the whole patch (taps x
// input channels, in the OHWI weight order).
#ifndef DETLITE_QUANT_LAYER_GRAM_H_
#define DETLITE_QUANT_LAYER_GRAM_H_

#include <cstdint>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/calibrate.h"
#include "quant/conv_layer.h"

namespace detlite::quant {

struct LayerGram {
  int op = 0;
  int64_t groups = 1;  // depthwise: input channels; else 1
  int64_t k = 0;       // patch length of one group
  int64_t count = 0;   // patches seen per group
  // groups blocks of k x k (row-major, symmetric), sums until Normalize().
  std::vector<double> h;
  // Divides the sums by count: E[x x^T].
  void Normalize();
  const double* Group(int64_t g) const { return h.data() + g * k * k; }
};

// Grams of `layers` (float input activations, float32 constant weights)
// over the calibration samples, computed with `threads` interpreters. A
// non-finite activation is an error naming the tensor.
StatusOr<std::vector<LayerGram>> CollectLayerGrams(const ir::Model& model,
                                                   const std::vector<ConvLayer>& layers,
                                                   int num_samples, const SampleLoader& load,
                                                   int threads);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_LAYER_GRAM_H_
