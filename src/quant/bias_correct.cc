#include "quant/bias_correct.h"

#include <cstring>

#include "quant/conv_layer.h"
#include "quant/quantize_constants.h"

namespace detlite::quant {
namespace {

// W - dequantize(quantize(W)), quantized along the axis op_rules gives
// (output channels: axis 0, or 3 for depthwise).
StatusOr<std::vector<float>> WeightError(const ir::Tensor& w, const ConvLayer& l, bool per_tensor) {
  ASSIGN_OR_RETURN(ir::Tensor q, QuantizeWeights(w, l.depthwise() ? 3 : 0, per_tensor));
  const std::vector<float> v = ReadFloats(w);
  if (q.data->size() != v.size()) return Internal("weights '" + w.name + "' changed size");
  std::vector<float> err(v.size());
  const auto* qv = reinterpret_cast<const int8_t*>(q.data->data());
  for (size_t e = 0; e < v.size(); ++e) {
    const size_t c = per_tensor ? 0 : static_cast<size_t>(l.OutChannel(static_cast<int64_t>(e)));
    if (c >= q.quant.scale.size()) return Internal("weights '" + w.name + "' lack a scale");
    err[e] = v[e] - static_cast<float>(qv[e]) * q.quant.scale[c];
  }
  return err;
}

}  // namespace

std::vector<int> BiasCorrectionOps(const ir::Subgraph& sg, const std::vector<bool>& quantized) {
  std::vector<int> ops;
  for (size_t i = 0; i < sg.ops.size() && i < quantized.size(); ++i) {
    if (!quantized[i]) continue;
    const auto l = AsConvLayer(sg, static_cast<int>(i));
    if (!l || l->bias < 0) continue;
    const int32_t x = sg.ops[i].inputs[0];
    if (x < 0) continue;
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(x)];
    if (t.is_constant() || t.dtype != DType::kFloat32 || !t.has_rank || t.shape.rank() == 0 ||
        t.shape.dim(t.shape.rank() - 1) != l->in_channels) {
      continue;
    }
    ops.push_back(static_cast<int>(i));
  }
  return ops;
}

WeightSnapshot SnapshotLayerWeights(const ir::Subgraph& sg, const std::vector<bool>& quantized) {
  WeightSnapshot snapshot;
  for (size_t i = 0; i < sg.ops.size() && i < quantized.size(); ++i) {
    if (!quantized[i]) continue;
    const auto l = AsConvLayer(sg, static_cast<int>(i));
    if (l) snapshot[l->weights] = ReadFloats(sg.tensors[static_cast<size_t>(l->weights)]);
  }
  return snapshot;
}

Status CorrectBiases(ir::Model& model, const std::vector<int>& ops,
                     const std::map<int32_t, ChannelStats>& input_stats, bool per_tensor,
                     const WeightSnapshot* original, int* layers) {
  ir::Subgraph& sg = model.subgraphs.at(0);
  int changed = 0;
  for (int i : ops) {
    const auto l = AsConvLayer(sg, i);
    if (!l || l->bias < 0) continue;
    auto it = input_stats.find(sg.ops[static_cast<size_t>(i)].inputs[0]);
    if (it == input_stats.end() || it->second.sum.size() != static_cast<size_t>(l->in_channels)) {
      continue;
    }
    const ir::Tensor& w = sg.tensors[static_cast<size_t>(l->weights)];
    ASSIGN_OR_RETURN(std::vector<float> err, WeightError(w, *l, per_tensor));
    if (original) {
      auto before = original->find(l->weights);
      if (before != original->end() && before->second.size() == err.size()) {
        const std::vector<float> now = ReadFloats(w);
        for (size_t e = 0; e < err.size(); ++e) err[e] += before->second[e] - now[e];
      }
    }
    std::vector<double> shift(static_cast<size_t>(l->out_channels), 0.0);
    for (size_t e = 0; e < err.size(); ++e) {
      shift[static_cast<size_t>(l->OutChannel(static_cast<int64_t>(e)))] +=
          err[e] * it->second.Mean(static_cast<size_t>(l->InChannel(static_cast<int64_t>(e))));
    }
    // A bias shared with another op would change that op too: copy it.
    ir::Tensor& b = sg.tensors[static_cast<size_t>(l->bias)];
    std::vector<float> vb = ReadFloats(b);
    for (size_t o = 0; o < vb.size(); ++o) vb[o] = static_cast<float>(vb[o] + shift[o]);
    if (UseCount(sg, l->bias) > 1) {
      ir::Tensor copy = b;
      WriteFloats(copy, vb);
      sg.ops[static_cast<size_t>(i)].inputs[2] = sg.AddTensor(std::move(copy));
    } else {
      WriteFloats(b, vb);
    }
    ++changed;
  }
  if (layers) *layers = changed;
  return Status::Ok();
}

}  // namespace detlite::quant
