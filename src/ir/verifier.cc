#include "ir/verifier.h"

#include <algorithm>
#include <vector>

namespace detlite::ir {
namespace {

std::string T(int32_t i, const Subgraph& sg) {
  std::string s = "tensor " + std::to_string(i);
  if (i >= 0 && i < static_cast<int32_t>(sg.tensors.size()) &&
      !sg.tensors[static_cast<size_t>(i)].name.empty()) {
    s += " '" + sg.tensors[static_cast<size_t>(i)].name + "'";
  }
  return s;
}

void CheckTensor(const Subgraph& sg, int32_t i, const std::string& where,
                 VerifyReport* r) {
  const Tensor& t = sg.tensors[static_cast<size_t>(i)];
  for (int32_t d : t.shape.dims()) {
    if (d < 0) r->errors.push_back(where + T(i, sg) + " has negative dimension in shape " +
                                   t.shape.ToString());
  }
  if (t.data && !t.sparsity && DTypeSize(t.dtype) > 0) {
    const int64_t n = t.shape.NumElements();
    if (n < 0 || static_cast<uint64_t>(n) * DTypeSize(t.dtype) != t.data->size()) {
      r->errors.push_back(where + T(i, sg) + " holds " + std::to_string(t.data->size()) +
                          " bytes; " + std::string(DTypeName(t.dtype)) + t.shape.ToString() +
                          " needs " + std::to_string(n * static_cast<int64_t>(DTypeSize(t.dtype))));
    }
  }
  const QuantParams& q = t.quant;
  if (!q.zero_point.empty() && q.zero_point.size() != q.scale.size()) {
    r->errors.push_back(where + T(i, sg) + " has " + std::to_string(q.scale.size()) +
                        " scales but " + std::to_string(q.zero_point.size()) + " zero points");
  }
  if (q.per_axis()) {
    if (q.quantized_dimension < 0 || q.quantized_dimension >= t.shape.rank()) {
      r->errors.push_back(where + T(i, sg) + " quantized_dimension " +
                          std::to_string(q.quantized_dimension) + " is out of range for rank " +
                          std::to_string(t.shape.rank()));
    } else if (static_cast<int64_t>(q.scale.size()) != t.shape.dim(q.quantized_dimension)) {
      r->errors.push_back(where + T(i, sg) + " has " + std::to_string(q.scale.size()) +
                          " scales for dimension " + std::to_string(q.quantized_dimension) +
                          " of size " + std::to_string(t.shape.dim(q.quantized_dimension)));
    }
  }
  for (float s : q.scale) {
    if (!(s > 0.0f) && s != 0.0f) r->errors.push_back(where + T(i, sg) + " has a NaN or negative scale");
  }
}

void VerifySubgraph(const Subgraph& sg, const std::string& where, VerifyReport* r) {
  const int32_t n = static_cast<int32_t>(sg.tensors.size());
  auto in_range = [&](int32_t i) { return i >= 0 && i < n; };
  std::vector<int> producer(sg.tensors.size(), -1);
  std::vector<bool> used(sg.tensors.size(), false);
  std::vector<bool> available(sg.tensors.size(), false);
  for (int32_t i = 0; i < n; ++i) {
    const Tensor& t = sg.tensors[static_cast<size_t>(i)];
    available[static_cast<size_t>(i)] = t.is_constant() || t.is_variable;
    CheckTensor(sg, i, where, r);
  }
  for (int32_t i : sg.inputs) {
    if (!in_range(i)) {
      r->errors.push_back(where + "subgraph input refers to missing tensor " + std::to_string(i));
      continue;
    }
    available[static_cast<size_t>(i)] = true;
    used[static_cast<size_t>(i)] = true;
  }
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    const Operator& op = sg.ops[k];
    const std::string o = where + "op " + std::to_string(k) + " " +
                          (op.kind == OpKind::kCustom ? op.custom_code
                                                      : std::string(OpKindName(op.kind))) + ": ";
    for (int32_t i : op.inputs) {
      if (i == -1) continue;
      if (!in_range(i)) {
        r->errors.push_back(o + "input refers to missing tensor " + std::to_string(i));
        continue;
      }
      used[static_cast<size_t>(i)] = true;
      if (!available[static_cast<size_t>(i)]) {
        r->errors.push_back(o + "reads " + T(i, sg) +
                            " before any op writes it (ops out of order, or a cycle)");
      }
    }
    for (int32_t i : op.outputs) {
      if (!in_range(i)) {
        r->errors.push_back(o + "output refers to missing tensor " + std::to_string(i));
        continue;
      }
      used[static_cast<size_t>(i)] = true;
      if (sg.tensors[static_cast<size_t>(i)].is_constant()) {
        r->errors.push_back(o + "writes constant " + T(i, sg));
      }
      if (producer[static_cast<size_t>(i)] >= 0) {
        r->errors.push_back(o + "writes " + T(i, sg) + " already written by op " +
                            std::to_string(producer[static_cast<size_t>(i)]));
      }
      producer[static_cast<size_t>(i)] = static_cast<int>(k);
      available[static_cast<size_t>(i)] = true;
    }
  }
  for (int32_t i : sg.outputs) {
    if (!in_range(i)) {
      r->errors.push_back(where + "subgraph output refers to missing tensor " + std::to_string(i));
      continue;
    }
    used[static_cast<size_t>(i)] = true;
    if (!available[static_cast<size_t>(i)]) {
      r->errors.push_back(where + "subgraph output " + T(i, sg) + " is never written");
    }
  }
  int unused = 0;
  for (int32_t i = 0; i < n; ++i) unused += used[static_cast<size_t>(i)] ? 0 : 1;
  if (unused > 0) {
    r->warnings.push_back(where + std::to_string(unused) + " tensors are not used by any op");
  }
}

}  // namespace

VerifyReport VerifyModel(const Model& model) {
  VerifyReport r;
  if (model.subgraphs.empty()) r.errors.push_back("model has no subgraphs");
  for (size_t s = 0; s < model.subgraphs.size(); ++s) {
    VerifySubgraph(model.subgraphs[s], "subgraph " + std::to_string(s) + ": ", &r);
  }
  for (const SignatureDef& sig : model.signatures) {
    if (sig.subgraph_index < 0 ||
        sig.subgraph_index >= static_cast<int32_t>(model.subgraphs.size())) {
      r.errors.push_back("signature '" + sig.key + "' refers to missing subgraph " +
                         std::to_string(sig.subgraph_index));
    }
  }
  return r;
}

Status Verify(const Model& model) {
  VerifyReport r = VerifyModel(model);
  if (r.errors.empty()) return Status::Ok();
  std::string msg = r.errors[0];
  const size_t shown = std::min<size_t>(r.errors.size(), 5);
  for (size_t i = 1; i < shown; ++i) msg += "; " + r.errors[i];
  if (r.errors.size() > shown) {
    msg += "; and " + std::to_string(r.errors.size() - shown) + " more";
  }
  return InvalidArgument("invalid model: " + msg);
}

}  // namespace detlite::ir
