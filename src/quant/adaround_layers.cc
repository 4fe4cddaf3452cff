#include "quant/adaround_layers.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "quant/conv_layer.h"
#include "quant/layer_gram.h"
#include "quant/range_select.h"

namespace detlite::quant {
namespace {

std::vector<ConvLayer> Candidates(const ir::Subgraph& sg, const std::vector<bool>& quantized) {
  std::vector<ConvLayer> layers;
  for (size_t i = 0; i < sg.ops.size() && i < quantized.size(); ++i) {
    if (!quantized[i]) continue;
    const auto l = AsConvLayer(sg, static_cast<int>(i));
    if (!l || UseCount(sg, l->weights) != 1) continue;
    const int32_t x = sg.ops[i].inputs[0];
    if (x < 0) continue;
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(x)];
    if (t.is_constant() || t.dtype != DType::kFloat32) continue;
    layers.push_back(*l);
  }
  return layers;
}

struct LayerOutcome {
  bool changed = false;
  int64_t weights = 0, flipped = 0;
  double relative_error = 1.0;
};

// Learns the rounding of one layer's weights `w` (in place, as q * scale).
LayerOutcome RoundLayer(const ConvLayer& l, const LayerGram& gram, bool per_tensor,
                        const AdaRoundOptions& options, std::vector<float>& w) {
  const int64_t out = l.out_channels;
  std::vector<float> channel_max(static_cast<size_t>(out), 0.0f);
  for (size_t e = 0; e < w.size(); ++e) {
    float& m = channel_max[static_cast<size_t>(l.OutChannel(static_cast<int64_t>(e)))];
    m = std::max(m, std::fabs(w[e]));
  }
  float tensor_max = 0;
  for (float m : channel_max) tensor_max = std::max(tensor_max, m);
  auto scale_of = [&](int64_t oc) {
    return SymmetricParams(per_tensor ? tensor_max : channel_max[static_cast<size_t>(oc)], 127).scale;
  };
  // Groups of rows sharing one Gram: all output channels for conv/FC, the
  // depth multiplier's channels of one input channel for depthwise.
  const int64_t rows = l.depthwise() ? l.multiplier : out;
  const int64_t k = gram.k;
  LayerOutcome outcome;
  double nearest = 0, learned = 0;
  std::vector<float> next = w;
  for (int64_t g = 0; g < gram.groups; ++g) {
    auto index = [&](int64_t r, int64_t j) -> int64_t {
      return l.depthwise() ? j * out + g * rows + r : r * k + j;
    };
    auto channel = [&](int64_t r) { return l.depthwise() ? g * rows + r : r; };
    std::vector<float> m(static_cast<size_t>(rows * k)), scales(static_cast<size_t>(rows));
    std::vector<int64_t> fixed;
    for (int64_t r = 0; r < rows; ++r) {
      scales[static_cast<size_t>(r)] = scale_of(channel(r));
      int64_t arg = 0;
      for (int64_t j = 0; j < k; ++j) {
        const float v = w[static_cast<size_t>(index(r, j))];
        m[static_cast<size_t>(r * k + j)] = v;
        // A zero weight (pruned, or stored sparse) stays zero: rounding it
        // up would refill the sparsity.
        if (v == 0.0f) fixed.push_back(r * k + j);
        if (std::fabs(v) > std::fabs(m[static_cast<size_t>(r * k + arg)])) arg = j;
      }
      fixed.push_back(r * k + arg);
      if (channel_max[static_cast<size_t>(channel(r))] == 0.0f) {
        for (int64_t j = 0; j < k; ++j) fixed.push_back(r * k + j);
      }
    }
    const AdaRoundResult res =
        AdaRoundRows(m.data(), rows, k, scales.data(), gram.Group(g), fixed, options);
    nearest += res.nearest_error;
    // Keep the learned rounding of a group only where it beats nearest.
    const bool better = res.adaround_error < res.nearest_error;
    learned += better ? res.adaround_error : res.nearest_error;
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t j = 0; j < k; ++j) {
        const float s = scales[static_cast<size_t>(r)];
        const float q = better ? static_cast<float>(res.q[static_cast<size_t>(r * k + j)])
                               : std::clamp(std::nearbyint(m[static_cast<size_t>(r * k + j)] / s), -127.0f, 127.0f);
        next[static_cast<size_t>(index(r, j))] = q * s;
      }
    }
    if (better) outcome.flipped += res.flipped;
  }
  outcome.relative_error = nearest > 0 ? learned / nearest : 1.0;
  outcome.changed = learned < nearest;
  outcome.weights = static_cast<int64_t>(w.size());
  if (outcome.changed) w = std::move(next);
  return outcome;
}

}  // namespace

Status AdaRoundLayers(ir::Model& model, const std::vector<bool>& quantized, bool per_tensor,
                      int num_samples, const SampleLoader& load, int threads,
                      const AdaRoundOptions& options, AdaRoundSummary* summary) {
  const auto start = std::chrono::steady_clock::now();
  ir::Subgraph& sg = model.subgraphs.at(0);
  const std::vector<ConvLayer> layers = Candidates(sg, quantized);
  AdaRoundSummary sum;
  if (!layers.empty()) {
    ASSIGN_OR_RETURN(auto grams, CollectLayerGrams(model, layers, num_samples, load, threads));
    std::vector<std::vector<float>> weights(layers.size());
    std::vector<LayerOutcome> outcomes(layers.size());
    for (size_t j = 0; j < layers.size(); ++j) {
      weights[j] = ReadFloats(sg.tensors[static_cast<size_t>(layers[j].weights)]);
    }
    // Largest layers first, so threads finish together.
    std::vector<size_t> order(layers.size());
    for (size_t j = 0; j < order.size(); ++j) order[j] = j;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return weights[a].size() * static_cast<size_t>(grams[a].k) >
             weights[b].size() * static_cast<size_t>(grams[b].k);
    });
    std::atomic<size_t> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < std::max(1, threads); ++t) {
      pool.emplace_back([&] {
        for (size_t i = next++; i < order.size(); i = next++) {
          const size_t j = order[i];
          outcomes[j] = RoundLayer(layers[j], grams[j], per_tensor, options, weights[j]);
        }
      });
    }
    for (auto& th : pool) th.join();
    for (size_t j = 0; j < layers.size(); ++j) {
      ++sum.layers_tried;
      sum.relative_error_after += outcomes[j].relative_error;
      if (!outcomes[j].changed) continue;
      WriteFloats(sg.tensors[static_cast<size_t>(layers[j].weights)], weights[j]);
      ++sum.layers;
      sum.weights += outcomes[j].weights;
      sum.flipped += outcomes[j].flipped;
    }
  }
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (summary) *summary = sum;
  return Status::Ok();
}

}  // namespace detlite::quant
