// Structural comparison of two ir::Models for round-trip and robustness
// tests: returns where the first difference is, so a failing test says what
// changed ("subgraph 0 tensor 12 'w': data differs at byte 40").
#ifndef DETLITE_TESTS_SUPPORT_IR_COMPARE_H_
#define DETLITE_TESTS_SUPPORT_IR_COMPARE_H_

#include <string>

#include "ir/graph.h"

namespace detlite::testing {

struct CompareOptions {
  // A writer may raise op versions to what the op's types require.
  bool op_versions = true;
};

// Empty when equal. Floats (scales, options) compare by bit pattern, so NaN
// equals NaN and -0 differs from 0: a round trip must preserve bits.
std::string DiffModels(const ir::Model& a, const ir::Model& b,
                       const CompareOptions& options = {});

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_IR_COMPARE_H_
