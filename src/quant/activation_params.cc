#include "quant/activation_params.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "quant/op_rules.h"

namespace detlite::quant {
namespace {

struct UnionFind {
  std::vector<int32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int32_t Find(int32_t x) {
    while (parent[static_cast<size_t>(x)] != x) {
      parent[static_cast<size_t>(x)] = parent[static_cast<size_t>(parent[static_cast<size_t>(x)])];
      x = parent[static_cast<size_t>(x)];
    }
    return x;
  }
  void Union(int32_t a, int32_t b) { parent[static_cast<size_t>(Find(a))] = Find(b); }
};

// Tensors whose values become detection scores: inputs of LOGISTIC (kind 2,
// sigmoid logits) and the class input of TFLite_Detection_PostProcess (kind
// 1), followed back through ops that only move or re-type values.
std::vector<int> ScoreLogits(const ir::Subgraph& sg) {
  std::vector<int> score(sg.tensors.size(), 0);
  std::vector<int32_t> producer(sg.tensors.size(), -1);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t y : sg.ops[i].outputs) {
      if (y >= 0) producer[static_cast<size_t>(y)] = static_cast<int32_t>(i);
    }
  }
  std::vector<std::pair<int32_t, int>> stack;  // tensor, kind
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kLogistic && !op.inputs.empty()) stack.push_back({op.inputs[0], 2});
    if (op.kind == ir::OpKind::kCustom && op.custom_code == "TFLite_Detection_PostProcess" &&
        op.inputs.size() > 1) {
      stack.push_back({op.inputs[1], 1});
    }
  }
  while (!stack.empty()) {
    const auto [t, kind] = stack.back();
    stack.pop_back();
    if (t < 0 || score[static_cast<size_t>(t)] >= kind) continue;
    score[static_cast<size_t>(t)] = kind;
    const int32_t p = producer[static_cast<size_t>(t)];
    if (p < 0) continue;
    const ir::Operator& op = sg.ops[static_cast<size_t>(p)];
    switch (op.kind) {
      case ir::OpKind::kReshape:
      case ir::OpKind::kSqueeze:
      case ir::OpKind::kDequantize:
      case ir::OpKind::kQuantize:
        stack.push_back({op.inputs[0], kind});
        break;
      case ir::OpKind::kConcatenation:
        for (int32_t x : op.inputs) stack.push_back({x, kind});
        break;
      default:
        break;
    }
  }
  return score;
}

}  // namespace

StatusOr<std::map<int32_t, ActivationChoice>> PlanActivations(
    const ir::Subgraph& sg, const std::vector<bool>& quantized,
    const std::map<int32_t, Observer>& observers, const ActivationPlanOptions& options) {
  const int levels = static_cast<int>(options.qmax - options.qmin + 1);
  std::map<int32_t, ActivationChoice> out;
  UnionFind groups(sg.tensors.size());
  std::map<int32_t, AffineParams> fixed;  // by tensor
  auto touch = [&](int32_t t) -> Status {
    if (t < 0 || sg.tensors[static_cast<size_t>(t)].is_constant() || out.count(t)) return Status::Ok();
    auto it = observers.find(t);
    if (it == observers.end() || !it->second.seen()) {
      return Internal("tensor '" + sg.tensors[static_cast<size_t>(t)].name + "' was not calibrated");
    }
    ActivationChoice c;
    c.observed = {it->second.min(), it->second.max()};
    const bool given = options.own_ranges && options.own_ranges->count(t);
    c.own = given ? options.own_ranges->at(t)
                  : SelectRange(it->second, options.method, options.percentile, levels);
    out[t] = c;
    return Status::Ok();
  };
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    if (!quantized[i]) continue;
    const ir::Operator& op = sg.ops[i];
    const std::optional<OpRule> rule = RuleFor(op, options.symmetric);
    for (size_t k = 0; k < op.inputs.size() && k < rule->inputs.size(); ++k) {
      if (rule->inputs[k] == InputRole::kActivation) RETURN_IF_ERROR(touch(op.inputs[k]));
    }
    const int32_t y = op.outputs[0];
    RETURN_IF_ERROR(touch(y));
    if (rule->fixed_scale) fixed[y] = {*rule->fixed_scale, rule->fixed_zero_point};
    if (rule->same_scale) {
      for (size_t k = 0; k < op.inputs.size() && k < rule->inputs.size(); ++k) {
        const int32_t x = op.inputs[k];
        if (rule->inputs[k] == InputRole::kActivation && x >= 0 &&
            !sg.tensors[static_cast<size_t>(x)].is_constant()) {
          groups.Union(x, y);
        }
      }
    }
  }
  // A group's range is the union of its members'; a fixed member fixes it.
  std::map<int32_t, Range> group_range;
  std::map<int32_t, AffineParams> group_fixed;
  for (const auto& [t, c] : out) {
    const int32_t g = groups.Find(t);
    auto [it, fresh] = group_range.emplace(g, c.own);
    if (!fresh) it->second = {std::min(it->second.min, c.own.min), std::max(it->second.max, c.own.max)};
    if (fixed.count(t)) group_fixed[g] = fixed[t];
  }
  const std::vector<int> score = ScoreLogits(sg);
  std::set<int32_t> widened;
  for (const auto& [t, c] : out) {
    const int32_t g = groups.Find(t);
    Range& r = group_range[g];
    if (!score[static_cast<size_t>(t)] || group_fixed.count(g)) continue;
    // Below -kSigmoidLogitFloor a sigmoid score is under 1e-7: no need to
    // spend int8 steps on it (BlazeFace's coarse grid reaches -388).
    if (score[static_cast<size_t>(t)] == 2 && r.min < -kSigmoidLogitFloor &&
        r.max > -kSigmoidLogitFloor) {
      r.min = -kSigmoidLogitFloor;
      widened.insert(g);
    }
    const float want = std::min(-r.min, kScoreLogitHeadroom);
    if (r.min < 0 && r.max < want) {
      r.max = want;
      widened.insert(g);
    }
  }
  for (auto& [t, c] : out) {
    const int32_t g = groups.Find(t);
    c.chosen = group_range[g];
    c.widened_score = widened.count(g) > 0;
    if (group_fixed.count(g)) {
      c.params = group_fixed[g];
      c.chosen = {static_cast<float>((options.qmin - c.params.zero_point) * c.params.scale),
                  static_cast<float>((options.qmax - c.params.zero_point) * c.params.scale)};
    } else if (options.symmetric) {
      c.params = SymmetricParams(std::max(std::fabs(c.chosen.min), std::fabs(c.chosen.max)),
                                 options.qmax);
    } else {
      c.params = AsymmetricParams(c.chosen, options.qmin, options.qmax);
    }
  }
  return out;
}

}  // namespace detlite::quant
