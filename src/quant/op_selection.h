// Which ops of a float graph the full-integer quantizer converts: those with
// a rule (op_rules.h) whose activations are float32 and whose weights are
// constant, minus the ops the user keeps in float, minus concatenations that
// would fall into the "concatenation trap".
//
// The trap: an int8 CONCATENATION must give all its inputs the output's
// scale, so an input whose values span a small part of the joint range keeps
// only a few of its 256 levels (e.g. box offsets of +-3 concatenated with
// logits of +-100 keep about 4 bits). Such a concatenation is left in float,
// with DEQUANTIZE in front and QUANTIZE after, so every input keeps its own
// scale up to the boundary.
#ifndef DETLITE_QUANT_OP_SELECTION_H_
#define DETLITE_QUANT_OP_SELECTION_H_

#include <map>
#include <string>
#include <vector>

#include "detlite/kept_float.h"
#include "ir/graph.h"
#include "quant/observer.h"
#include "quant/range_select.h"

namespace detlite::quant {

struct SelectionOptions {
  std::vector<std::string> keep_float;  // op names (e.g. "LOGISTIC"), tensor-name substrings, "=exact name"
  CalibrationMethod method = kDefaultCalibrationMethod;
  float percentile = 99.99f;
  // An input spanning less than 1/ratio of the joint range trips the trap.
  float concat_trap_ratio = 16.0f;
  bool int16 = false;  // 16x8 mode: only ops with int16 kernels
  // Strict integer: a trapped concatenation shares one scale anyway, with
  // its precision cost in the warnings.
  bool strict_integer = false;
};

struct Selection {
  std::vector<bool> quantized;  // by op index in subgraph 0
  std::vector<KeptFloat> kept_float;  // ops that stay float, and why
  std::vector<std::string> warnings;  // concatenation trap findings
};

Selection SelectOps(const ir::Subgraph& sg, const std::map<int32_t, Observer>& observers,
                    const SelectionOptions& options);

// Whether `pattern` names `op` (its op name, exactly) or one of its output
// tensors (substring).
bool KeepFloatMatches(const std::string& pattern, const ir::Subgraph& sg, const ir::Operator& op);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_OP_SELECTION_H_
