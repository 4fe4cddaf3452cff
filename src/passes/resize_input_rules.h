// The per-op rules of passes/resize_input.cc: constants that spell a size.
#ifndef DETLITE_PASSES_RESIZE_INPUT_RULES_H_
#define DETLITE_PASSES_RESIZE_INPUT_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::passes::resize_rules {

// "op 12 RESHAPE 'name'" for messages.
std::string OpLabel(const ir::Subgraph& sg, size_t index);

// Replaces constant input `slot` of `op` with int32 `values` (in place when
// only this op reads it, else as a new tensor).
void SetIntConstant(ir::Subgraph& sg, ir::Operator& op, size_t slot,
                    const std::vector<int32_t>& values);

// A RESHAPE whose input went from `old_in` to its current shape: rewrites a
// fixed target shape; *rewritten tells whether it did.
Status FixReshape(ir::Subgraph& sg, size_t index, const Shape& old_in, bool* rewritten);

// A RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR with a constant size.
Status FixResize(ir::Subgraph& sg, size_t index, const Shape& old_in, bool* rewritten);

}  // namespace detlite::passes::resize_rules

#endif  // DETLITE_PASSES_RESIZE_INPUT_RULES_H_
