// The operator version TFLite's runtime requires for an op, from the
// versioning rules of the TFLite converter: a kernel gains a version each
// time it learns a new input type or option (int8 = 2 for most ops, int16 =
// 3, per-channel hybrid conv = 5, ...). Writing a lower version than the
// rule gives makes a runtime pick a kernel that may not handle the op.
#ifndef DETLITE_EXPORTERS_TFLITE_OP_VERSION_H_
#define DETLITE_EXPORTERS_TFLITE_OP_VERSION_H_

#include <cstdint>

#include "ir/graph.h"

namespace detlite::tflite_export {

// The minimum version for `op` in `sg` (1 for ops without rules, custom ops
// included). Tolerates missing or out-of-range tensor indices.
int32_t RequiredOpVersion(const ir::Subgraph& sg, const ir::Operator& op);

}  // namespace detlite::tflite_export

#endif  // DETLITE_EXPORTERS_TFLITE_OP_VERSION_H_
