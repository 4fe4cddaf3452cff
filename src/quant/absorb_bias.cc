#include "quant/absorb_bias.h"

#include "quant/conv_layer.h"

namespace detlite::quant {
namespace {

bool Unpadded(const ir::Operator& op, const ConvLayer& l) {
  if (l.taps == 1) return true;
  if (const auto* o = std::get_if<ir::Conv2DOptions>(&op.options)) return o->padding == ir::Padding::kValid;
  if (const auto* o = std::get_if<ir::DepthwiseConv2DOptions>(&op.options)) {
    return o->padding == ir::Padding::kValid;
  }
  return false;
}

}  // namespace

std::vector<EqualizePair> AbsorbablePairs(const ir::Subgraph& sg,
                                          const std::vector<EqualizePair>& pairs) {
  std::vector<EqualizePair> out;
  for (const EqualizePair& p : pairs) {
    const auto a = AsConvLayer(sg, p.first);
    const auto b = AsConvLayer(sg, p.second);
    if (!a || !b || a->bias < 0 || b->bias < 0) continue;
    const ir::Activation act = FusedActivation(sg.ops[static_cast<size_t>(p.first)]);
    if (act != ir::Activation::kNone && act != ir::Activation::kRelu) continue;
    if (!Unpadded(sg.ops[static_cast<size_t>(p.second)], *b)) continue;
    out.push_back(p);
  }
  return out;
}

Status AbsorbHighBias(ir::Model& model, const std::vector<EqualizePair>& pairs,
                      const std::map<int32_t, ChannelStats>& stats, int* channels) {
  ir::Subgraph& sg = model.subgraphs.at(0);
  int shifted = 0;
  for (const EqualizePair& p : AbsorbablePairs(sg, pairs)) {
    auto it = stats.find(p.between);
    if (it == stats.end()) continue;
    const ConvLayer a = *AsConvLayer(sg, p.first);
    const ConvLayer b = *AsConvLayer(sg, p.second);
    if (it->second.min.size() != static_cast<size_t>(a.out_channels)) {
      return Internal("channel statistics of '" + sg.tensors[static_cast<size_t>(p.between)].name +
                      "' do not match its producer");
    }
    std::vector<float> c(it->second.min.size(), 0.0f);
    bool any = false;
    for (size_t i = 0; i < c.size(); ++i) {
      if (it->second.min[i] > 0) c[i] = it->second.min[i], any = true, ++shifted;
    }
    if (!any) continue;
    ir::Tensor& ba = sg.tensors[static_cast<size_t>(a.bias)];
    ir::Tensor& bb = sg.tensors[static_cast<size_t>(b.bias)];
    const std::vector<float> wb = ReadFloats(sg.tensors[static_cast<size_t>(b.weights)]);
    std::vector<float> va = ReadFloats(ba), vb = ReadFloats(bb);
    std::vector<double> add(vb.size(), 0.0);
    for (size_t e = 0; e < wb.size(); ++e) {
      add[static_cast<size_t>(b.OutChannel(static_cast<int64_t>(e)))] +=
          static_cast<double>(wb[e]) * c[static_cast<size_t>(b.InChannel(static_cast<int64_t>(e)))];
    }
    for (size_t i = 0; i < va.size(); ++i) va[i] -= c[i];
    for (size_t o = 0; o < vb.size(); ++o) vb[o] = static_cast<float>(vb[o] + add[o]);
    WriteFloats(ba, va);
    WriteFloats(bb, vb);
  }
  if (channels) *channels = shifted;
  return Status::Ok();
}

}  // namespace detlite::quant
