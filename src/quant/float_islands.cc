#include "quant/float_islands.h"

#include <string>

#include "quant/op_rules.h"

namespace detlite::quant {

void KeepFloatIslands(const ir::Subgraph& sg, bool int16, std::vector<bool>* quantized,
                      std::vector<KeptFloat>* kept_float) {
  std::vector<int32_t> producer(sg.tensors.size(), -1);
  std::vector<std::vector<int32_t>> readers(sg.tensors.size());
  std::vector<bool> model_output(sg.tensors.size(), false);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t y : sg.ops[i].outputs) {
      if (y >= 0) producer[static_cast<size_t>(y)] = static_cast<int32_t>(i);
    }
    for (int32_t x : sg.ops[i].inputs) {
      if (x >= 0) readers[static_cast<size_t>(x)].push_back(static_cast<int32_t>(i));
    }
  }
  for (int32_t y : sg.outputs) {
    if (y >= 0) model_output[static_cast<size_t>(y)] = true;
  }
  // Start from every quantized data-movement op as a candidate and drop
  // those touching an int8 op outside the candidates, until none changes:
  // what stays are chains of them with only float ops around.
  std::vector<bool> candidate(sg.ops.size(), false);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& op = sg.ops[i];
    const std::optional<OpRule> rule = RuleFor(op, int16);
    candidate[i] = (*quantized)[i] && rule && rule->same_scale && !rule->fixed_scale &&
                   op.outputs.size() == 1 && op.outputs[0] >= 0;
  }
  auto int8_outside = [&](int32_t op) {
    return (*quantized)[static_cast<size_t>(op)] && !candidate[static_cast<size_t>(op)];
  };
  auto keeps = [&](size_t i) {
    const ir::Operator& op = sg.ops[i];
    const std::optional<OpRule> rule = RuleFor(op, int16);
    bool reads_activation = false;
    for (size_t k = 0; k < op.inputs.size() && k < rule->inputs.size(); ++k) {
      const int32_t x = op.inputs[k];
      if (rule->inputs[k] != InputRole::kActivation || x < 0 ||
          sg.tensors[static_cast<size_t>(x)].is_constant()) {
        continue;
      }
      const int32_t p = producer[static_cast<size_t>(x)];
      // A model input (no producer) may become integer (--io-type int8).
      if (p < 0 || int8_outside(p)) return false;
      reads_activation = true;
    }
    const int32_t y = op.outputs[0];
    const auto& rs = readers[static_cast<size_t>(y)];
    if (!reads_activation || (rs.empty() && !model_output[static_cast<size_t>(y)])) return false;
    for (int32_t r : rs) {
      if (int8_outside(r)) return false;
    }
    return true;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < sg.ops.size(); ++i) {
      if (candidate[i] && !keeps(i)) {
        candidate[i] = false;
        changed = true;
      }
    }
  }
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    if (!candidate[i]) continue;
    (*quantized)[i] = false;
    const ir::Operator& op = sg.ops[i];
    kept_float->push_back({std::string(ir::OpKindName(op.kind)),
                           sg.tensors[static_cast<size_t>(op.outputs[0])].name,
                           KeptFloat::Reason::kFloatIsland,
                           "reads only float ops and only float ops read it"});
  }
}

}  // namespace detlite::quant
