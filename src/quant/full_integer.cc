#include "quant/full_integer.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "ir/compact.h"
#include "quant/op_rules.h"
#include "quant/quantize_constants.h"

namespace detlite::quant {
namespace {

QuantParams ToQuant(const AffineParams& p) {
  QuantParams q;
  q.scale = {p.scale};
  q.zero_point = {p.zero_point};
  return q;
}

class Rewriter {
 public:
  Rewriter(ir::Subgraph& sg, const std::vector<bool>& quantized,
           const std::map<int32_t, ActivationChoice>& acts, const FullIntegerOptions& options,
           FullIntegerStats* stats)
      : sg_(sg), quantized_(quantized), acts_(acts), options_(options), stats_(stats) {}

  Status Run() {
    const size_t n = sg_.tensors.size();
    int8_at_source_.assign(n, false);
    for (size_t i = 0; i < sg_.ops.size(); ++i) {
      if (quantized_[i]) int8_at_source_[static_cast<size_t>(sg_.ops[i].outputs[0])] = true;
    }
    std::vector<ir::Operator> old_ops = std::move(sg_.ops);
    sg_.ops.clear();
    std::set<int32_t> outputs(sg_.outputs.begin(), sg_.outputs.end());
    RETURN_IF_ERROR(PlaceInputs());
    for (size_t i = 0; i < old_ops.size(); ++i) {
      ir::Operator op = std::move(old_ops[i]);
      if (quantized_[i]) {
        RETURN_IF_ERROR(QuantizeOp(op));
        ++stats_->ops_quantized;
      } else if (IsStrictPostprocess(op)) {
        // TFLite's post-processing kernel dequantizes uint8 (not int8)
        // encodings and scores: Coral's layout, one requantizing QUANTIZE
        // each (same scale, zero point + 128, exact).
        for (size_t k = 0; k < 2 && k < op.inputs.size(); ++k) op.inputs[k] = Uint8View(op.inputs[k]);
        // With uint8 encodings the kernel reads the anchors as uint8 too.
        if (op.inputs.size() > 2) RETURN_IF_ERROR(QuantizeAnchors(op.inputs[2]));
      } else {
        for (int32_t& x : op.inputs) x = FloatView(x);
      }
      const std::vector<int32_t> produced = op.outputs;
      sg_.ops.push_back(std::move(op));
      for (int32_t y : produced) RETURN_IF_ERROR(AfterProduced(y, quantized_[i]));
    }
    for (int32_t& y : sg_.outputs) y = FloatView(y);
    return Status::Ok();
  }

  // Subgraph outputs produced in int8 were given float twins; signatures
  // must point at those.
  int32_t FloatView(int32_t t) const {
    auto it = float_twin_.find(t);
    return it == float_twin_.end() ? t : it->second;
  }

 private:
  const char* Suffix() const { return options_.activation_type == DType::kInt16 ? "_int16" : "_int8"; }

  const ActivationChoice* Act(int32_t t) const {
    auto it = acts_.find(t);
    return it == acts_.end() ? nullptr : &it->second;
  }

  bool NeededInt8(int32_t t) const { return Act(t) != nullptr; }

  Status PlaceInputs() {
    for (int32_t x : sg_.inputs) {
      if (!NeededInt8(x) || sg_.tensors[static_cast<size_t>(x)].dtype != DType::kFloat32) continue;
      const AffineParams p = Act(x)->params;
      if (options_.input_type == DType::kInt8 && options_.activation_type == DType::kInt8) {
        ir::Tensor& t = sg_.tensors[static_cast<size_t>(x)];
        t.dtype = DType::kInt8;
        t.quant = ToQuant(p);
        int8_at_source_[static_cast<size_t>(x)] = true;
      } else if (options_.input_type == DType::kUInt8 && options_.activation_type == DType::kInt8) {
        ir::Tensor& t = sg_.tensors[static_cast<size_t>(x)];
        t.dtype = DType::kUInt8;
        t.quant = ToQuant({p.scale, p.zero_point + 128});
        EmitQuantize(x, p);
      } else {
        EmitQuantize(x, p);
      }
    }
    return Status::Ok();
  }

  bool IsStrictPostprocess(const ir::Operator& op) const {
    return options_.strict_integer && op.kind == ir::OpKind::kCustom &&
           op.custom_code == "TFLite_Detection_PostProcess";
  }

  int32_t Uint8View(int32_t x) {
    const ir::Tensor& t = sg_.tensors[static_cast<size_t>(x)];
    if (t.dtype != DType::kInt8 || t.quant.scale.size() != 1) return x;
    ir::Tensor u = t;
    u.name += "_uint8";
    u.dtype = DType::kUInt8;
    u.quant.zero_point = {t.quant.zero_point[0] + 128};
    return AddQuantizeOp(x, std::move(u));
  }

  // A QUANTIZE from `x` to a new tensor `out` (its data dropped).
  int32_t AddQuantizeOp(int32_t x, ir::Tensor out) {
    out.data = nullptr;
    const int32_t y = sg_.AddTensor(std::move(out));
    ir::Operator op;
    op.kind = ir::OpKind::kQuantize;
    op.inputs = {x};
    op.outputs = {y};
    sg_.ops.push_back(std::move(op));
    ++stats_->quantize_ops_added;
    return y;
  }

  Status QuantizeAnchors(int32_t& x) {
    const ir::Tensor& t = sg_.tensors[static_cast<size_t>(x)];
    if (!t.is_constant() || t.dtype != DType::kFloat32) {
      return InvalidArgument("--strict-integer: the anchors '" + t.name +
                             "' of TFLite_Detection_PostProcess are not a float32 constant");
    }
    float lo = 0, hi = 0;
    const std::vector<float> v = FloatValues(t);
    for (float a : v) lo = std::min(lo, a), hi = std::max(hi, a);
    const AffineParams p = AsymmetricParams({lo, hi}, 0, 255);
    ASSIGN_OR_RETURN(ir::Tensor q, QuantizeConstant(t, p, DType::kUInt8));
    stats_->anchor_max_error = 0;
    const uint8_t* qd = q.data->data();
    for (size_t i = 0; i < v.size(); ++i) {
      const float back = (static_cast<float>(qd[i]) - static_cast<float>(p.zero_point)) * p.scale;
      stats_->anchor_max_error = std::max(stats_->anchor_max_error, std::fabs(back - v[i]));
    }
    x = sg_.AddTensor(std::move(q));
    return Status::Ok();
  }

  void EmitQuantize(int32_t x, AffineParams p) {
    ir::Tensor q = sg_.tensors[static_cast<size_t>(x)];
    q.name += Suffix();
    q.dtype = options_.activation_type;
    q.quant = ToQuant(p);
    int8_twin_[x] = AddQuantizeOp(x, std::move(q));
  }

  Status AfterProduced(int32_t y, bool was_quantized) {
    if (y < 0) return Status::Ok();
    if (was_quantized) {
      // Float consumers and model outputs read a DEQUANTIZE of it; the float
      // tensor keeps the original name so outputs are found by name.
      if (!float_consumers_.count(y)) return Status::Ok();
      ir::Tensor f = sg_.tensors[static_cast<size_t>(y)];
      f.dtype = DType::kFloat32;
      f.quant = {};
      sg_.tensors[static_cast<size_t>(y)].name += Suffix();
      const int32_t fi = sg_.AddTensor(std::move(f));
      ir::Operator op;
      op.kind = ir::OpKind::kDequantize;
      op.inputs = {y};
      op.outputs = {fi};
      sg_.ops.push_back(std::move(op));
      float_twin_[y] = fi;
      ++stats_->dequantize_ops_added;
    } else if (NeededInt8(y) && !int8_twin_.count(y)) {
      EmitQuantize(y, Act(y)->params);
    }
    return Status::Ok();
  }

  Status QuantizeOp(ir::Operator& op) {
    const bool int16 = options_.activation_type == DType::kInt16;
    const OpRule rule = *RuleFor(op, int16);
    float input_scale = 0;
    std::vector<float> weight_scales;
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      int32_t& x = op.inputs[k];
      if (x < 0) continue;
      const InputRole role = k < rule.inputs.size() ? rule.inputs[k] : InputRole::kKeep;
      const ir::Tensor& t = sg_.tensors[static_cast<size_t>(x)];
      if (role == InputRole::kActivation && !t.is_constant()) {
        if (k == 0) input_scale = Act(x)->params.scale;
        if (!int8_at_source_[static_cast<size_t>(x)]) {
          auto it = int8_twin_.find(x);
          if (it == int8_twin_.end()) return Internal("no int8 form of '" + t.name + "'");
          x = it->second;
        }
      } else if (role == InputRole::kActivation || role == InputRole::kAlpha) {
        // A constant operand (ADD of a constant, PRELU slope): per tensor
        // over its own values, or the shared range for same-scale ops.
        AffineParams p;
        if (rule.same_scale) {
          p = Act(op.outputs[0])->params;
        } else {
          float lo = 0, hi = 0;
          for (float v : FloatValues(t)) lo = std::min(lo, v), hi = std::max(hi, v);
          p = int16 ? SymmetricParams(std::max(-lo, hi), 32767) : AsymmetricParams({lo, hi}, -128, 127);
        }
        ASSIGN_OR_RETURN(ir::Tensor q, QuantizeConstant(t, p, options_.activation_type));
        x = sg_.AddTensor(std::move(q));
      } else if (role == InputRole::kWeights) {
        ASSIGN_OR_RETURN(ir::Tensor q, QuantizeWeights(t, rule.weights_axis, options_.per_tensor));
        weight_scales = q.quant.scale;
        x = sg_.AddTensor(std::move(q));
      } else if (role == InputRole::kBias) {
        ASSIGN_OR_RETURN(ir::Tensor q, QuantizeBias(t, input_scale, weight_scales,
                                                              int16 ? DType::kInt64 : DType::kInt32));
        x = sg_.AddTensor(std::move(q));
      }
    }
    ir::Tensor& y = sg_.tensors[static_cast<size_t>(op.outputs[0])];
    y.dtype = options_.activation_type;
    y.quant = ToQuant(Act(op.outputs[0])->params);
    // 16x8 ADD/SUB: TFLite's general int16 kernel; the power-of-two one
    // needs scales this quantizer does not choose.
    if (int16 && (op.kind == ir::OpKind::kAdd || op.kind == ir::OpKind::kSub)) {
      ir::ArithmeticOptions o;
      if (const auto* given = std::get_if<ir::ArithmeticOptions>(&op.options)) o = *given;
      o.pot_scale_int16 = false;
      op.options = o;
    }
    return Status::Ok();
  }

 public:
  std::set<int32_t> float_consumers_;

 private:
  ir::Subgraph& sg_;
  const std::vector<bool>& quantized_;
  const std::map<int32_t, ActivationChoice>& acts_;
  const FullIntegerOptions& options_;
  FullIntegerStats* stats_;
  std::vector<bool> int8_at_source_;
  std::map<int32_t, int32_t> int8_twin_;   // float tensor -> its QUANTIZE output
  std::map<int32_t, int32_t> float_twin_;  // int8 tensor -> its DEQUANTIZE output
};

}  // namespace

Status RewriteFullInteger(ir::Model& model, const std::vector<bool>& quantized,
                          const std::map<int32_t, ActivationChoice>& activations,
                          const FullIntegerOptions& options, FullIntegerStats* stats) {
  if (model.subgraphs.size() != 1) {
    return Unimplemented("models with " + std::to_string(model.subgraphs.size()) +
                         " subgraphs cannot be quantized yet");
  }
  ir::Subgraph& sg = model.subgraphs[0];
  Rewriter rw(sg, quantized, activations, options, stats);
  // Tensors that float ops or the model's outputs read.
  // Strict integer: the post-processing reads integer box encodings and
  // scores (its anchors stay a float constant) and raw outputs stay int8.
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    if (quantized[i]) continue;
    const ir::Operator& op = sg.ops[i];
    const bool int8_reader = options.strict_integer && op.kind == ir::OpKind::kCustom &&
                             op.custom_code == "TFLite_Detection_PostProcess";
    for (size_t k = 0; k < op.inputs.size(); ++k) {
      if (op.inputs[k] >= 0 && !(int8_reader && k < 2)) rw.float_consumers_.insert(op.inputs[k]);
    }
  }
  if (!options.strict_integer) {
    for (int32_t y : sg.outputs) rw.float_consumers_.insert(y);
  }
  RETURN_IF_ERROR(rw.Run());
  for (auto& sig : model.signatures) {
    for (auto& o : sig.outputs) o.tensor_index = rw.FloatView(o.tensor_index);
  }
  ir::CompactTensors(model, 0);
  return Status::Ok();
}

}  // namespace detlite::quant
