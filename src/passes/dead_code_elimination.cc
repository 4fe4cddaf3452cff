#include "passes/dead_code_elimination.h"

#include <vector>

#include "ir/compact.h"

namespace detlite::passes {
namespace {

bool HasSideEffects(const ir::Operator& op) {
  return op.kind == ir::OpKind::kAssignVariable || op.kind == ir::OpKind::kCallOnce ||
         op.outputs.empty();
}

int RemoveDeadOps(ir::Subgraph& sg) {
  std::vector<bool> needed(sg.tensors.size(), false);
  for (int32_t i : sg.outputs) {
    if (i >= 0) needed[static_cast<size_t>(i)] = true;
  }
  std::vector<bool> keep(sg.ops.size(), false);
  for (size_t k = sg.ops.size(); k-- > 0;) {
    const ir::Operator& op = sg.ops[k];
    bool live = HasSideEffects(op);
    for (int32_t o : op.outputs) live = live || (o >= 0 && needed[static_cast<size_t>(o)]);
    if (!live) continue;
    keep[k] = true;
    for (int32_t i : op.inputs) {
      if (i >= 0) needed[static_cast<size_t>(i)] = true;
    }
  }
  std::vector<ir::Operator> ops;
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    if (keep[k]) ops.push_back(std::move(sg.ops[k]));
  }
  const int removed = static_cast<int>(sg.ops.size() - ops.size());
  sg.ops = std::move(ops);
  return removed;
}

}  // namespace

Status DeadCodeElimination::Run(ir::Model& model, PassContext& ctx, bool* changed) {
  *changed = false;
  for (size_t s = 0; s < model.subgraphs.size(); ++s) {
    const int ops = RemoveDeadOps(model.subgraphs[s]);
    const int tensors = ir::CompactTensors(model, static_cast<int>(s));
    if (ops || tensors) {
      *changed = true;
      ctx.log.push_back("subgraph " + std::to_string(s) + ": removed " + std::to_string(ops) +
                        " dead ops, " + std::to_string(tensors) + " unused tensors");
    }
  }
  return Status::Ok();
}

Status CutToOutputs(ir::Model& model, const std::vector<int32_t>& outputs) {
  if (model.subgraphs.empty()) return InvalidArgument("model has no subgraphs");
  ir::Subgraph& sg = model.subgraphs[0];
  for (int32_t i : outputs) {
    if (i < 0 || static_cast<size_t>(i) >= sg.tensors.size()) {
      return InvalidArgument("no tensor " + std::to_string(i) + " to make an output");
    }
  }
  sg.outputs = outputs;
  std::vector<ir::SignatureDef> sigs;
  for (auto& sig : model.signatures) {
    if (sig.subgraph_index != 0) sigs.push_back(std::move(sig));
  }
  model.signatures = std::move(sigs);
  RemoveDeadOps(sg);
  ir::CompactTensors(model, 0);
  return Status::Ok();
}

}  // namespace detlite::passes
