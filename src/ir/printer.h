// A readable text form of an ir::Model for debugging and tests, e.g.
//   subgraph 0 'main' inputs(%0) outputs(%7)
//     %0 float32[1,4] 'x'
//     %1 float32[4] 'c' const(16 B)
//     op 0 ADD(%0, %1) -> (%2) {act=NONE}
#ifndef DETLITE_IR_PRINTER_H_
#define DETLITE_IR_PRINTER_H_

#include <string>

#include "ir/graph.h"

namespace detlite::ir {

std::string TensorToString(const Subgraph& sg, int32_t index);
std::string OptionsToString(const OpOptions& options);
std::string OperatorToString(const Subgraph& sg, const Operator& op, size_t index);
std::string ModelToString(const Model& model);

}  // namespace detlite::ir

#endif  // DETLITE_IR_PRINTER_H_
