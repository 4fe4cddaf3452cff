// Float16 post-training quantization: float32 weights stored as float16,
// each behind a DEQUANTIZE op, so the file halves and the runtime computes
// in float32 (or float16 where a delegate can).
#ifndef DETLITE_QUANT_FLOAT16_H_
#define DETLITE_QUANT_FLOAT16_H_

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::quant {

// Converts every float32 constant that builtin ops read (custom ops, such
// as TFLite_Detection_PostProcess's anchors, keep float32). *converted
// counts the tensors.
Status ConvertWeightsToFloat16(ir::Model& model, int* converted);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_FLOAT16_H_
