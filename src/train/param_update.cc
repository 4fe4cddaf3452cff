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

void ApplyGradients(std::map<int32_t, std::vector<float>>* sum, double n, float lr,
                    Optimizer* optimizer, ir::Subgraph* sg) {
  optimizer->BeginStep();
  for (auto& [p, g] : *sum) {
    for (float& v : g) v = static_cast<float>(v / n);
    ir::Tensor& t = sg->tensors[static_cast<size_t>(p)];
    std::vector<float> w = quant::FloatValues(t);
    optimizer->Update(p, lr, g, &w);
    auto bytes = std::make_shared<ir::Bytes>(w.size() * sizeof(float));
    std::memcpy(bytes->data(), w.data(), bytes->size());
    t.data = bytes;
  }
}

}  // namespace detlite::train
