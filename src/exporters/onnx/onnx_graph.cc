#include "exporters/onnx/onnx_graph.h"

#include <cstring>

namespace detlite::onnx_export {

int32_t OnnxElemType(DType t) {
  switch (t) {
    case DType::kFloat32: return onnx::ELEM_FLOAT;
    case DType::kUInt8: return onnx::ELEM_UINT8;
    case DType::kInt8: return onnx::ELEM_INT8;
    case DType::kInt32: return onnx::ELEM_INT32;
    case DType::kInt64: return onnx::ELEM_INT64;
    case DType::kBool: return onnx::ELEM_BOOL;
    default: return 0;
  }
}

OnnxGraph::OnnxGraph(const ir::Subgraph& sg, onnx::GraphProto* graph) : sg_(sg), graph_(graph) {
  names_.reserve(sg.tensors.size());
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    const std::string& n = sg.tensors[i].name;
    names_.push_back(FreshName(n.empty() ? "tensor_" + std::to_string(i) : n));
  }
  for (int32_t t : sg.inputs) Produce(t, Layout::kIr);
}

std::string OnnxGraph::FreshName(const std::string& hint) {
  int& uses = used_names_[hint];
  if (uses++ == 0) return hint;
  for (;;) {
    std::string candidate = hint + "_" + std::to_string(uses++);
    if (used_names_.count(candidate) == 0) {
      used_names_[candidate] = 1;
      return candidate;
    }
  }
}

Layout OnnxGraph::LayoutOf(int32_t t) const {
  auto it = produced_.find(t);
  return it == produced_.end() ? Layout::kIr : it->second;
}

std::string OnnxGraph::Produce(int32_t t, Layout layout) {
  produced_[t] = layout;
  std::string name = layout == Layout::kIr ? BaseName(t) : FreshName(BaseName(t) + "_nchw");
  values_[{t, static_cast<int>(layout)}] = name;
  return name;
}

StatusOr<std::string> OnnxGraph::Value(int32_t t, Layout want) {
  if (t < 0 || static_cast<size_t>(t) >= sg_.tensors.size()) {
    return InvalidArgument(where_ + ": tensor index " + std::to_string(t) + " out of range");
  }
  auto key = std::make_pair(t, static_cast<int>(want));
  if (auto it = values_.find(key); it != values_.end()) return it->second;
  const ir::Tensor& info = tensor(t);
  const bool nchw = want == Layout::kNchw;
  if (nchw && info.shape.rank() > 4) {
    return Unimplemented(where_ + ": tensor '" + info.name + "' of rank " +
                         std::to_string(info.shape.rank()) + " in an NCHW op");
  }
  if (IsConstant(t)) {
    std::vector<int64_t> dims(info.shape.dims().begin(), info.shape.dims().end());
    if (info.dtype == DType::kInt32 || info.dtype == DType::kInt64) {
      if (nchw) return Unimplemented(where_ + ": integer constant '" + info.name + "' in an NCHW op");
      ASSIGN_OR_RETURN(std::vector<int64_t> v, IntConstant(t));
      std::string name = AddInt64Initializer(BaseName(t), dims, v);
      values_[key] = name;
      return name;
    }
    ASSIGN_OR_RETURN(const std::vector<float>* v, FloatConstant(t));
    std::vector<float> data = *v;
    if (nchw) {
      // Broadcast operands of an elementwise op: right-aligned to rank 4,
      // then permuted like the activation they meet.
      while (dims.size() < 4) dims.insert(dims.begin(), 1);
      const int64_t d[4] = {dims[0], dims[1], dims[2], dims[3]};
      std::vector<float> permuted(data.size());
      size_t k = 0;
      for (int64_t n = 0; n < d[0]; ++n)
        for (int64_t c = 0; c < d[3]; ++c)
          for (int64_t h = 0; h < d[1]; ++h)
            for (int64_t w = 0; w < d[2]; ++w)
              permuted[k++] = data[static_cast<size_t>(((n * d[1] + h) * d[2] + w) * d[3] + c)];
      data = std::move(permuted);
      dims = {d[0], d[3], d[1], d[2]};
    }
    std::string name = AddInitializer(nchw ? BaseName(t) + "_nchw" : BaseName(t), dims, data);
    values_[key] = name;
    return name;
  }
  if (!IsProduced(t)) {
    return InvalidArgument(where_ + ": tensor '" + info.name + "' is read before any op writes it");
  }
  const Layout have = LayoutOf(t);
  if (have == want) return values_.at({t, static_cast<int>(have)});
  if (info.shape.rank() != 4) {
    return Unimplemented(where_ + ": tensor '" + info.name + "' of rank " +
                         std::to_string(info.shape.rank()) + " cannot change layout");
  }
  const std::string& src = values_.at({t, static_cast<int>(have)});
  std::string dst = nchw ? FreshName(BaseName(t) + "_nchw") : BaseName(t);
  onnx::NodeProto* n = AddNode("Transpose", {src}, {dst});
  SetInts(n, "perm", nchw ? std::vector<int64_t>{0, 3, 1, 2} : std::vector<int64_t>{0, 2, 3, 1});
  values_[key] = dst;
  return dst;
}

std::string OnnxGraph::AddInitializer(const std::string& hint, const std::vector<int64_t>& dims,
                                      const std::vector<float>& values) {
  onnx::TensorProto* init = graph_->add_initializer();
  init->set_name(FreshName(hint));
  init->set_data_type(onnx::ELEM_FLOAT);
  for (int64_t d : dims) init->add_dims(d);
  init->set_raw_data(values.data(), values.size() * sizeof(float));  // little endian host
  return init->name();
}

std::string OnnxGraph::AddInt64Initializer(const std::string& hint, const std::vector<int64_t>& dims,
                                           const std::vector<int64_t>& values) {
  onnx::TensorProto* init = graph_->add_initializer();
  init->set_name(FreshName(hint));
  init->set_data_type(onnx::ELEM_INT64);
  for (int64_t d : dims) init->add_dims(d);
  init->set_raw_data(values.data(), values.size() * sizeof(int64_t));
  return init->name();
}

onnx::NodeProto* OnnxGraph::AddNode(const std::string& op_type, const std::vector<std::string>& inputs,
                                    const std::vector<std::string>& outputs) {
  onnx::NodeProto* n = graph_->add_node();
  n->set_op_type(op_type);
  n->set_name(FreshName(op_type + "_" + std::to_string(graph_->node_size())));
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return n;
}

void OnnxGraph::SetInt(onnx::NodeProto* n, const std::string& name, int64_t v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void OnnxGraph::SetInts(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void OnnxGraph::SetFloat(onnx::NodeProto* n, const std::string& name, float v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

void OnnxGraph::SetString(onnx::NodeProto* n, const std::string& name, const std::string& v) {
  onnx::AttributeProto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

}  // namespace detlite::onnx_export
