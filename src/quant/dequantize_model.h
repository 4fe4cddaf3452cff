// Turns a quantized model back into a float32 graph: every quantized
// constant (int8/uint8/int16 weights, int32/int64 biases) becomes its real
// values (q - zero_point) * scale, every quantized activation a float32
// tensor, and QUANTIZE / DEQUANTIZE ops disappear. The result computes what
// the quantized model approximates, with its rounded weights: a float
// starting point for re-quantizing with detlite (strict integer, better
// calibration) when only the quantized file exists.
#ifndef DETLITE_QUANT_DEQUANTIZE_MODEL_H_
#define DETLITE_QUANT_DEQUANTIZE_MODEL_H_

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::quant {

struct DequantizeStats {
  int constants = 0;    // quantized constants made float32
  int activations = 0;  // quantized activations made float32
  int ops_removed = 0;  // QUANTIZE / DEQUANTIZE (and DENSIFY) folded away
};

// Fails, leaving `model` unchanged, on a model with nothing quantized or a
// quantized tensor whose parameters do not fit it (no scale, a per-axis
// scale count that is not the axis length, a non-finite or non-positive
// scale, a constant whose bytes do not match its shape).
Status DequantizeModel(ir::Model& model, DequantizeStats* stats);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_DEQUANTIZE_MODEL_H_
