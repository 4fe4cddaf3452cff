// Back to float: a quantized .tflite (int8/uint8/int16) rewritten as a
// float32 graph that computes what it approximates (what `detlite convert
// --dequantize` does). For re-quantizing with detlite's own calibration,
// equalization or strict integer when only the quantized file exists:
//
//   ASSIGN_OR_RETURN(Model m, Model::Load("yolo_int8.tflite"));
//   ASSIGN_OR_RETURN(DequantizeReport r, Dequantize(m));
//   ... Quantize(m, options) ...
//
// The weights keep their quantized values (rounded), so the float model is
// the quantized one's, not the original float model.
#ifndef DETLITE_DEQUANTIZE_H_
#define DETLITE_DEQUANTIZE_H_

#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite {

struct DequantizeReport {
  int constants = 0;    // quantized weights and biases made float32
  int activations = 0;  // quantized activations (and inputs/outputs) made float32
  int ops_removed = 0;  // QUANTIZE, DEQUANTIZE and DENSIFY ops folded away
};

// Rewrites `model` in place; unchanged on any error. Refuses a model with
// nothing quantized, and quantization parameters that do not fit a tensor.
StatusOr<DequantizeReport> Dequantize(Model& model);

}  // namespace detlite

#endif  // DETLITE_DEQUANTIZE_H_
