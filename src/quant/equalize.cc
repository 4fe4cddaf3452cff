#include "quant/equalize.h"

#include <algorithm>
#include <cmath>

#include "quant/conv_layer.h"

namespace detlite::quant {
namespace {

bool IsConvOrDepthwise(const std::optional<ConvLayer>& l) {
  return l && l->kind != ir::OpKind::kFullyConnected;
}

// Largest |w| per output channel (first layer) or input channel (second).
std::vector<float> Ranges(const ConvLayer& l, const std::vector<float>& w, bool out) {
  std::vector<float> r(static_cast<size_t>(out ? l.out_channels : l.in_channels), 0.0f);
  for (size_t e = 0; e < w.size(); ++e) {
    const int64_t c = out ? l.OutChannel(static_cast<int64_t>(e)) : l.InChannel(static_cast<int64_t>(e));
    float& m = r[static_cast<size_t>(c)];
    m = std::max(m, std::fabs(w[e]));
  }
  return r;
}

// One equalization step of a pair; returns the largest |log s_i|.
double EqualizeOnce(ir::Subgraph& sg, const ConvLayer& a, const ConvLayer& b) {
  ir::Tensor& wa = sg.tensors[static_cast<size_t>(a.weights)];
  ir::Tensor& wb = sg.tensors[static_cast<size_t>(b.weights)];
  std::vector<float> va = ReadFloats(wa), vb = ReadFloats(wb);
  const std::vector<float> r1 = Ranges(a, va, true), r2 = Ranges(b, vb, false);
  std::vector<float> s(r1.size(), 1.0f);
  double change = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (r1[i] > 0 && r2[i] > 0 && std::isfinite(r1[i]) && std::isfinite(r2[i])) {
      const double si = std::sqrt(static_cast<double>(r1[i]) * r2[i]) / r2[i];
      s[i] = static_cast<float>(si);
      change = std::max(change, std::fabs(std::log(si)));
    }
  }
  if (change == 0) return 0;
  for (size_t e = 0; e < va.size(); ++e) va[e] /= s[static_cast<size_t>(a.OutChannel(static_cast<int64_t>(e)))];
  for (size_t e = 0; e < vb.size(); ++e) vb[e] *= s[static_cast<size_t>(b.InChannel(static_cast<int64_t>(e)))];
  WriteFloats(wa, va);
  WriteFloats(wb, vb);
  if (a.bias >= 0) {
    ir::Tensor& ba = sg.tensors[static_cast<size_t>(a.bias)];
    std::vector<float> vbias = ReadFloats(ba);
    for (size_t o = 0; o < vbias.size(); ++o) vbias[o] /= s[o];
    WriteFloats(ba, vbias);
  }
  return change;
}

}  // namespace

std::vector<EqualizePair> FindEqualizePairs(const ir::Subgraph& sg, bool allow_relu6,
                                            int* relu6_skipped) {
  std::vector<EqualizePair> pairs;
  // The op reading each tensor, when exactly one op reads it once.
  std::vector<int> reader(sg.tensors.size(), -1), reads(sg.tensors.size(), 0);
  for (size_t j = 0; j < sg.ops.size(); ++j) {
    for (int32_t x : sg.ops[j].inputs) {
      if (x < 0) continue;
      ++reads[static_cast<size_t>(x)];
      reader[static_cast<size_t>(x)] = static_cast<int>(j);
    }
  }
  for (int32_t y : sg.outputs) ++reads[static_cast<size_t>(y)];
  auto single = [&](int32_t t) { return t < 0 || reads[static_cast<size_t>(t)] == 1; };
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const auto a = AsConvLayer(sg, static_cast<int>(i));
    if (!IsConvOrDepthwise(a) || !single(a->weights) || !single(a->bias)) continue;
    const int32_t y = sg.ops[i].outputs[0];
    if (y < 0 || reads[static_cast<size_t>(y)] != 1) continue;
    const int j = reader[static_cast<size_t>(y)];
    if (sg.ops[static_cast<size_t>(j)].inputs[0] != y) continue;
    const auto b = AsConvLayer(sg, j);
    if (!IsConvOrDepthwise(b) || !single(b->weights) || b->in_channels != a->out_channels) continue;
    const ir::Activation act = FusedActivation(sg.ops[i]);
    if (act == ir::Activation::kRelu6) {
      if (!allow_relu6) {
        if (relu6_skipped) ++*relu6_skipped;
        continue;
      }
    } else if (act != ir::Activation::kNone && act != ir::Activation::kRelu) {
      continue;
    }
    pairs.push_back({static_cast<int>(i), j, y});
  }
  return pairs;
}

Status EqualizeCrossLayer(ir::Model& model, const EqualizeOptions& options,
                          EqualizeStats* stats) {
  if (model.subgraphs.empty()) return Status::Ok();
  ir::Subgraph& sg = model.subgraphs[0];
  EqualizeStats local;
  const std::vector<EqualizePair> pairs =
      FindEqualizePairs(sg, options.relu6_to_relu, &local.relu6_skipped);
  for (const EqualizePair& p : pairs) {
    ir::Operator& op = sg.ops[static_cast<size_t>(p.first)];
    if (FusedActivation(op) == ir::Activation::kRelu6) {
      SetFusedActivation(op, ir::Activation::kRelu);
      ++local.relu6_replaced;
    }
  }
  for (int it = 0; it < options.max_iterations && !pairs.empty(); ++it) {
    double change = 0;
    for (const EqualizePair& p : pairs) {
      change = std::max(change, EqualizeOnce(sg, *AsConvLayer(sg, p.first), *AsConvLayer(sg, p.second)));
    }
    local.iterations = it + 1;
    if (change < 1e-4) break;
  }
  local.pairs = static_cast<int>(pairs.size());
  local.equalized = pairs;
  if (stats) *stats = local;
  return Status::Ok();
}

}  // namespace detlite::quant
