#include "ir/compact.h"

#include <vector>

namespace detlite::ir {

int CompactTensors(Model& model, int index) {
  Subgraph& sg = model.subgraphs[static_cast<size_t>(index)];
  std::vector<bool> used(sg.tensors.size(), false);
  auto mark = [&](const std::vector<int32_t>& v) {
    for (int32_t i : v) {
      if (i >= 0 && static_cast<size_t>(i) < used.size()) used[static_cast<size_t>(i)] = true;
    }
  };
  mark(sg.inputs);
  mark(sg.outputs);
  for (const Operator& op : sg.ops) {
    mark(op.inputs);
    mark(op.outputs);
    mark(op.intermediates);
  }
  for (const SignatureDef& sig : model.signatures) {
    if (sig.subgraph_index != index) continue;
    for (const auto& t : sig.inputs) mark({t.tensor_index});
    for (const auto& t : sig.outputs) mark({t.tensor_index});
  }
  std::vector<int32_t> remap(sg.tensors.size(), -1);
  std::vector<Tensor> kept;
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<int32_t>(kept.size());
    kept.push_back(std::move(sg.tensors[i]));
  }
  const int removed = static_cast<int>(sg.tensors.size() - kept.size());
  sg.tensors = std::move(kept);
  auto apply = [&](std::vector<int32_t>& v) {
    for (int32_t& i : v) {
      if (i >= 0) i = remap[static_cast<size_t>(i)];
    }
  };
  apply(sg.inputs);
  apply(sg.outputs);
  for (Operator& op : sg.ops) {
    apply(op.inputs);
    apply(op.outputs);
    apply(op.intermediates);
  }
  for (SignatureDef& sig : model.signatures) {
    if (sig.subgraph_index != index) continue;
    for (auto& t : sig.inputs) t.tensor_index = remap[static_cast<size_t>(t.tensor_index)];
    for (auto& t : sig.outputs) t.tensor_index = remap[static_cast<size_t>(t.tensor_index)];
  }
  return removed;
}

}  // namespace detlite::ir
