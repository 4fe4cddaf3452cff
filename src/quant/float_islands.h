// Data-movement ops that would be int8 islands between float ops.
//
// A CONCATENATION, RESHAPE, PAD, pool, ... (ops whose int8 output shares its
// input's scale) computes nothing: int8 only saves memory traffic between
// int8 neighbours. When every input it reads comes from a float op and
// every reader of its output is float (or a model output), int8 would only
// add a QUANTIZE per input and a DEQUANTIZE after it, and round values that
// were exact. The box re-encoding detlite attaches to MediaPipe detectors
// (GATHER, DIV, LOG in float) ends in such a CONCATENATION: in int8 its
// (y, x) pixel offsets and log sizes shared one scale.
#ifndef DETLITE_QUANT_FLOAT_ISLANDS_H_
#define DETLITE_QUANT_FLOAT_ISLANDS_H_

#include <vector>

#include "detlite/kept_float.h"
#include "ir/graph.h"

namespace detlite::quant {

// Clears `quantized[i]` for every such op of `sg`, chains of them included
// (a CONCATENATION into a RESHAPE between float ops), and appends why to
// `kept_float`. Ops reading a model input stay as they are: `--io-type
// int8` makes that input integer.
void KeepFloatIslands(const ir::Subgraph& sg, bool int16, std::vector<bool>* quantized,
                      std::vector<KeptFloat>* kept_float);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_FLOAT_ISLANDS_H_
