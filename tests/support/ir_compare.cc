#include "support/ir_compare.h"

#include <cstring>
#include <variant>

namespace detlite::testing {
namespace {

template <typename T>
bool SameBits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

std::string DiffBytes(const ir::Bytes& a, const ir::Bytes& b) {
  if (a.size() != b.size()) {
    return "size " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return "differs at byte " + std::to_string(i);
  }
  return "";
}

std::string DiffQuant(const QuantParams& a, const QuantParams& b) {
  if (!SameBits(a.scale, b.scale)) return "scale differs";
  if (a.zero_point != b.zero_point) return "zero_point differs";
  if (!SameBits(a.min, b.min) || !SameBits(a.max, b.max)) return "min/max differ";
  if (a.quantized_dimension != b.quantized_dimension) return "quantized_dimension differs";
  return "";
}

std::string DiffTensor(const ir::Tensor& a, const ir::Tensor& b) {
  if (a.name != b.name) return "name '" + a.name + "' vs '" + b.name + "'";
  if (a.dtype != b.dtype) {
    return "dtype " + std::string(DTypeName(a.dtype)) + " vs " +
           std::string(DTypeName(b.dtype));
  }
  if (a.shape != b.shape) return "shape " + a.shape.ToString() + " vs " + b.shape.ToString();
  if (a.shape_signature != b.shape_signature) return "shape_signature differs";
  if (a.has_rank != b.has_rank) return "has_rank differs";
  if (a.is_variable != b.is_variable) return "is_variable differs";
  if (std::string d = DiffQuant(a.quant, b.quant); !d.empty()) return d;
  if (a.sparsity != b.sparsity) return "sparsity differs";
  if ((a.data == nullptr) != (b.data == nullptr)) return "one has data, the other not";
  if (a.data) {
    if (std::string d = DiffBytes(*a.data, *b.data); !d.empty()) return "data " + d;
  }
  return "";
}

// Options structs hold floats (beta, alpha) compared with ==, which differs
// from bitwise only for NaN and signed zero; good enough for options.
std::string DiffOp(const ir::Operator& a, const ir::Operator& b,
                   const CompareOptions& o) {
  if (a.kind != b.kind) return "kind differs";
  if (a.custom_code != b.custom_code) return "custom code differs";
  if (o.op_versions && a.version != b.version) {
    return "version " + std::to_string(a.version) + " vs " + std::to_string(b.version);
  }
  if (a.inputs != b.inputs) return "inputs differ";
  if (a.outputs != b.outputs) return "outputs differ";
  if (a.intermediates != b.intermediates) return "intermediates differ";
  if (a.options.index() != b.options.index()) {
    return "options type " + std::to_string(a.options.index()) + " vs " +
           std::to_string(b.options.index());
  }
  if (!(a.options == b.options)) return "options differ";
  if (a.custom_options != b.custom_options) return "custom options differ";
  if (a.options_unsupported != b.options_unsupported) return "options_unsupported differs";
  return "";
}

std::string DiffSubgraph(const ir::Subgraph& a, const ir::Subgraph& b,
                         const CompareOptions& o) {
  if (a.name != b.name) return "name '" + a.name + "' vs '" + b.name + "'";
  if (a.tensors.size() != b.tensors.size()) {
    return std::to_string(a.tensors.size()) + " vs " +
           std::to_string(b.tensors.size()) + " tensors";
  }
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    if (std::string d = DiffTensor(a.tensors[i], b.tensors[i]); !d.empty()) {
      return "tensor " + std::to_string(i) + " '" + a.tensors[i].name + "': " + d;
    }
  }
  if (a.inputs != b.inputs) return "inputs differ";
  if (a.outputs != b.outputs) return "outputs differ";
  if (a.ops.size() != b.ops.size()) {
    return std::to_string(a.ops.size()) + " vs " + std::to_string(b.ops.size()) + " ops";
  }
  for (size_t i = 0; i < a.ops.size(); ++i) {
    if (std::string d = DiffOp(a.ops[i], b.ops[i], o); !d.empty()) {
      return "op " + std::to_string(i) + " (" +
             std::string(ir::OpKindName(a.ops[i].kind)) + "): " + d;
    }
  }
  return "";
}

}  // namespace

std::string DiffModels(const ir::Model& a, const ir::Model& b,
                       const CompareOptions& o) {
  if (a.version != b.version) return "model version differs";
  if (a.description != b.description) {
    return "description '" + a.description + "' vs '" + b.description + "'";
  }
  if (a.subgraphs.size() != b.subgraphs.size()) return "subgraph count differs";
  for (size_t s = 0; s < a.subgraphs.size(); ++s) {
    if (std::string d = DiffSubgraph(a.subgraphs[s], b.subgraphs[s], o); !d.empty()) {
      return "subgraph " + std::to_string(s) + " " + d;
    }
  }
  if (a.signatures.size() != b.signatures.size()) return "signature count differs";
  for (size_t i = 0; i < a.signatures.size(); ++i) {
    const auto& x = a.signatures[i];
    const auto& y = b.signatures[i];
    if (x.key != y.key || x.subgraph_index != y.subgraph_index ||
        x.inputs.size() != y.inputs.size() || x.outputs.size() != y.outputs.size()) {
      return "signature " + std::to_string(i) + " differs";
    }
    for (size_t k = 0; k < x.inputs.size(); ++k) {
      if (x.inputs[k].name != y.inputs[k].name ||
          x.inputs[k].tensor_index != y.inputs[k].tensor_index) {
        return "signature " + std::to_string(i) + " input " + std::to_string(k) + " differs";
      }
    }
    for (size_t k = 0; k < x.outputs.size(); ++k) {
      if (x.outputs[k].name != y.outputs[k].name ||
          x.outputs[k].tensor_index != y.outputs[k].tensor_index) {
        return "signature " + std::to_string(i) + " output " + std::to_string(k) + " differs";
      }
    }
  }
  if (a.metadata.size() != b.metadata.size()) return "metadata count differs";
  for (size_t i = 0; i < a.metadata.size(); ++i) {
    if (a.metadata[i].name != b.metadata[i].name) return "metadata name differs";
    if (std::string d = DiffBytes(a.metadata[i].data, b.metadata[i].data); !d.empty()) {
      return "metadata '" + a.metadata[i].name + "' " + d;
    }
  }
  if (a.unnamed_metadata != b.unnamed_metadata) return "unnamed metadata differs";
  if (a.unsupported_features != b.unsupported_features) return "unsupported features differ";
  return "";
}

}  // namespace detlite::testing
