#include "api/inspect_sparsity.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <string>

#include "api/tensor_info.h"
#include "core/dtype.h"

namespace detlite::api {
namespace {

template <typename T>
T Load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Whether stored element i of `t` is zero (the zero point of its channel for
// quantized integers; a dense tensor's element i is at channel
// (i / inner) % dim, a sparse tensor's channel is unknown so only a zero
// point shared by all channels is used).
bool IsZero(const ir::Tensor& t, size_t i, int64_t inner) {
  const uint8_t* p = t.data->data() + i * DTypeSize(t.dtype);
  int64_t zp = 0;
  const auto& z = t.quant.zero_point;
  if (z.size() == 1) {
    zp = z[0];
  } else if (z.size() > 1 && !t.sparsity && inner > 0) {
    const int64_t dim = t.shape.dim(t.quant.quantized_dimension);
    zp = z[static_cast<size_t>((static_cast<int64_t>(i) / inner) % dim)];
  }
  switch (t.dtype) {
    case DType::kFloat32: return Load<float>(p) == 0.0f;
    case DType::kFloat16: return (Load<uint16_t>(p) & 0x7fff) == 0;
    case DType::kFloat64: return Load<double>(p) == 0.0;
    case DType::kInt8: return Load<int8_t>(p) == zp;
    case DType::kUInt8: return Load<uint8_t>(p) == zp;
    case DType::kInt16: return Load<int16_t>(p) == zp;
    case DType::kInt32: return Load<int32_t>(p) == zp;
    case DType::kInt64: return Load<int64_t>(p) == zp;
    default: break;
  }
  for (size_t b = 0; b < DTypeSize(t.dtype); ++b) {
    if (p[b] != 0) return false;
  }
  return true;
}

int64_t StoredElements(const ir::Tensor& t) {
  const size_t elem = DTypeSize(t.dtype);
  return elem ? static_cast<int64_t>(t.data->size() / elem) : 0;
}

// The constant an op's weights come from, through DENSIFY and DEQUANTIZE.
const ir::Tensor* WeightSource(const ir::Subgraph& sg, int32_t index) {
  for (int hops = 0; hops < 3 && index >= 0; ++hops) {
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(index)];
    if (t.is_constant()) return &t;
    int32_t next = -1;
    for (const ir::Operator& op : sg.ops) {
      const bool pass_through = op.kind == ir::OpKind::kDensify || op.kind == ir::OpKind::kDequantize;
      if (pass_through && op.outputs.size() == 1 && op.outputs[0] == index && !op.inputs.empty()) {
        next = op.inputs[0];
      }
    }
    index = next;
  }
  return nullptr;
}

}  // namespace

int64_t CountZeros(const ir::Tensor& t) {
  if (!t.data || DTypeSize(t.dtype) == 0) return 0;
  const int64_t n = t.shape.NumElements();
  if (n <= 0) return 0;
  const int64_t stored = StoredElements(t);
  const int qd = t.quant.quantized_dimension;
  const int64_t inner = qd >= 0 && qd < t.shape.rank() ? t.shape.FlatSize(qd + 1, t.shape.rank()) : 0;
  int64_t zeros = t.sparsity ? n - stored : 0;
  for (int64_t i = 0; i < stored; ++i) zeros += IsZero(t, static_cast<size_t>(i), inner) ? 1 : 0;
  return zeros;
}

void InspectSparsity(const ir::Subgraph& sg, ModelInfo* info) {
  for (const ir::Tensor& t : sg.tensors) {
    if (!t.data) continue;
    ConstantSparsity c;
    c.name = t.name;
    c.dtype = std::string(DTypeName(t.dtype));
    c.elements = std::max<int64_t>(t.shape.NumElements(), 0);
    c.zeros = CountZeros(t);
    c.stored_sparse = t.sparsity.has_value();
    c.stored_elements = StoredElements(t);
    info->constant_sparsity.push_back(std::move(c));
  }
  std::set<const ir::Tensor*> counted;  // weights shared by ops count once
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    const ir::Operator& op = sg.ops[k];
    if (op.kind != ir::OpKind::kConv2D && op.kind != ir::OpKind::kDepthwiseConv2D &&
        op.kind != ir::OpKind::kFullyConnected) {
      continue;
    }
    const ir::Tensor* w = op.inputs.size() > 1 ? WeightSource(sg, op.inputs[1]) : nullptr;
    if (w == nullptr) continue;
    OpSparsity o;
    o.op_index = static_cast<int>(k);
    o.op = std::string(ir::OpKindName(op.kind));
    o.weights = w->name;
    o.weight_elements = std::max<int64_t>(w->shape.NumElements(), 0);
    o.zero_weights = CountZeros(*w);
    o.macs = OpMacs(sg, op);
    // Every weight takes part in the same number of products (the MACs
    // formula is output elements x weights per output), so the skippable
    // share is the zero share.
    if (o.weight_elements > 0) o.skippable_macs = o.macs / o.weight_elements * o.zero_weights;
    if (counted.insert(w).second) {
      info->sparsity.weights += o.weight_elements;
      info->sparsity.zero_weights += o.zero_weights;
    }
    info->sparsity.macs += o.macs;
    info->sparsity.skippable_macs += o.skippable_macs;
    info->op_sparsity.push_back(std::move(o));
  }
}

}  // namespace detlite::api
