// Turns weights stored compactly (float16 behind DEQUANTIZE, sparse behind
// DENSIFY) into plain float32 constants, so the quantizer sees one float
// graph whatever the converter did to shrink the file.
#ifndef DETLITE_QUANT_FOLD_FLOAT_WEIGHTS_H_
#define DETLITE_QUANT_FOLD_FLOAT_WEIGHTS_H_

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::quant {

// Folds every DENSIFY and float16 DEQUANTIZE whose input is constant into a
// float32 constant and removes the op. *folded counts the ops removed.
// An int8/uint8 DEQUANTIZE of a constant (a quantized model) is an error.
Status FoldFloatWeights(ir::Model& model, int* folded);

// Folds only the DENSIFY ops of constants (float16 weights stay float16):
// what pruning needs to edit weights that came in sparse.
Status FoldSparseWeights(ir::Model& model, int* folded);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_FOLD_FLOAT_WEIGHTS_H_
