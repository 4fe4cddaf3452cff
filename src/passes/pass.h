// The pass contract: a pass rewrites an ir::Model in place and says whether
// it changed anything. Pipelines are explicit ordered lists of passes
// (passes/pipeline.h); the verifier runs between passes in tests and debug
// builds.
#ifndef DETLITE_PASSES_PASS_H_
#define DETLITE_PASSES_PASS_H_

#include <string>
#include <string_view>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::passes {

struct PassContext {
  bool verify_between_passes = false;
  std::vector<std::string> log;  // one line per notable rewrite
};

class Pass {
 public:
  virtual ~Pass() = default;
  virtual std::string_view name() const = 0;
  virtual Status Run(ir::Model& model, PassContext& ctx, bool* changed) = 0;
};

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_PASS_H_
