#include "prune/layers.h"

#include <cstring>
#include <memory>

#include "core/fp16.h"

namespace detlite::prune {
namespace {

bool FloatConstant(const ir::Tensor& t) {
  if (!t.is_constant() || t.sparsity || t.shape.rank() < 2) return false;
  if (t.dtype != DType::kFloat32 && t.dtype != DType::kFloat16) return false;
  const int64_t n = t.shape.NumElements();
  return n > 0 && t.data->size() == static_cast<size_t>(n) * DTypeSize(t.dtype);
}

}  // namespace

std::vector<Layer> FindLayers(const ir::Subgraph& sg) {
  std::vector<int32_t> producer(sg.tensors.size(), -1);
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    for (int32_t o : sg.ops[k].outputs) {
      if (o >= 0) producer[static_cast<size_t>(o)] = static_cast<int32_t>(k);
    }
  }
  std::vector<Layer> layers;
  bool seen_conv = false;
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    const ir::Operator& op = sg.ops[k];
    const bool conv = op.kind == ir::OpKind::kConv2D;
    if (!conv && op.kind != ir::OpKind::kFullyConnected) continue;
    const bool first = conv && !seen_conv;
    seen_conv = seen_conv || conv;
    if (op.inputs.size() < 2 || op.inputs[1] < 0) continue;
    int32_t w = op.inputs[1];
    const int32_t p = producer[static_cast<size_t>(w)];
    if (p >= 0 && sg.ops[static_cast<size_t>(p)].kind == ir::OpKind::kDequantize) {
      w = sg.ops[static_cast<size_t>(p)].inputs[0];
      if (sg.tensors[static_cast<size_t>(w)].dtype != DType::kFloat16) continue;
    }
    if (!FloatConstant(sg.tensors[static_cast<size_t>(w)])) continue;
    layers.push_back({static_cast<int>(k), w, first});
  }
  return layers;
}

std::vector<float> WeightValues(const ir::Tensor& t) {
  const size_t n = static_cast<size_t>(t.shape.NumElements());
  std::vector<float> v(n);
  if (t.dtype == DType::kFloat32) {
    std::memcpy(v.data(), t.data->data(), n * 4);
    return v;
  }
  for (size_t i = 0; i < n; ++i) {
    uint16_t h;
    std::memcpy(&h, t.data->data() + 2 * i, 2);
    v[i] = HalfToFloat(h);
  }
  return v;
}

ir::Tensor ZeroWeights(const ir::Tensor& t, const std::vector<bool>& mask,
                       const SparseLayout& layout) {
  ir::Tensor out = t;
  auto bytes = std::make_shared<ir::Bytes>(*t.data);
  const size_t elem = DTypeSize(t.dtype);
  for (size_t i = 0; i < mask.size(); ++i) {
    if (mask[i]) std::memset(bytes->data() + i * elem, 0, elem);
  }
  out.data = std::move(bytes);
  out.sparse_hint = layout;
  return out;
}

}  // namespace detlite::prune
