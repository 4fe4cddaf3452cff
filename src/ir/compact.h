// Removes tensors no op, subgraph input/output or signature refers to, and
// renumbers the rest (keeping their order).
#ifndef DETLITE_IR_COMPACT_H_
#define DETLITE_IR_COMPACT_H_

#include "ir/graph.h"

namespace detlite::ir {

// Returns the number of tensors removed from subgraph `index` of `model`.
int CompactTensors(Model& model, int index);

}  // namespace detlite::ir

#endif  // DETLITE_IR_COMPACT_H_
