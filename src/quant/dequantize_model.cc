#include "quant/dequantize_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ir/compact.h"
#include "quant/fold_float_weights.h"

namespace detlite::quant {
namespace {

bool Quantized(const ir::Tensor& t) {
  const bool integer = IsQuantizedIntType(t.dtype) || t.dtype == DType::kInt32 ||
                       t.dtype == DType::kInt64;
  return integer && t.quant.has_scale();
}

int64_t Integer(const ir::Tensor& t, size_t i) {
  const uint8_t* p = t.data->data();
  switch (t.dtype) {
    case DType::kInt8: return static_cast<int8_t>(p[i]);
    case DType::kUInt8: return p[i];
    case DType::kInt16: { int16_t v; std::memcpy(&v, p + 2 * i, 2); return v; }
    case DType::kInt32: { int32_t v; std::memcpy(&v, p + 4 * i, 4); return v; }
    default: { int64_t v; std::memcpy(&v, p + 8 * i, 8); return v; }
  }
}

Status Check(const ir::Tensor& t) {
  const QuantParams& q = t.quant;
  const std::string where = "tensor '" + t.name + "'";
  const int rank = t.shape.rank();
  if (q.per_axis()) {
    if (q.quantized_dimension < 0 || q.quantized_dimension >= rank ||
        t.shape.dim(q.quantized_dimension) != static_cast<int64_t>(q.scale.size())) {
      return InvalidArgument(where + ": " + std::to_string(q.scale.size()) +
                             " scales do not fit axis " + std::to_string(q.quantized_dimension) +
                             " of shape " + t.shape.ToString());
    }
  }
  if (!q.zero_point.empty() && q.zero_point.size() != q.scale.size()) {
    return InvalidArgument(where + ": " + std::to_string(q.zero_point.size()) +
                           " zero points for " + std::to_string(q.scale.size()) + " scales");
  }
  for (float s : q.scale) {
    if (!std::isfinite(s) || s <= 0) return InvalidArgument(where + ": scale " + std::to_string(s));
  }
  if (t.is_constant() && t.data->size() != static_cast<size_t>(t.shape.NumElements()) *
                                               DTypeSize(t.dtype)) {
    return InvalidArgument(where + ": " + std::to_string(t.data->size()) + " bytes for " +
                           std::string(DTypeName(t.dtype)) + t.shape.ToString());
  }
  return Status::Ok();
}

void ToFloat(ir::Tensor& t) {
  if (t.is_constant()) {
    const QuantParams& q = t.quant;
    const size_t n = static_cast<size_t>(t.shape.NumElements());
    int64_t inner = 1;
    for (int d = q.quantized_dimension + 1; d < t.shape.rank(); ++d) inner *= t.shape.dim(d);
    auto values = std::make_shared<ir::Bytes>(n * 4);
    for (size_t i = 0; i < n; ++i) {
      const size_t c = q.per_axis() ? static_cast<size_t>((static_cast<int64_t>(i) / inner) %
                                                          static_cast<int64_t>(q.scale.size()))
                                    : 0;
      const int64_t zp = q.zero_point.empty() ? 0 : q.zero_point[c];
      const float f = static_cast<float>(static_cast<double>(Integer(t, i) - zp) * q.scale[c]);
      std::memcpy(values->data() + 4 * i, &f, 4);
    }
    t.data = std::move(values);
  }
  t.dtype = DType::kFloat32;
  t.quant = {};
}

void Replace(ir::Subgraph& sg, int32_t from, int32_t to) {
  for (ir::Operator& op : sg.ops) {
    std::replace(op.inputs.begin(), op.inputs.end(), from, to);
    std::replace(op.outputs.begin(), op.outputs.end(), from, to);
  }
  std::replace(sg.outputs.begin(), sg.outputs.end(), from, to);
}

bool Contains(const std::vector<int32_t>& v, int32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// QUANTIZE and DEQUANTIZE between float32 tensors are identities once every
// quantized tensor is float. The graph's own input and output tensors (and
// their names) are kept. float16 constants behind DEQUANTIZE are left to
// FoldFloatWeights.
int DropIdentities(ir::Subgraph& sg) {
  std::vector<bool> drop(sg.ops.size(), false);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& op = sg.ops[i];
    if ((op.kind != ir::OpKind::kQuantize && op.kind != ir::OpKind::kDequantize) ||
        op.inputs.size() != 1 || op.outputs.size() != 1 || op.inputs[0] < 0) {
      continue;
    }
    const int32_t in = op.inputs[0], out = op.outputs[0];
    const ir::Tensor& tin = sg.tensors[static_cast<size_t>(in)];
    if (tin.dtype != DType::kFloat32 || sg.tensors[static_cast<size_t>(out)].dtype != DType::kFloat32) {
      continue;
    }
    const bool in_is_boundary =
        Contains(sg.inputs, in) || Contains(sg.outputs, in) || tin.is_constant();
    const bool out_is_output = Contains(sg.outputs, out);
    if (out_is_output && in_is_boundary) continue;  // both ends are the graph's own
    drop[i] = true;
    if (out_is_output) {
      Replace(sg, in, out);  // the producer of `in` writes the named output directly
    } else {
      Replace(sg, out, in);
    }
  }
  std::vector<ir::Operator> kept;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    if (!drop[i]) kept.push_back(std::move(sg.ops[i]));
  }
  const int removed = static_cast<int>(sg.ops.size() - kept.size());
  sg.ops = std::move(kept);
  return removed;
}

}  // namespace

Status DequantizeModel(ir::Model& model, DequantizeStats* stats) {
  *stats = {};
  ir::Model work = model;
  int folded = 0;
  RETURN_IF_ERROR(FoldSparseWeights(work, &folded));
  stats->ops_removed += folded;
  for (size_t si = 0; si < work.subgraphs.size(); ++si) {
    ir::Subgraph& sg = work.subgraphs[si];
    for (ir::Tensor& t : sg.tensors) {
      if (!Quantized(t)) continue;
      RETURN_IF_ERROR(Check(t));
      ++(t.is_constant() ? stats->constants : stats->activations);
      ToFloat(t);
    }
    stats->ops_removed += DropIdentities(sg);
    ir::CompactTensors(work, static_cast<int>(si));
  }
  if (stats->constants + stats->activations == 0) {
    return FailedPrecondition("nothing is quantized in the model: it is float already");
  }
  int halves = 0;
  RETURN_IF_ERROR(FoldFloatWeights(work, &halves));
  stats->ops_removed += halves;
  model = std::move(work);
  return Status::Ok();
}

}  // namespace detlite::quant
