#include "quant/op_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "quant/float_islands.h"
#include "quant/op_rules.h"

namespace detlite::quant {
namespace {

bool Eligible(const ir::Subgraph& sg, const ir::Operator& op, const OpRule& rule) {
  if (op.outputs.size() != 1 || op.options_unsupported) return false;
  const ir::Tensor& y = sg.tensors[static_cast<size_t>(op.outputs[0])];
  if (y.dtype != DType::kFloat32) return false;
  for (size_t k = 0; k < op.inputs.size(); ++k) {
    const int32_t x = op.inputs[k];
    const InputRole role = k < rule.inputs.size() ? rule.inputs[k] : InputRole::kKeep;
    if (x < 0) {
      if (role == InputRole::kBias) continue;
      return false;
    }
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(x)];
    switch (role) {
      case InputRole::kActivation:
        if (t.dtype != DType::kFloat32) return false;
        break;
      case InputRole::kWeights:
      case InputRole::kBias:
      case InputRole::kAlpha:
        if (!t.is_constant() || t.dtype != DType::kFloat32 || t.sparsity) return false;
        break;
      case InputRole::kKeep:
        if (t.dtype == DType::kFloat32) return false;
        break;
    }
  }
  return true;
}

std::string Fmt(float v) {
  char b[32];
  std::snprintf(b, sizeof(b), "%.4g", v);
  return b;
}

}  // namespace

bool KeepFloatMatches(const std::string& pattern, const ir::Subgraph& sg, const ir::Operator& op) {
  if (pattern.empty()) return false;
  const std::string name = op.kind == ir::OpKind::kCustom ? op.custom_code
                                                           : std::string(ir::OpKindName(op.kind));
  if (name == pattern) return true;
  if (pattern[0] == '=') {  // "=name": exactly that output tensor
    for (int32_t y : op.outputs) {
      if (y >= 0 && sg.tensors[static_cast<size_t>(y)].name == pattern.substr(1)) return true;
    }
    return false;
  }
  for (int32_t y : op.outputs) {
    if (y >= 0 && sg.tensors[static_cast<size_t>(y)].name.find(pattern) != std::string::npos) return true;
  }
  return false;
}

Selection SelectOps(const ir::Subgraph& sg, const std::map<int32_t, Observer>& observers,
                    const SelectionOptions& options) {
  Selection s;
  s.quantized.assign(sg.ops.size(), false);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& op = sg.ops[i];
    const std::string& out_name = op.outputs.empty() || op.outputs[0] < 0
                                      ? std::string()
                                      : sg.tensors[static_cast<size_t>(op.outputs[0])].name;
    const std::string op_name = op.kind == ir::OpKind::kCustom
                                    ? op.custom_code : std::string(ir::OpKindName(op.kind));
    const std::optional<OpRule> rule = RuleFor(op, options.int16);
    if (!rule || !Eligible(sg, op, *rule)) {
      s.kept_float.push_back({op_name, out_name, KeptFloat::Reason::kNoRule,
                              std::string("no ") + (options.int16 ? "int16" : "int8") +
                                  " rule for it here"});
      continue;
    }
    const std::string* keep = nullptr;
    for (const auto& p : options.keep_float) {
      if (!keep && KeepFloatMatches(p, sg, op)) keep = &p;
    }
    if (keep) {
      s.kept_float.push_back({op_name, out_name, KeptFloat::Reason::kKeepFloat, "--keep-float " + *keep});
      continue;
    }
    if (op.kind == ir::OpKind::kConcatenation) {
      std::vector<Range> ranges;
      Range joint{0, 0};
      for (int32_t x : op.inputs) {
        auto it = observers.find(x);
        if (it == observers.end() || !it->second.seen()) continue;
        const Range r = SelectRange(it->second, options.method, options.percentile,
                                    options.int16 ? 65536 : 256);
        ranges.push_back(r);
        joint = {std::min(joint.min, r.min), std::max(joint.max, r.max)};
      }
      const float joint_width = joint.max - joint.min;
      // int16 has 256 times the levels: the same loss of bits needs a
      // 256 times larger ratio.
      const float trap_ratio = options.concat_trap_ratio * (options.int16 ? 256.0f : 1.0f);
      bool trapped = false;
      for (size_t k = 0; k < ranges.size(); ++k) {
        const float w = ranges[k].max - ranges[k].min;
        if (w > 0 && w * trap_ratio < joint_width) {
          const float levels = options.int16 ? 65536.0f : 256.0f;
          const std::string what =
              "concatenation trap: CONCATENATION '" + out_name + "' input " + std::to_string(k) +
              " spans [" + Fmt(ranges[k].min) + ", " + Fmt(ranges[k].max) + "], 1/" +
              Fmt(joint_width / w) + " of the joint range [" + Fmt(joint.min) + ", " +
              Fmt(joint.max) + "] (~" + Fmt(std::log2(levels * w / joint_width)) +
              " bits left at one shared scale)";
          if (options.strict_integer) {
            // Shared-scale requantization instead of a float fallback: the
            // cost is the bits this input loses.
            s.warnings.push_back(what + "; strict integer: it shares the scale anyway");
            continue;
          }
          s.warnings.push_back(what + "; the concatenation stays float");
          s.kept_float.push_back({op_name, out_name, KeptFloat::Reason::kConcatTrap,
                                  "concatenation trap on input " + std::to_string(k)});
          trapped = true;
          break;
        }
      }
      if (trapped) continue;
    }
    s.quantized[i] = true;
  }
  // Strict integer wants every op integer, islands included.
  if (!options.strict_integer) KeepFloatIslands(sg, options.int16, &s.quantized, &s.kept_float);
  return s;
}

}  // namespace detlite::quant
