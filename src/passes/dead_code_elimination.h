// Removes ops whose outputs reach no subgraph output, then tensors nothing
// refers to. Ops with side effects (ASSIGN_VARIABLE, CALL_ONCE, custom ops
// with no outputs) are kept.
#ifndef DETLITE_PASSES_DEAD_CODE_ELIMINATION_H_
#define DETLITE_PASSES_DEAD_CODE_ELIMINATION_H_

#include "passes/pass.h"

namespace detlite::passes {

class DeadCodeElimination : public Pass {
 public:
  std::string_view name() const override { return "dead-code-elimination"; }
  Status Run(ir::Model& model, PassContext& ctx, bool* changed) override;
};

// Makes `outputs` the outputs of subgraph 0 (e.g. to cut a model before its
// post-processing, or to expose intermediates) and removes what no longer
// feeds them. Signatures of subgraph 0 are dropped (they would be stale).
Status CutToOutputs(ir::Model& model, const std::vector<int32_t>& outputs);

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_DEAD_CODE_ELIMINATION_H_
