// Which ops of the shape family make the judge's XNNPACK delegate fail.
//
// The judge (TFLite ~2.12 in WebAssembly) applies the XNNPACK delegate to
// every model. When the delegate claims a node but then cannot build it,
// applying the delegate fails and TFLite restores the undelegated plan: the
// WHOLE model then runs on TFLite's own kernels, whose arithmetic differs
// from XNNPACK's (float RESIZE_BILINEAR, QUANTIZE, quantized convolutions,
// ...). Measured with one-op probes next to a float RESIZE_BILINEAR whose
// result tells the two apart; these shape-family ops break the delegate:
//  - PAD on uint8/int8 whose output quantization differs from the input's;
//  - DEPTH_TO_SPACE on int8 whose output quantization differs (uint8 does
//    not break it);
//  - RESIZE_BILINEAR on uint8/int8 with a constant size whose output
//    quantization differs from the input's.
// (RESHAPE, SQUEEZE, TRANSPOSE, SLICE, STRIDED_SLICE, SPACE_TO_DEPTH,
// RESIZE_NEAREST_NEIGHBOR, SPLIT, PADV2 and uint8 CONCATENATION with
// differing quantization do not.) An interpreter that wants the judge's
// numbers checks every op with this before choosing arithmetic.
#ifndef DETLITE_RUNTIME_OPS_SHAPE_XNNPACK_H_
#define DETLITE_RUNTIME_OPS_SHAPE_XNNPACK_H_

#include "ir/graph.h"

namespace detlite::runtime {

bool ShapeOpBreaksXnnpackDelegate(const ir::Subgraph& sg, const ir::Operator& op);

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_OPS_SHAPE_XNNPACK_H_
