// Model::Inspect: the numbers a user wants before optimizing a model.
#include <string>

#include "api/inspect_sparsity.h"
#include "api/tensor_info.h"
#include "core/dtype.h"
#include "detlite/model.h"
#include "ir/graph.h"
#include "ir/verifier.h"

namespace detlite {
namespace {

int64_t Elements(const ir::Tensor& t) {
  const int64_t n = t.shape.NumElements();
  return n < 0 ? 0 : n;
}


}  // namespace

namespace api {

// Multiply-accumulates of the compute-heavy ops, from their shapes.
int64_t OpMacs(const ir::Subgraph& sg, const ir::Operator& op) {
  auto tensor = [&](size_t i) -> const ir::Tensor* {
    if (i >= op.inputs.size() || op.inputs[i] < 0) return nullptr;
    return &sg.tensors[static_cast<size_t>(op.inputs[i])];
  };
  if (op.outputs.empty() || op.outputs[0] < 0) return 0;
  const ir::Tensor& out = sg.tensors[static_cast<size_t>(op.outputs[0])];
  const ir::Tensor* w = tensor(1);
  if (!w || w->shape.rank() < 2) return 0;
  switch (op.kind) {
    case ir::OpKind::kConv2D:  // weights [OC, KH, KW, IC]
      return Elements(out) * w->shape.FlatSize(1, w->shape.rank());
    case ir::OpKind::kDepthwiseConv2D:  // weights [1, KH, KW, OC]
      return Elements(out) * w->shape.FlatSize(1, w->shape.rank() - 1);
    case ir::OpKind::kFullyConnected:  // weights [OC, IC]
      return Elements(out) * w->shape.dim(w->shape.rank() - 1);
    case ir::OpKind::kTransposeConv: {  // inputs: output_shape, weights, input
      const ir::Tensor* in = tensor(2);
      return in ? Elements(*in) * w->shape.FlatSize(0, w->shape.rank() - 1) : 0;
    }
    case ir::OpKind::kBatchMatmul: {
      const ir::Tensor* a = tensor(0);
      return a && a->shape.rank() >= 1 ? Elements(out) * a->shape.dim(a->shape.rank() - 1) : 0;
    }
    default:
      return 0;
  }
}

}  // namespace api

ModelInfo Model::Inspect() const {
  ModelInfo info;
  info.path = path_;
  info.file_bytes = file_bytes_;
  info.schema_version = ir_->version;
  info.description = ir_->description;
  info.subgraphs = static_cast<int>(ir_->subgraphs.size());
  for (const ir::Metadata& m : ir_->metadata) {
    info.metadata[m.name] = static_cast<int64_t>(m.data.size());
    if (m.name == "min_runtime_version") {
      // A NUL-padded string.
      std::string v(m.data.begin(), m.data.end());
      info.min_runtime_version = v.substr(0, v.find('\0'));
    }
  }
  for (const ir::SignatureDef& s : ir_->signatures) {
    SignatureInfo si{s.key, s.subgraph_index, {}, {}};
    for (const auto& t : s.inputs) si.inputs.emplace_back(t.name, t.tensor_index);
    for (const auto& t : s.outputs) si.outputs.emplace_back(t.name, t.tensor_index);
    info.signatures.push_back(std::move(si));
  }
  info.warnings = ir::VerifyModel(*ir_).warnings;
  if (ir_->subgraphs.empty()) return info;
  const ir::Subgraph& sg = ir_->subgraphs[0];
  for (int32_t i : sg.inputs) info.inputs.push_back(api::MakeTensorInfo(sg, i));
  for (int32_t i : sg.outputs) info.outputs.push_back(api::MakeTensorInfo(sg, i));
  info.tensors = static_cast<int>(sg.tensors.size());
  info.ops = static_cast<int>(sg.ops.size());
  for (const ir::Operator& op : sg.ops) {
    const std::string name = op.kind == ir::OpKind::kCustom
                                 ? op.custom_code
                                 : std::string(ir::OpKindName(op.kind));
    ++info.op_histogram[name];
    info.macs += api::OpMacs(sg, op);
  }
  for (const ir::Tensor& t : sg.tensors) {
    if (!t.data) continue;
    const int64_t n = Elements(t);
    DTypeStats& st = info.constants_by_dtype[std::string(DTypeName(t.dtype))];
    ++st.tensors;
    st.elements += n;
    st.bytes += static_cast<int64_t>(t.data->size());
    info.parameters += n;
    if (t.sparsity) {
      const size_t elem = DTypeSize(t.dtype);
      info.sparse_tensors.push_back(
          {t.name, n, elem ? static_cast<int64_t>(t.data->size() / elem) : 0});
    }
  }
  api::InspectSparsity(sg, &info);
  return info;
}

}  // namespace detlite
