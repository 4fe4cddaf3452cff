// Dynamic-range ("hybrid") post-training quantization: the weights of
// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED become int8 and the ops
// read them directly; activations stay float32 and TFLite's hybrid kernels
// quantize them per batch at run time. No calibration data is needed.
//
// As TFLite's converter does: conv and depthwise weights per output channel
// (their hybrid kernels then quantize inputs with a zero point),
// FULLY_CONNECTED per tensor with asymmetric_quantize_inputs; biases stay
// float32; weights under kMinElements values stay float (too small to
// matter, and TFLite's default threshold is the same 1024).
#ifndef DETLITE_QUANT_DYNAMIC_RANGE_H_
#define DETLITE_QUANT_DYNAMIC_RANGE_H_

#include <string>
#include <vector>

#include "detlite/kept_float.h"
#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::quant {

struct DynamicRangeOptions {
  int64_t min_elements = 1024;
  // Ops (by op name) or tensor-name substrings to leave float.
  std::vector<std::string> keep_float;
};

struct DynamicRangeStats {
  int ops_quantized = 0;
  int ops_left_float = 0;  // conv-family ops not quantized, with reasons below
  std::vector<KeptFloat> kept_float;
};

// Rewrites subgraph 0 of the float `model` in place.
Status QuantizeDynamicRange(ir::Model& model, const DynamicRangeOptions& options,
                            DynamicRangeStats* stats);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_DYNAMIC_RANGE_H_
