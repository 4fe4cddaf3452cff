#include "train/fake_quant.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "quant/op_rules.h"
#include "quant/op_selection.h"
#include "quant/quantize_constants.h"

namespace detlite::train {
namespace {

template <typename T>
void DequantizeInto(const ir::Tensor& q, std::vector<float>* out) {
  const size_t n = q.data->size() / sizeof(T);
  const T* v = reinterpret_cast<const T*>(q.data->data());
  out->resize(n);
  const size_t channels = q.quant.scale.size();
  size_t inner = 1, dim = 1;
  if (channels > 1) {
    const int axis = q.quant.quantized_dimension;
    dim = static_cast<size_t>(q.shape.dim(axis));
    for (int d = axis + 1; d < q.shape.rank(); ++d) inner *= static_cast<size_t>(q.shape.dim(d));
  }
  for (size_t i = 0; i < n; ++i) {
    const size_t c = channels > 1 ? (i / inner) % dim : 0;
    const double zp = q.quant.zero_point.empty() ? 0.0 : static_cast<double>(q.quant.zero_point[c]);
    (*out)[i] = static_cast<float>((static_cast<double>(v[i]) - zp) * q.quant.scale[c]);
  }
}

// The float values a quantized constant stands for.
StatusOr<ir::ConstBytes> Dequantized(const ir::Tensor& q) {
  std::vector<float> v;
  switch (q.dtype) {
    case DType::kInt8: DequantizeInto<int8_t>(q, &v); break;
    case DType::kUInt8: DequantizeInto<uint8_t>(q, &v); break;
    case DType::kInt16: DequantizeInto<int16_t>(q, &v); break;
    case DType::kInt32: DequantizeInto<int32_t>(q, &v); break;
    case DType::kInt64: DequantizeInto<int64_t>(q, &v); break;
    default: return Internal("fake quantization: unexpected type of '" + q.name + "'");
  }
  auto b = std::make_shared<ir::Bytes>(v.size() * sizeof(float));
  if (!v.empty()) std::memcpy(b->data(), v.data(), b->size());
  return ir::ConstBytes(b);
}

// Replaces the constants op `i` reads by their int8-exporter forms,
// dequantized (as full_integer.cc's QuantizeOp quantizes them).
Status FakeQuantizeConstants(const ir::Subgraph& src, ir::Subgraph& sg, size_t i,
                             const QuantPlan& plan) {
  const ir::Operator& op = src.ops[i];
  const quant::OpRule rule = *quant::RuleFor(op);
  float input_scale = 0;
  std::vector<float> weight_scales;
  for (size_t k = 0; k < op.inputs.size(); ++k) {
    const int32_t x = op.inputs[k];
    if (x < 0) continue;
    const quant::InputRole role = k < rule.inputs.size() ? rule.inputs[k] : quant::InputRole::kKeep;
    const ir::Tensor& t = src.tensors[static_cast<size_t>(x)];
    std::optional<ir::Tensor> q;
    if (role == quant::InputRole::kActivation && !t.is_constant()) {
      if (k == 0) input_scale = plan.acts.at(x).params.scale;
    } else if (role == quant::InputRole::kActivation || role == quant::InputRole::kAlpha) {
      if (t.dtype != DType::kFloat32) continue;
      quant::AffineParams p;
      if (rule.same_scale) {
        p = plan.acts.at(op.outputs[0]).params;
      } else {
        float lo = 0, hi = 0;
        for (float v : quant::FloatValues(t)) lo = std::min(lo, v), hi = std::max(hi, v);
        p = quant::AsymmetricParams({lo, hi}, -128, 127);
      }
      ASSIGN_OR_RETURN(q, quant::QuantizeConstant(t, p, DType::kInt8));
    } else if (role == quant::InputRole::kWeights) {
      ASSIGN_OR_RETURN(q, quant::QuantizeWeights(t, rule.weights_axis, /*per_tensor=*/false));
      weight_scales = q->quant.scale;
    } else if (role == quant::InputRole::kBias) {
      ASSIGN_OR_RETURN(q, quant::QuantizeBias(t, input_scale, weight_scales));
    }
    if (q) {
      ASSIGN_OR_RETURN(sg.tensors[static_cast<size_t>(x)].data, Dequantized(*q));
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<QuantPlan> PlanQuantization(const ir::Model& float_model,
                                     const std::map<int32_t, quant::Observer>& observers,
                                     const QuantPlanOptions& options) {
  if (float_model.subgraphs.size() != 1) {
    return Unimplemented("quantization-aware training needs a model with one subgraph");
  }
  const ir::Subgraph& sg = float_model.subgraphs[0];
  quant::SelectionOptions sel;
  sel.method = options.method;
  sel.percentile = options.percentile;
  QuantPlan plan;
  plan.quantized = quant::SelectOps(sg, observers, sel).quantized;
  quant::ActivationPlanOptions act;
  act.method = options.method;
  act.percentile = options.percentile;
  act.own_ranges = options.own_ranges;
  ASSIGN_OR_RETURN(plan.acts, quant::PlanActivations(sg, plan.quantized, observers, act));
  return plan;
}

void TruncateTo(ir::Subgraph& sg, const std::vector<int32_t>& outputs) {
  std::vector<bool> needed(sg.tensors.size(), false);
  for (int32_t t : outputs) needed[static_cast<size_t>(t)] = true;
  std::vector<ir::Operator> kept;
  for (auto it = sg.ops.rbegin(); it != sg.ops.rend(); ++it) {
    bool feeds = false;
    for (int32_t o : it->outputs) feeds = feeds || (o >= 0 && needed[static_cast<size_t>(o)]);
    if (!feeds) continue;
    for (int32_t in : it->inputs) {
      if (in >= 0) needed[static_cast<size_t>(in)] = true;
    }
    kept.push_back(std::move(*it));
  }
  std::reverse(kept.begin(), kept.end());
  sg.ops = std::move(kept);
  sg.outputs = outputs;
}

StatusOr<FakeQuantGraph> BuildFakeQuantGraph(const ir::Model& float_model, const QuantPlan& plan,
                                             const std::vector<int32_t>& outputs) {
  FakeQuantGraph out;
  out.model = float_model;
  out.model.signatures.clear();
  const ir::Subgraph& src = float_model.subgraphs[0];
  ir::Subgraph& sg = out.model.subgraphs[0];
  for (size_t i = 0; i < src.ops.size(); ++i) {
    if (plan.quantized[i]) RETURN_IF_ERROR(FakeQuantizeConstants(src, sg, i, plan));
  }
  // fake[t]: the QUANTIZE -> DEQUANTIZE output of t. Quantized ops read it;
  // float ops read it too when t comes from a quantized op (the exporter
  // puts a DEQUANTIZE there), but not when t is float at its source.
  std::map<int32_t, int32_t> fake;
  std::vector<bool> int8_at_source(src.tensors.size(), false);
  std::vector<ir::Operator> ops;
  auto emit = [&](int32_t t, bool quantized_source) {
    auto it = plan.acts.find(t);
    if (it == plan.acts.end()) return;
    ir::Tensor q = src.tensors[static_cast<size_t>(t)];
    ir::Tensor f = q;
    q.name += "/fake_quant_int8";
    q.dtype = DType::kInt8;
    q.data = nullptr;
    q.quant = {};
    q.quant.scale = {it->second.params.scale};
    q.quant.zero_point = {it->second.params.zero_point};
    f.name += "/fake_quant";
    f.data = nullptr;
    f.quant = {};
    const int32_t qi = sg.AddTensor(std::move(q));
    const int32_t fi = sg.AddTensor(std::move(f));
    ir::Operator quantize;
    quantize.kind = ir::OpKind::kQuantize;
    quantize.inputs = {t};
    quantize.outputs = {qi};
    ir::Operator dequantize;
    dequantize.kind = ir::OpKind::kDequantize;
    dequantize.inputs = {qi};
    dequantize.outputs = {fi};
    ops.push_back(std::move(quantize));
    ops.push_back(std::move(dequantize));
    fake[t] = fi;
    int8_at_source[static_cast<size_t>(t)] = quantized_source;
  };
  for (int32_t t : src.inputs) emit(t, false);
  for (size_t i = 0; i < src.ops.size(); ++i) {
    ir::Operator op = src.ops[i];
    for (int32_t& x : op.inputs) {
      auto it = x >= 0 ? fake.find(x) : fake.end();
      if (it != fake.end() && (plan.quantized[i] || int8_at_source[static_cast<size_t>(x)])) {
        x = it->second;
      }
    }
    const std::vector<int32_t> ys = op.outputs;
    ops.push_back(std::move(op));
    for (int32_t y : ys) {
      if (y >= 0) emit(y, plan.quantized[i]);
    }
  }
  sg.ops = std::move(ops);
  for (int32_t t : outputs) {
    auto it = fake.find(t);
    const bool fq = it != fake.end() && int8_at_source[static_cast<size_t>(t)];
    out.outputs.push_back(fq ? it->second : t);
  }
  for (size_t t = 0; t < src.tensors.size(); ++t) {
    auto it = fake.find(static_cast<int32_t>(t));
    out.fake_of[static_cast<int32_t>(t)] =
        it != fake.end() && int8_at_source[t] ? it->second : static_cast<int32_t>(t);
  }
  TruncateTo(sg, out.outputs);
  return out;
}

}  // namespace detlite::train
