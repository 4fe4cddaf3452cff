// What TFLite's quantization specification asks of each op detlite can
// quantize: which inputs are activations, weights (and along which axis
// their per-channel scales go) or biases, whether inputs and output must
// share one scale and zero point, and fixed output parameters.
#ifndef DETLITE_QUANT_OP_RULES_H_
#define DETLITE_QUANT_OP_RULES_H_

#include <optional>
#include <vector>

#include "ir/graph.h"

namespace detlite::quant {

enum class InputRole {
  kActivation,  // quantized like any activation (per tensor, asymmetric)
  kWeights,     // symmetric int8, per channel along weights_axis
  kBias,        // int32 (int64 for int16x8), scale input * weights
  kAlpha,       // PRELU slope: per tensor, its own range
  kKeep,        // left as is (int32 shapes, paddings, sizes)
};

struct OpRule {
  std::vector<InputRole> inputs;  // by input position; missing = kKeep
  int weights_axis = 0;
  // Inputs and output share one scale and zero point (the spec's
  // "restriction: same as input"; for CONCATENATION the int8 kernel
  // demands it).
  bool same_scale = false;
  // Output parameters fixed by the spec (LOGISTIC, SOFTMAX: 1/256, -128).
  std::optional<float> fixed_scale;
  int64_t fixed_zero_point = 0;
};

// The rule for `op`, or nullopt when detlite does not quantize that op
// (it then stays float between DEQUANTIZE and QUANTIZE).
// With `int16` (16x8 mode) only ops whose int16 kernels TFLite and detlite
// both have get a rule, and fixed output scales are 1/32768, zero point 0.
std::optional<OpRule> RuleFor(const ir::Operator& op, bool int16 = false);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_OP_RULES_H_
