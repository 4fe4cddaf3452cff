#include "prune/channel_rewrite.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "ir/compact.h"
#include "prune/channel_slice.h"
#include "prune/layers.h"

namespace detlite::prune {
namespace {

using ir::OpKind;
constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

double Act(ir::Activation a, double x) {
  switch (a) {
    case ir::Activation::kNone: return x;
    case ir::Activation::kRelu: return std::max(0.0, x);
    case ir::Activation::kRelu6: return std::clamp(x, 0.0, 6.0);
    case ir::Activation::kReluN1To1: return std::clamp(x, -1.0, 1.0);
    case ir::Activation::kTanh: return std::tanh(x);
    default: return kUnknown;
  }
}

ir::Activation FusedAct(const ir::Operator& op) {
  if (const auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) return o->activation;
  if (const auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) return o->activation;
  if (const auto* o = std::get_if<ir::ArithmeticOptions>(&op.options)) return o->activation;
  return ir::Activation::kNone;
}

int64_t ChannelPadBefore(const ir::Tensor& p) {
  return p.dtype == DType::kInt64 ? reinterpret_cast<const int64_t*>(p.data->data())[6]
                                  : reinterpret_cast<const int32_t*>(p.data->data())[6];
}

class Remover {
 public:
  Remover(ir::Model& model, const ChannelGraph& g, const std::vector<bool>& remove,
          const std::vector<std::vector<double>>* means)
      : sg_(model.subgraphs[0]), orig_(model.subgraphs[0]), g_(g), remove_(remove), means_(means),
        producer_(Producers(sg_)), uses_(sg_.tensors.size(), 0) {
    for (const ir::Operator& op : orig_.ops) {
      for (int32_t x : op.inputs) {
        if (x >= 0) ++uses_[static_cast<size_t>(x)];
      }
    }
    keep_.resize(sg_.tensors.size());
    value_.assign(g.node_class.size(), kUnknown);
    for (size_t t = 0; t < sg_.tensors.size(); ++t) {
      for (int c = 0; c < g_.Channels(sg_, static_cast<int32_t>(t)); ++c) {
        if (!Removed(static_cast<int32_t>(t), c)) keep_[t].push_back(c);
      }
    }
  }

  void PropagateValues();
  Status Rewrite(bool compensate, RemoveStats* stats);

 private:
  bool Has(int32_t t) const { return t >= 0 && g_.offset[static_cast<size_t>(t)] >= 0; }
  bool Removed(int32_t t, int c) const { return remove_[static_cast<size_t>(g_.ClassOf(t, c))]; }
  bool Full(int32_t t) const {
    return keep_[static_cast<size_t>(t)].size() == static_cast<size_t>(g_.Channels(sg_, t));
  }
  double& Value(int32_t t, int c) { return value_[static_cast<size_t>(g_.offset[static_cast<size_t>(t)] + c)]; }
  double InValue(int32_t in, int c, int channels);
  // The float values of the constant at (or behind a DEQUANTIZE at) t.
  std::vector<float> Floats(int32_t t) const {
    const int32_t c = ConstantBehind(orig_, producer_, t);
    return c < 0 ? std::vector<float>{} : WeightValues(orig_.tensors[static_cast<size_t>(c)]);
  }
  int32_t Add(ir::Tensor t) { return sg_.AddTensor(std::move(t)); }
  // Makes `t` the constant behind input `slot` of `op`: directly, or as the
  // input of the DEQUANTIZE feeding it (whose output takes t's shape). A
  // DEQUANTIZE output other ops read too (MediaPipe models share one zero
  // bias among several convs) is left alone: this op gets t's values as a
  // float32 constant instead.
  void Install(ir::Operator& op, size_t slot, ir::Tensor t) {
    const int32_t x = op.inputs[slot];
    if (orig_.tensors[static_cast<size_t>(x)].is_constant()) {
      op.inputs[slot] = Add(std::move(t));
      return;
    }
    if (uses_[static_cast<size_t>(x)] > 1) {
      op.inputs[slot] = Add(FloatConstant(t.name, t.shape, WeightValues(t)));
      return;
    }
    const Shape shape = t.shape;
    const int32_t index = Add(std::move(t));
    sg_.ops[static_cast<size_t>(producer_[static_cast<size_t>(x)])].inputs[0] = index;
    ir::Tensor& dq = sg_.tensors[static_cast<size_t>(x)];
    dq.shape = shape;
    dq.shape_signature.clear();
  }
  void RewriteConv(ir::Operator& op, bool compensate, RemoveStats* stats);
  void RewriteDepthwise(ir::Operator& op);
  void RewritePad(ir::Operator& op);

  ir::Subgraph& sg_;
  const ir::Subgraph orig_;  // as it was: every constant is read from here
  const ChannelGraph& g_;
  const std::vector<bool>& remove_;
  const std::vector<std::vector<double>>* means_;
  std::vector<int32_t> producer_;
  std::vector<int> uses_;  // per tensor: how many op inputs read it
  std::vector<std::vector<int>> keep_;
  std::vector<double> value_;  // per node: the constant a removed channel stands for
};

// The value input `in` contributes at channel c of a `channels`-wide op.
double Remover::InValue(int32_t in, int c, int channels) {
  if (in < 0) return kUnknown;
  const ir::Tensor& t = orig_.tensors[static_cast<size_t>(in)];
  if (t.is_constant()) {
    const std::vector<float> v = WeightValues(t);
    if (v.size() == 1) return v[0];
    return v.size() == static_cast<size_t>(channels) ? v[static_cast<size_t>(c)] : kUnknown;
  }
  return Has(in) && g_.Channels(sg_, in) == channels ? Value(in, c) : kUnknown;
}

void Remover::PropagateValues() {
  for (const ir::Operator& op : sg_.ops) {
    if (op.outputs.size() != 1 || !Has(op.outputs[0])) continue;
    const int32_t out = op.outputs[0];
    const int n = g_.Channels(sg_, out);
    const int32_t in = op.inputs.empty() ? -1 : op.inputs[0];
    bool any = false;
    for (int c = 0; c < n && !any; ++c) any = Removed(out, c);
    if (!any) continue;
    const bool conv = op.kind == OpKind::kConv2D || op.kind == OpKind::kDepthwiseConv2D;
    const std::vector<float> b = conv && op.inputs.size() > 2 ? Floats(op.inputs[2]) : std::vector<float>{};
    const std::vector<float> w = op.kind == OpKind::kDepthwiseConv2D ? Floats(op.inputs[1]) : std::vector<float>{};
    for (int c = 0; c < n; ++c) {
      if (!Removed(out, c)) continue;
      double v = kUnknown;
      switch (op.kind) {
        case OpKind::kConv2D: {
          v = Act(FusedAct(op), b.empty() ? 0.0 : b[static_cast<size_t>(c)]);
          break;
        }
        case OpKind::kDepthwiseConv2D: {
          double taps = 0;
          for (size_t i = static_cast<size_t>(c); i < w.size(); i += static_cast<size_t>(n)) taps += w[i];
          v = Act(FusedAct(op), (b.empty() ? 0.0 : b[static_cast<size_t>(c)]) + InValue(in, c, n) * taps);
          break;
        }
        case OpKind::kRelu: v = Act(ir::Activation::kRelu, InValue(in, c, n)); break;
        case OpKind::kRelu6: v = Act(ir::Activation::kRelu6, InValue(in, c, n)); break;
        case OpKind::kReluN1To1: v = Act(ir::Activation::kReluN1To1, InValue(in, c, n)); break;
        case OpKind::kAveragePool2D: case OpKind::kMaxPool2D:
        case OpKind::kResizeBilinear: case OpKind::kResizeNearestNeighbor:
          v = InValue(in, c, n);
          break;
        case OpKind::kAdd: case OpKind::kSub: case OpKind::kMul: {
          const double a = InValue(op.inputs[0], c, n), b = InValue(op.inputs[1], c, n);
          v = op.kind == OpKind::kAdd ? a + b : op.kind == OpKind::kSub ? a - b : a * b;
          v = Act(FusedAct(op), v);
          break;
        }
        case OpKind::kConcatenation: {
          int base = 0;
          const auto* o = std::get_if<ir::ConcatenationOptions>(&op.options);
          const bool channel_axis = o != nullptr && (o->axis == 3 || o->axis == -1);
          for (int32_t x : op.inputs) {
            const int cx = g_.Channels(sg_, x);
            if (!channel_axis) { v = InValue(x, c, n); break; }
            if (c < base + cx) { v = InValue(x, c - base, cx); break; }
            base += cx;
          }
          break;
        }
        case OpKind::kPad: {  // padded channels are zeros; the others the input's
          const int64_t before = ChannelPadBefore(orig_.tensors[static_cast<size_t>(op.inputs[1])]);
          const int64_t i = c - before;
          v = i >= 0 && i < g_.Channels(sg_, in) ? Value(in, static_cast<int>(i)) : 0.0;
          break;
        }
        default:
          break;
      }
      Value(out, c) = v;
    }
  }
}

void Remover::RewriteConv(ir::Operator& op, bool compensate, RemoveStats* stats) {
  const int32_t in = op.inputs[0], out = op.outputs[0];
  const int32_t w_index = ConstantBehind(orig_, producer_, op.inputs[1]);
  if (!Has(in) || !Has(out) || w_index < 0) return;
  const ir::Tensor& w = orig_.tensors[static_cast<size_t>(w_index)];
  const int o_n = w.shape.dim(0), i_n = w.shape.dim(3);
  std::vector<double> delta(static_cast<size_t>(o_n), 0.0);
  bool any = false;
  if (compensate && !Full(in)) {
    const std::vector<float> wv = WeightValues(w);
    const size_t taps = wv.size() / static_cast<size_t>(o_n * i_n);
    for (int c = 0; c < i_n; ++c) {
      const bool measured = means_ != nullptr && static_cast<size_t>(in) < means_->size() &&
                            (*means_)[static_cast<size_t>(in)].size() == static_cast<size_t>(i_n);
      const double v = !Removed(in, c) ? 0.0 : measured ? (*means_)[static_cast<size_t>(in)][static_cast<size_t>(c)]
                                                        : Value(in, c);
      if (!std::isfinite(v) || v == 0.0) continue;
      any = true;
      for (int o = 0; o < o_n; ++o) {
        double s = 0;
        for (size_t k = 0; k < taps; ++k) s += wv[(static_cast<size_t>(o) * taps + k) * static_cast<size_t>(i_n) + static_cast<size_t>(c)];
        delta[static_cast<size_t>(o)] += v * s;
      }
    }
  }
  if (Full(in) && Full(out) && !any) return;
  const std::vector<int>& ko = keep_[static_cast<size_t>(out)];
  Install(op, 1, SliceConstant(SliceConstant(w, 0, ko), 3, keep_[static_cast<size_t>(in)]));
  const int32_t b_slot = op.inputs.size() > 2 ? op.inputs[2] : -1;
  const int32_t b_index = ConstantBehind(orig_, producer_, b_slot);
  if (b_index < 0 && !any) return;
  std::vector<float> b = b_index >= 0 ? Floats(b_slot) : std::vector<float>(static_cast<size_t>(o_n), 0.0f);
  std::vector<float> nb;
  for (int o : ko) nb.push_back(static_cast<float>(b[static_cast<size_t>(o)] + delta[static_cast<size_t>(o)]));
  if (b_index < 0) {
    op.inputs.resize(3, -1);
    op.inputs[2] = Add(FloatConstant(sg_.tensors[static_cast<size_t>(out)].name + "/bias",
                                     Shape{static_cast<int32_t>(nb.size())}, nb));
  } else {
    const ir::Tensor& old = orig_.tensors[static_cast<size_t>(b_index)];
    ir::Tensor nbt = FloatConstant(old.name, Shape{static_cast<int32_t>(nb.size())}, nb);
    if (old.dtype == DType::kFloat16) nbt = ToHalf(nbt);
    Install(op, 2, std::move(nbt));
  }
  if (any) ++stats->compensated_biases;
}

void Remover::RewriteDepthwise(ir::Operator& op) {
  const int32_t out = op.outputs[0];
  const int32_t w_index = ConstantBehind(orig_, producer_, op.inputs[1]);
  if (!Has(out) || w_index < 0 || Full(out)) return;
  const std::vector<int>& ko = keep_[static_cast<size_t>(out)];
  Install(op, 1, SliceConstant(orig_.tensors[static_cast<size_t>(w_index)], 3, ko));
  const int32_t b_index = ConstantBehind(orig_, producer_, op.inputs.size() > 2 ? op.inputs[2] : -1);
  if (b_index >= 0) Install(op, 2, SliceConstant(orig_.tensors[static_cast<size_t>(b_index)], 0, ko));
}

void Remover::RewritePad(ir::Operator& op) {
  const int32_t in = op.inputs[0], out = op.outputs[0];
  if (!Has(in) || !Has(out) || Full(out)) return;
  const int n = g_.Channels(sg_, out), cin = g_.Channels(sg_, in);
  ir::Tensor p = orig_.tensors[static_cast<size_t>(op.inputs[1])];
  const bool wide = p.dtype == DType::kInt64;
  int64_t pads[8];
  for (int i = 0; i < 8; ++i) {
    pads[i] = wide ? reinterpret_cast<const int64_t*>(p.data->data())[i]
                   : reinterpret_cast<const int32_t*>(p.data->data())[i];
  }
  int64_t before = 0, after = 0;
  for (int c = 0; c < n; ++c) {
    if (Removed(out, c)) continue;
    if (c < pads[6]) ++before;
    if (c >= pads[6] + cin) ++after;
  }
  pads[6] = before, pads[7] = after;
  auto bytes = std::make_shared<ir::Bytes>(p.data->size());
  for (int i = 0; i < 8; ++i) {
    if (wide) reinterpret_cast<int64_t*>(bytes->data())[i] = pads[i];
    else reinterpret_cast<int32_t*>(bytes->data())[i] = static_cast<int32_t>(pads[i]);
  }
  p.data = std::move(bytes);
  op.inputs[1] = Add(std::move(p));
}

Status Remover::Rewrite(bool compensate, RemoveStats* stats) {
  for (size_t k = 0; k < sg_.ops.size(); ++k) {
    ir::Operator op = sg_.ops[k];
    switch (op.kind) {
      case OpKind::kConv2D: RewriteConv(op, compensate, stats); break;
      case OpKind::kDepthwiseConv2D: RewriteDepthwise(op); break;
      case OpKind::kPad: RewritePad(op); break;
      case OpKind::kAdd: case OpKind::kSub: case OpKind::kMul: case OpKind::kDiv:
      case OpKind::kMaximum: case OpKind::kMinimum: case OpKind::kSquaredDifference:
      case OpKind::kPrelu:
        if (op.outputs.size() != 1 || !Has(op.outputs[0]) || Full(op.outputs[0])) break;
        for (size_t slot = 0; slot < op.inputs.size(); ++slot) {  // per-channel constants
          const int32_t x = op.inputs[slot];
          if (x < 0) continue;
          const int32_t c = orig_.tensors[static_cast<size_t>(x)].is_constant() ? x : ConstantBehind(orig_, producer_, x);
          if (c < 0) continue;
          const ir::Tensor& t = orig_.tensors[static_cast<size_t>(c)];
          const int n = g_.Channels(sg_, op.outputs[0]);
          if (t.shape.NumElements() != n || n == 1) continue;
          Install(op, slot, SliceConstant(t, t.shape.rank() - 1, keep_[static_cast<size_t>(op.outputs[0])]));
        }
        break;
      default:
        break;
    }
    sg_.ops[k] = std::move(op);
  }
  for (size_t t = 0; t < keep_.size(); ++t) {
    if (g_.offset[t] < 0 || Full(static_cast<int32_t>(t))) continue;
    ir::Tensor& x = sg_.tensors[t];
    if (keep_[t].empty()) return Internal("every channel of '" + x.name + "' would be removed");
    x.shape.dim(3) = static_cast<int32_t>(keep_[t].size());
    if (x.shape_signature.size() == 4) x.shape_signature[3] = x.shape.dim(3);
  }
  return Status::Ok();
}

}  // namespace

Status RemoveChannels(ir::Model& model, const ChannelGraph& graph, const std::vector<bool>& remove,
                      bool compensate, RemoveStats* stats,
                      const std::vector<std::vector<double>>* means) {
  if (remove.size() != graph.classes.size()) return Internal("channel removal: one flag per class expected");
  for (size_t c = 0; c < remove.size(); ++c) {
    if (remove[c] && graph.classes[c].pinned) return Internal("channel removal: a pinned class was chosen");
    if (remove[c]) ++stats->removed_classes;
  }
  Remover r(model, graph, remove, means);
  if (compensate) r.PropagateValues();
  RETURN_IF_ERROR(r.Rewrite(compensate, stats));
  ir::CompactTensors(model, 0);
  return Status::Ok();
}

}  // namespace detlite::prune
