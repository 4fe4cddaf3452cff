#include "quant/spec_check.h"

#include <cmath>
#include <cstring>

#include "quant/op_rules.h"

namespace detlite::quant {
namespace {

bool QuantizedActivation(const ir::Tensor& t) {
  return (t.dtype == DType::kInt8 || t.dtype == DType::kInt16) && !t.is_constant();
}

class Checker {
 public:
  explicit Checker(const ir::Subgraph& sg) : sg_(sg) {}

  std::vector<std::string> Run() {
    for (size_t i = 0; i < sg_.ops.size(); ++i) CheckOp(static_cast<int>(i), sg_.ops[i]);
    return std::move(problems_);
  }

 private:
  const ir::Tensor& T(int32_t i) const { return sg_.tensors[static_cast<size_t>(i)]; }

  void Fail(int index, const ir::Operator& op, const std::string& what) {
    const std::string out = op.outputs.empty() || op.outputs[0] < 0 ? "" : T(op.outputs[0]).name;
    problems_.push_back("op " + std::to_string(index) + " " + std::string(ir::OpKindName(op.kind)) +
                        " '" + out + "': " + what);
  }

  void CheckActivation(int index, const ir::Operator& op, const ir::Tensor& t) {
    const QuantParams& q = t.quant;
    if (q.scale.size() != 1 || q.zero_point.size() != 1) {
      Fail(index, op, "activation '" + t.name + "' is not quantized per tensor");
    } else if (!(q.scale[0] > 0) || q.zero_point[0] < -128 || q.zero_point[0] > 127 ||
               (t.dtype == DType::kInt16 && q.zero_point[0] != 0)) {
      Fail(index, op, "activation '" + t.name + "' has scale " + std::to_string(q.scale[0]) +
                          " zero point " + std::to_string(q.zero_point[0]));
    }
  }

  void CheckWeights(int index, const ir::Operator& op, const ir::Tensor& w, int axis) {
    if (w.dtype != DType::kInt8) return Fail(index, op, "weights '" + w.name + "' are not int8");
    for (int64_t zp : w.quant.zero_point) {
      if (zp != 0) return Fail(index, op, "weights '" + w.name + "' have a nonzero zero point");
    }
    if (w.quant.per_axis() && w.quant.quantized_dimension != axis) {
      Fail(index, op, "weights '" + w.name + "' are quantized along dimension " +
                          std::to_string(w.quant.quantized_dimension) + ", not " + std::to_string(axis));
    }
    const auto* v = reinterpret_cast<const int8_t*>(w.data->data());
    for (size_t i = 0; i < w.data->size(); ++i) {
      if (v[i] == -128) return Fail(index, op, "weights '" + w.name + "' use -128 (spec: [-127, 127])");
    }
  }

  void CheckBias(int index, const ir::Operator& op, const ir::Tensor& in, const ir::Tensor& w,
                 const ir::Tensor& b) {
    const DType want = in.dtype == DType::kInt16 ? DType::kInt64 : DType::kInt32;
    if (b.dtype != want) {
      return Fail(index, op, "bias '" + b.name + "' is not " + std::string(DTypeName(want)));
    }
    for (size_t c = 0; c < b.quant.scale.size(); ++c) {
      const float ws = w.quant.scale[w.quant.scale.size() == 1 ? 0 : c];
      const float expected = in.quant.scale[0] * ws;
      if (std::fabs(b.quant.scale[c] - expected) > 1e-6f * expected || b.quant.zero_point[c] != 0) {
        return Fail(index, op, "bias '" + b.name + "' scale " + std::to_string(b.quant.scale[c]) +
                                   " is not input scale * weight scale " + std::to_string(expected));
      }
    }
  }

  void CheckOp(int index, const ir::Operator& op) {
    if (op.outputs.size() != 1 || op.outputs[0] < 0 || !QuantizedActivation(T(op.outputs[0]))) return;
    const bool int16 = T(op.outputs[0]).dtype == DType::kInt16;
    const std::optional<OpRule> rule = RuleFor(op, int16);
    if (!rule) return;
    const ir::Tensor& y = T(op.outputs[0]);
    CheckActivation(index, op, y);
    for (size_t k = 0; k < op.inputs.size() && k < rule->inputs.size(); ++k) {
      if (op.inputs[k] < 0) continue;
      const ir::Tensor& x = T(op.inputs[k]);
      switch (rule->inputs[k]) {
        case InputRole::kActivation:
          if (x.dtype != y.dtype) {
            Fail(index, op, "input '" + x.name + "' is " + std::string(DTypeName(x.dtype)));
            break;
          }
          CheckActivation(index, op, x);
          if (rule->same_scale && x.quant.scale.size() == 1 && y.quant.scale.size() == 1 &&
              (x.quant.scale[0] != y.quant.scale[0] || x.quant.zero_point[0] != y.quant.zero_point[0])) {
            Fail(index, op, "input '" + x.name + "' and the output must share scale and zero point");
          }
          break;
        case InputRole::kWeights:
          CheckWeights(index, op, x, rule->weights_axis);
          break;
        case InputRole::kBias:
          CheckBias(index, op, T(op.inputs[0]), T(op.inputs[1]), x);
          break;
        default:
          break;
      }
    }
    if (rule->fixed_scale && y.quant.scale.size() == 1 &&
        (y.quant.scale[0] != *rule->fixed_scale || y.quant.zero_point[0] != rule->fixed_zero_point)) {
      Fail(index, op, "output must have scale " + std::to_string(*rule->fixed_scale) +
                          " and zero point " + std::to_string(rule->fixed_zero_point));
    }
  }

  const ir::Subgraph& sg_;
  std::vector<std::string> problems_;
};

}  // namespace

std::vector<std::string> CheckQuantizationSpec(const ir::Subgraph& sg) { return Checker(sg).Run(); }

}  // namespace detlite::quant
