#include "prune/channel_groups.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "prune/layers.h"

namespace detlite::prune {
namespace {

using ir::OpKind;

bool IsUnary(OpKind k) {
  switch (k) {
    case OpKind::kRelu: case OpKind::kRelu6: case OpKind::kReluN1To1: case OpKind::kRelu0To1:
    case OpKind::kLogistic: case OpKind::kTanh: case OpKind::kHardSwish: case OpKind::kLeakyRelu:
    case OpKind::kElu: case OpKind::kAbs: case OpKind::kNeg: case OpKind::kGelu: case OpKind::kExp:
    case OpKind::kSquare: case OpKind::kSqrt: case OpKind::kRsqrt: case OpKind::kFloor:
    case OpKind::kCeil: case OpKind::kRound: case OpKind::kSign: case OpKind::kSin:
    case OpKind::kCos: case OpKind::kLog:
      return true;
    default:
      return false;
  }
}

bool IsBinary(OpKind k) {
  switch (k) {
    case OpKind::kAdd: case OpKind::kSub: case OpKind::kMul: case OpKind::kDiv:
    case OpKind::kMaximum: case OpKind::kMinimum: case OpKind::kSquaredDifference:
    case OpKind::kPrelu:
      return true;
    default:
      return false;
  }
}

bool IsSpatial(OpKind k) {
  return k == OpKind::kAveragePool2D || k == OpKind::kMaxPool2D || k == OpKind::kL2Pool2D ||
         k == OpKind::kResizeBilinear || k == OpKind::kResizeNearestNeighbor;
}

class Walker {
 public:
  explicit Walker(const ir::Subgraph& sg) : sg_(sg), producer_(Producers(sg)) {
    g_.offset.assign(sg.tensors.size(), -1);
    int64_t n = 0;
    for (size_t t = 0; t < sg.tensors.size(); ++t) {
      const ir::Tensor& x = sg.tensors[t];
      if (x.is_constant() || !x.has_rank || x.shape.rank() != 4 || x.shape.dim(3) <= 0) continue;
      const int32_t p = producer_[t];
      if (p >= 0 && sg.ops[static_cast<size_t>(p)].kind == OpKind::kDequantize) continue;  // weights
      g_.offset[t] = n;
      n += x.shape.dim(3);
    }
    parent_.resize(static_cast<size_t>(n));
    std::iota(parent_.begin(), parent_.end(), 0);
    pin_.assign(static_cast<size_t>(n), -1);
  }

  ChannelGraph Build(bool keep_first_conv);

 private:
  bool Has(int32_t t) const { return t >= 0 && g_.offset[static_cast<size_t>(t)] >= 0; }
  int C(int32_t t) const { return sg_.tensors[static_cast<size_t>(t)].shape.dim(3); }
  int64_t Node(int32_t t, int c) const { return g_.offset[static_cast<size_t>(t)] + c; }
  int64_t Find(int64_t a) {
    while (parent_[static_cast<size_t>(a)] != a) {
      parent_[static_cast<size_t>(a)] = parent_[static_cast<size_t>(parent_[static_cast<size_t>(a)])];
      a = parent_[static_cast<size_t>(a)];
    }
    return a;
  }
  void Union(int64_t a, int64_t b) {
    a = Find(a), b = Find(b);
    if (a != b) parent_[static_cast<size_t>(std::max(a, b))] = std::min(a, b);
  }
  void Pin(int32_t t, const std::string& why) {
    if (!Has(t)) return;
    int reason = -1;
    for (size_t i = 0; i < g_.pin_reasons.size(); ++i) reason = g_.pin_reasons[i] == why ? static_cast<int>(i) : reason;
    if (reason < 0) {
      reason = static_cast<int>(g_.pin_reasons.size());
      g_.pin_reasons.push_back(why);
    }
    for (int c = 0; c < C(t); ++c) {
      if (pin_[static_cast<size_t>(Node(t, c))] < 0) pin_[static_cast<size_t>(Node(t, c))] = reason;
    }
  }
  void PinOp(const ir::Operator& op, const std::string& why) {
    for (int32_t t : op.inputs) Pin(t, why);
    for (int32_t t : op.outputs) Pin(t, why);
  }
  bool Tie(int32_t a, int32_t b, int offset_b = 0) {
    if (!Has(a) || !Has(b) || C(a) + offset_b > C(b)) return false;
    for (int c = 0; c < C(a); ++c) Union(Node(a, c), Node(b, c + offset_b));
    return true;
  }
  bool Visit(const ir::Operator& op);
  bool VisitBinary(const ir::Operator& op);
  bool VisitConcat(const ir::Operator& op);
  bool VisitPad(const ir::Operator& op);
  bool ConvWeightsOk(const ir::Operator& op, bool depthwise) const;

  const ir::Subgraph& sg_;
  std::vector<int32_t> producer_;
  ChannelGraph g_;
  std::vector<int64_t> parent_;
  std::vector<int> pin_;  // node -> reason index, -1 if free
};

bool Walker::ConvWeightsOk(const ir::Operator& op, bool depthwise) const {
  if (op.inputs.size() < 2 || op.outputs.empty() || !Has(op.inputs[0]) || !Has(op.outputs[0])) return false;
  const int32_t w = ConstantBehind(sg_, producer_, op.inputs[1]);
  if (w < 0) return false;
  const Shape& s = sg_.tensors[static_cast<size_t>(w)].shape;
  if (s.rank() != 4) return false;
  const int in = C(op.inputs[0]), out = C(op.outputs[0]);
  if (depthwise ? (s.dim(0) != 1 || s.dim(3) != out || in != out) : (s.dim(0) != out || s.dim(3) != in)) {
    return false;
  }
  if (op.inputs.size() > 2 && op.inputs[2] >= 0) {
    const int32_t b = ConstantBehind(sg_, producer_, op.inputs[2]);
    if (b < 0 || sg_.tensors[static_cast<size_t>(b)].shape.NumElements() != out) return false;
  }
  return true;
}

bool Walker::VisitBinary(const ir::Operator& op) {
  const int32_t out = op.outputs[0];
  for (int32_t in : op.inputs) {
    if (in < 0) return false;
    const ir::Tensor& t = sg_.tensors[static_cast<size_t>(in)];
    const int64_t n = t.shape.NumElements();
    const int last = t.shape.rank() > 0 ? t.shape.dim(t.shape.rank() - 1) : 1;
    if (t.is_constant() || ConstantBehind(sg_, producer_, in) >= 0) {
      // A scalar, or one value per channel (broadcast over the rest); float16
      // behind a DEQUANTIZE too (PRELU's alpha in MediaPipe models).
      if (n == 1 || (last == C(out) && n == last)) continue;
      return false;
    }
    if (Has(in) && C(in) == C(out)) {
      Tie(in, out);
    } else if (last == 1 && C(out) > 1) {
      Pin(in, "tensor '" + t.name + "' is broadcast across channels");
    } else {
      return false;
    }
  }
  return true;
}

bool Walker::VisitConcat(const ir::Operator& op) {
  const auto* o = std::get_if<ir::ConcatenationOptions>(&op.options);
  if (o == nullptr) return false;
  const int axis = o->axis < 0 ? o->axis + 4 : o->axis;
  int offset = 0;
  for (int32_t in : op.inputs) {
    if (!Has(in)) return false;
    if (!Tie(in, op.outputs[0], axis == 3 ? offset : 0)) return false;
    offset += axis == 3 ? C(in) : 0;
  }
  return axis != 3 || offset == C(op.outputs[0]);
}

bool Walker::VisitPad(const ir::Operator& op) {
  if (op.inputs.size() < 2 || !Has(op.inputs[0])) return false;
  const ir::Tensor& p = sg_.tensors[static_cast<size_t>(op.inputs[1])];
  if (!p.is_constant() || p.shape.NumElements() != 8) return false;
  int64_t before = 0, after = 0;
  if (p.dtype == DType::kInt32) {
    const auto* v = reinterpret_cast<const int32_t*>(p.data->data());
    before = v[6], after = v[7];
  } else if (p.dtype == DType::kInt64) {
    const auto* v = reinterpret_cast<const int64_t*>(p.data->data());
    before = v[6], after = v[7];
  } else {
    return false;
  }
  if ((before != 0 || after != 0) && op.kind != OpKind::kPad) return false;  // only zeros
  return Tie(op.inputs[0], op.outputs[0], static_cast<int>(before));
}

bool Walker::Visit(const ir::Operator& op) {
  if (op.outputs.size() != 1 || !Has(op.outputs[0])) return false;
  const int32_t out = op.outputs[0];
  switch (op.kind) {
    case OpKind::kConv2D:
      return ConvWeightsOk(op, false);
    case OpKind::kDepthwiseConv2D:
      return ConvWeightsOk(op, true) && Tie(op.inputs[0], out);
    case OpKind::kConcatenation:
      return VisitConcat(op);
    case OpKind::kPad: case OpKind::kPadv2: case OpKind::kMirrorPad:
      return VisitPad(op);
    default:
      break;
  }
  if (IsUnary(op.kind) && op.inputs.size() == 1) return Tie(op.inputs[0], out) && C(op.inputs[0]) == C(out);
  if (IsSpatial(op.kind) && !op.inputs.empty()) return Tie(op.inputs[0], out) && C(op.inputs[0]) == C(out);
  if (IsBinary(op.kind)) return VisitBinary(op);
  return false;
}

ChannelGraph Walker::Build(bool keep_first_conv) {
  for (const ir::Operator& op : sg_.ops) {
    if (!Visit(op)) {
      const std::string name = std::string(ir::OpKindName(op.kind));
      PinOp(op, op.kind == OpKind::kCustom ? "feeds custom op " + op.custom_code
                                          : "is an input or output of " + name + " (not rewritable)");
    }
  }
  for (int32_t t : sg_.inputs) Pin(t, "is a model input");
  for (int32_t t : sg_.outputs) Pin(t, "is a model output");
  // Classes: one per union root.
  std::vector<int> root_class(parent_.size(), -1);
  g_.node_class.assign(parent_.size(), -1);
  std::vector<int> class_reason;
  for (size_t n = 0; n < parent_.size(); ++n) {
    const auto r = static_cast<size_t>(Find(static_cast<int64_t>(n)));
    if (root_class[r] < 0) {
      root_class[r] = static_cast<int>(g_.classes.size());
      g_.classes.emplace_back();
      class_reason.push_back(-1);
    }
    const int c = root_class[r];
    g_.node_class[n] = c;
    if (pin_[n] >= 0) {
      g_.classes[static_cast<size_t>(c)].pinned = true;
      if (class_reason[static_cast<size_t>(c)] < 0) class_reason[static_cast<size_t>(c)] = pin_[n];
    }
  }
  int first_conv = -1;
  for (size_t k = 0; k < sg_.ops.size(); ++k) {
    const ir::Operator& op = sg_.ops[k];
    if (op.kind != OpKind::kConv2D) continue;
    if (first_conv < 0) first_conv = static_cast<int>(k);
    if (!ConvWeightsOk(op, false)) continue;
    const ir::Tensor& w = sg_.tensors[static_cast<size_t>(ConstantBehind(sg_, producer_, op.inputs[1]))];
    const std::vector<float> v = WeightValues(w);
    const size_t inner = v.size() / static_cast<size_t>(w.shape.dim(0));
    for (int c = 0; c < w.shape.dim(0); ++c) {
      ChannelClass& cl = g_.classes[static_cast<size_t>(g_.ClassOf(op.outputs[0], c))];
      cl.sources.push_back({static_cast<int>(k), c});
      double s = 0;
      for (size_t i = 0; i < inner; ++i) s += static_cast<double>(v[c * inner + i]) * v[c * inner + i];
      cl.norm += s;  // squared for now
    }
  }
  std::map<std::pair<std::vector<int>, int>, int> group_of;  // (sources, pin reason) -> group
  for (size_t c = 0; c < g_.classes.size(); ++c) {
    ChannelClass& cl = g_.classes[c];
    cl.norm = std::sqrt(cl.norm);
    std::vector<int> ops;
    for (const ChannelSource& s : cl.sources) ops.push_back(s.op);
    std::sort(ops.begin(), ops.end());
    ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
    auto [it, added] = group_of.try_emplace({ops, class_reason[c]}, static_cast<int>(g_.groups.size()));
    if (added) {
      ChannelGroup grp;
      grp.source_ops = ops;
      if (!ops.empty()) grp.name = sg_.tensors[static_cast<size_t>(sg_.ops[static_cast<size_t>(ops[0])].outputs[0])].name;
      if (class_reason[c] >= 0) {
        grp.unprunable = "a tensor of it " + g_.pin_reasons[static_cast<size_t>(class_reason[c])];
      } else if (ops.empty()) {
        grp.unprunable = "no convolution produces these channels";
      } else if (keep_first_conv && std::find(ops.begin(), ops.end(), first_conv) != ops.end()) {
        grp.unprunable = "first convolution";
      }
      g_.groups.push_back(std::move(grp));
    }
    g_.groups[static_cast<size_t>(it->second)].classes.push_back(static_cast<int>(c));
  }
  return std::move(g_);
}

}  // namespace

int ChannelGraph::Channels(const ir::Subgraph& sg, int32_t t) const {
  return offset[static_cast<size_t>(t)] < 0 ? 0 : sg.tensors[static_cast<size_t>(t)].shape.dim(3);
}

std::vector<int32_t> Producers(const ir::Subgraph& sg) {
  std::vector<int32_t> producer(sg.tensors.size(), -1);
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    for (int32_t o : sg.ops[k].outputs) {
      if (o >= 0) producer[static_cast<size_t>(o)] = static_cast<int32_t>(k);
    }
  }
  return producer;
}

int32_t ConstantBehind(const ir::Subgraph& sg, const std::vector<int32_t>& producer, int32_t t) {
  if (t < 0) return -1;
  const ir::Tensor& x = sg.tensors[static_cast<size_t>(t)];
  if (x.is_constant()) {
    return !x.sparsity && (x.dtype == DType::kFloat32 || x.dtype == DType::kFloat16) ? t : -1;
  }
  const int32_t p = producer[static_cast<size_t>(t)];
  if (p < 0 || sg.ops[static_cast<size_t>(p)].kind != OpKind::kDequantize) return -1;
  const int32_t w = sg.ops[static_cast<size_t>(p)].inputs[0];
  const ir::Tensor& c = sg.tensors[static_cast<size_t>(w)];
  return c.is_constant() && !c.sparsity && c.dtype == DType::kFloat16 ? w : -1;
}

ChannelGraph BuildChannelGraph(const ir::Subgraph& sg, bool keep_first_conv) {
  return Walker(sg).Build(keep_first_conv);
}

}  // namespace detlite::prune
