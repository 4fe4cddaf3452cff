// What must hold before writing: every index in range, every size
// consistent, nothing the reader had to leave out. Failing here names the
// problem; writing anyway would give a file TFLite (and detlite) rejects.
#include <algorithm>
#include <string>

#include "exporters/tflite/write_parts.h"

namespace detlite::tflite_export {
namespace {

constexpr int kMaxRank = 16;  // what detlite's reader accepts

std::string Label(const ir::Subgraph& sg, size_t i) {
  std::string s = "tensor " + std::to_string(i);
  if (!sg.tensors[i].name.empty()) s += " '" + sg.tensors[i].name + "'";
  return s;
}

Status CheckTensor(const ir::Subgraph& sg, size_t i, const std::string& where) {
  const ir::Tensor& t = sg.tensors[i];
  const std::string who = where + Label(sg, i);
  if (DTypeName(t.dtype) == "unknown") return InvalidArgument(who + " has an invalid dtype");
  if (t.shape.rank() > kMaxRank) return InvalidArgument(who + " has rank above 16");
  const int64_t n = t.shape.NumElements();
  if (n < 0) return InvalidArgument(who + " has an invalid shape " + t.shape.ToString());
  // The reader's cap: a file detlite writes, detlite must be able to read.
  const size_t elem = std::max<size_t>(DTypeSize(t.dtype), 1);
  if (static_cast<uint64_t>(n) > (4ull << 30) / elem) {
    return Unimplemented(who + " of shape " + t.shape.ToString() +
                         " is larger than the 4 GiB detlite supports");
  }
  if (!t.shape_signature.empty()) {
    if (static_cast<int>(t.shape_signature.size()) != t.shape.rank()) {
      return InvalidArgument(who + " has a shape_signature of another rank");
    }
    for (int32_t d : t.shape_signature) {
      if (d < -1) {
        return InvalidArgument(who + " has shape_signature dimension " + std::to_string(d));
      }
    }
  }
  const QuantParams& q = t.quant;
  if (!q.zero_point.empty() && q.zero_point.size() != q.scale.size()) {
    return InvalidArgument(who + " has different numbers of scales and zero points");
  }
  const bool qd_ok = q.quantized_dimension == 0 ||
                     (q.quantized_dimension > 0 && q.quantized_dimension < t.shape.rank());
  if (!qd_ok || (q.per_axis() && (t.shape.rank() == 0 ||
                                  t.shape.dim(q.quantized_dimension) !=
                                      static_cast<int64_t>(q.scale.size())))) {
    return InvalidArgument(who + " has per-axis quantization that does not fit its shape");
  }
  if (t.sparsity) {
    if (!t.data) return InvalidArgument(who + " is sparse but has no data");
    return Status::Ok();  // value count depends on the layout; reader re-checks
  }
  if (t.data && (DTypeSize(t.dtype) > 0 || t.dtype == DType::kInt4)) {
    const uint64_t need = t.dtype == DType::kInt4
                              ? (static_cast<uint64_t>(n) + 1) / 2
                              : static_cast<uint64_t>(n) * DTypeSize(t.dtype);
    if (t.data->size() != need) {
      return InvalidArgument(who + " has " + std::to_string(t.data->size()) +
                             " bytes, shape " + t.shape.ToString() + " " +
                             std::string(DTypeName(t.dtype)) + " needs " +
                             std::to_string(need));
    }
  }
  return Status::Ok();
}

Status CheckIndices(const std::vector<int32_t>& v, size_t n, bool allow_absent,
                    const std::string& who) {
  for (int32_t i : v) {
    if ((allow_absent && i == -1) || (i >= 0 && static_cast<size_t>(i) < n)) continue;
    return InvalidArgument(who + " refers to tensor " + std::to_string(i) + " of " +
                           std::to_string(n));
  }
  return Status::Ok();
}

Status CheckSubgraph(const ir::Subgraph& sg, const std::string& where) {
  const size_t n = sg.tensors.size();
  for (size_t i = 0; i < n; ++i) RETURN_IF_ERROR(CheckTensor(sg, i, where));
  RETURN_IF_ERROR(CheckIndices(sg.inputs, n, false, where + "subgraph input"));
  RETURN_IF_ERROR(CheckIndices(sg.outputs, n, false, where + "subgraph output"));
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    const ir::Operator& op = sg.ops[k];
    const std::string who = where + "op " + std::to_string(k) + " (" +
                            (op.kind == ir::OpKind::kCustom
                                 ? op.custom_code
                                 : std::string(ir::OpKindName(op.kind))) + ")";
    if (static_cast<int32_t>(op.kind) < 0) return InvalidArgument(who + " has a negative op code");
    if (op.kind == ir::OpKind::kCustom && op.custom_code.empty()) {
      return InvalidArgument(who + " is a custom op with no name");
    }
    if (op.version < 1) return InvalidArgument(who + " has version " + std::to_string(op.version));
    if (op.options_unsupported) {
      return Unimplemented(who + " has options that detlite could not represent when "
                           "reading; writing it would lose them");
    }
    RETURN_IF_ERROR(CheckIndices(op.inputs, n, true, who + " input"));
    RETURN_IF_ERROR(CheckIndices(op.outputs, n, false, who + " output"));
    RETURN_IF_ERROR(CheckIndices(op.intermediates, n, false, who + " intermediate"));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateForWrite(const ir::Model& model) {
  if (!model.unsupported_features.empty()) {
    std::string what = model.unsupported_features[0];
    if (model.unsupported_features.size() > 1) {
      what += " (and " + std::to_string(model.unsupported_features.size() - 1) + " more)";
    }
    return Unimplemented("the model has parts detlite could not represent when "
                         "reading, and writing would lose them: " + what);
  }
  if (model.version != 3) {
    return InvalidArgument("model version " + std::to_string(model.version) +
                           "; only schema version 3 is written");
  }
  if (model.subgraphs.empty()) return InvalidArgument("model has no subgraphs");
  for (size_t s = 0; s < model.subgraphs.size(); ++s) {
    const std::string where = s == 0 ? "" : "subgraph " + std::to_string(s) + " ";
    RETURN_IF_ERROR(CheckSubgraph(model.subgraphs[s], where));
  }
  for (const ir::SignatureDef& sig : model.signatures) {
    const std::string who = "signature '" + sig.key + "'";
    if (sig.subgraph_index < 0 ||
        static_cast<size_t>(sig.subgraph_index) >= model.subgraphs.size()) {
      return InvalidArgument(who + " refers to subgraph " + std::to_string(sig.subgraph_index));
    }
    const size_t n = model.subgraphs[static_cast<size_t>(sig.subgraph_index)].tensors.size();
    for (const auto* list : {&sig.inputs, &sig.outputs}) {
      for (const ir::SignatureTensor& st : *list) {
        if (st.tensor_index < 0 || static_cast<size_t>(st.tensor_index) >= n) {
          return InvalidArgument(who + " names tensor " + std::to_string(st.tensor_index));
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace detlite::tflite_export
