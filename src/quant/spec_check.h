// Checks a quantized graph against TFLite's quantization specification, so a
// quantizer bug is reported here rather than as a runtime's refusal (or,
// worse, silently wrong numbers):
//  - int8 activations per tensor with zero point in [-128, 127];
//  - int8 weights of CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED symmetric
//    (all zero points 0, values in [-127, 127]), per-axis along the output
//    channel (0, or 3 for depthwise);
//  - int32 biases with zero point 0 and scale input_scale * weight_scale;
//  - ops requiring it share their input's scale and zero point;
//  - LOGISTIC / SOFTMAX outputs at scale 1/256, zero point -128.
#ifndef DETLITE_QUANT_SPEC_CHECK_H_
#define DETLITE_QUANT_SPEC_CHECK_H_

#include <string>
#include <vector>

#include "ir/graph.h"

namespace detlite::quant {

// One line per violation ("op 12 CONV_2D 'x': bias scale ... != ..."); empty
// when the graph follows the specification.
std::vector<std::string> CheckQuantizationSpec(const ir::Subgraph& sg);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_SPEC_CHECK_H_
