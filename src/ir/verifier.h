// Structural checks of an ir::Model, run after import and between passes:
// indices in range, single producer per tensor, operators in topological
// order, constant data sized for its dtype and shape, quantization
// parameters consistent with the tensor. Problems that make a model unusable
// are errors; oddities a converter leaves behind (unused tensors) are
// warnings.
#ifndef DETLITE_IR_VERIFIER_H_
#define DETLITE_IR_VERIFIER_H_

#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::ir {

struct VerifyReport {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

VerifyReport VerifyModel(const Model& model);
// OK, or the first few errors joined into one message.
Status Verify(const Model& model);

}  // namespace detlite::ir

#endif  // DETLITE_IR_VERIFIER_H_
