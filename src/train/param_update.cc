#include "train/param_update.h"

#include <cstring>
#include <memory>
#include <set>

#include "quant/quantize_constants.h"

namespace detlite::train {

std::vector<int32_t> FloatParameters(const ir::Subgraph& sg, size_t limit) {
  std::set<int32_t> params;
  for (const ir::Operator& op : sg.ops) {
    for (int32_t x : op.inputs) {
      if (x >= 0 && static_cast<size_t>(x) < limit && sg.tensors[static_cast<size_t>(x)].is_constant() &&
          sg.tensors[static_cast<size_t>(x)].dtype == DType::kFloat32) {
        params.insert(x);
      }
    }
  }
  return std::vector<int32_t>(params.begin(), params.end());
}

void AccumulateGradients(const Gradients& g, const std::vector<int32_t>& params,
                         std::map<int32_t, std::vector<float>>* sum) {
  for (int32_t p : params) {
    const std::vector<float>* d = g.Find(p);
    if (d == nullptr) continue;
    auto& acc = (*sum)[p];
    if (acc.empty()) acc.assign(d->size(), 0.0f);
    for (size_t k = 0; k < d->size(); ++k) acc[k] += (*d)[k];
  }
}

ZeroMasks SparseMasks(const ir::Subgraph& sg, const std::vector<int32_t>& params) {
  ZeroMasks masks;
  for (int32_t p : params) {
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(p)];
    if (!t.sparse_hint) continue;
    const std::vector<float> w = quant::FloatValues(t);
    std::vector<bool>& m = masks[p];
    m.resize(w.size());
    for (size_t k = 0; k < w.size(); ++k) m[k] = w[k] != 0.0f;
  }
  return masks;
}

void ApplyGradients(std::map<int32_t, std::vector<float>>* sum, double n, float lr,
                    Optimizer* optimizer, ir::Subgraph* sg, const ZeroMasks* masks) {
  optimizer->BeginStep();
  for (auto& [p, g] : *sum) {
    for (float& v : g) v = static_cast<float>(v / n);
    ir::Tensor& t = sg->tensors[static_cast<size_t>(p)];
    std::vector<float> w = quant::FloatValues(t);
    const std::vector<bool>* mask = nullptr;
    if (masks != nullptr) {
      auto it = masks->find(p);
      if (it != masks->end() && it->second.size() == w.size()) mask = &it->second;
    }
    if (mask != nullptr) {
      for (size_t k = 0; k < g.size(); ++k) g[k] = (*mask)[k] ? g[k] : 0.0f;
    }
    optimizer->Update(p, lr, g, &w);
    if (mask != nullptr) {
      // Adam's momentum and weight decay could still move a zero: pin it.
      for (size_t k = 0; k < w.size(); ++k) w[k] = (*mask)[k] ? w[k] : 0.0f;
    }
    auto bytes = std::make_shared<ir::Bytes>(w.size() * sizeof(float));
    std::memcpy(bytes->data(), w.data(), bytes->size());
    t.data = bytes;
  }
}

ir::Model WithParameters(const ir::Model& model, const ir::Subgraph& trained,
                         const std::vector<int32_t>& params) {
  ir::Model out = model;
  for (int32_t p : params) {
    out.subgraphs[0].tensors[static_cast<size_t>(p)].data = trained.tensors[static_cast<size_t>(p)].data;
  }
  return out;
}

}  // namespace detlite::train
