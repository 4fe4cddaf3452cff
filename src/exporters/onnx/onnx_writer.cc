#include "exporters/onnx/onnx_writer.h"

#include <climits>
#include <set>

#include "core/file_io.h"
#include "exporters/onnx/onnx_graph.h"
#include "exporters/onnx/ops.h"

namespace detlite {
namespace {

constexpr int64_t kOnnxIrVersion = 7;  // the IR version that goes with opset 13
constexpr int64_t kOpset = 13;

Status AddValueInfo(const ir::Tensor& t, const std::string& name, const std::string& what,
                    onnx::ValueInfoProto* vi) {
  if (t.dtype != DType::kFloat32) {
    return Unimplemented(what + " '" + t.name + "' is " + std::string(DTypeName(t.dtype)) +
                         "; the ONNX exporter writes float models only");
  }
  if (!t.has_rank || !t.shape.IsFullyDefined()) {
    return Unimplemented(what + " '" + t.name + "' has no static shape");
  }
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::ELEM_FLOAT);
  auto* shape = tt->mutable_shape();
  for (int32_t d : t.shape.dims()) shape->add_dim()->set_dim_value(d);
  return Status::Ok();
}

Status BuildGraph(const ir::Subgraph& sg, onnx::GraphProto* graph) {
  graph->set_name(sg.name.empty() ? "detlite" : sg.name);
  onnx_export::OnnxGraph g(sg, graph);
  for (int32_t t : sg.inputs) {
    if (t < 0 || static_cast<size_t>(t) >= sg.tensors.size()) return InvalidArgument("bad input index");
    ASSIGN_OR_RETURN(std::string name, g.Value(t, onnx_export::Layout::kIr));
    RETURN_IF_ERROR(AddValueInfo(g.tensor(t), name, "input", graph->add_input()));
  }
  for (size_t k = 0; k < sg.ops.size(); ++k) {
    const ir::Operator& op = sg.ops[k];
    std::string kind = op.kind == ir::OpKind::kCustom ? op.custom_code : std::string(ir::OpKindName(op.kind));
    g.set_where("op " + std::to_string(k) + " (" + kind + ")");
    if (op.options_unsupported) return Unimplemented(g.where() + ": options the IR could not hold");
    ASSIGN_OR_RETURN(bool folded, g.FoldConstantOp(op));
    if (!folded) RETURN_IF_ERROR(onnx_export::EmitOp(g, op));
  }
  g.set_where("outputs");
  std::set<std::string> seen;
  for (int32_t t : sg.outputs) {
    if (t < 0 || static_cast<size_t>(t) >= sg.tensors.size()) return InvalidArgument("bad output index");
    ASSIGN_OR_RETURN(std::string name, g.Value(t, onnx_export::Layout::kIr));
    if (!seen.insert(name).second) return Unimplemented("output '" + name + "' is listed twice");
    RETURN_IF_ERROR(AddValueInfo(g.tensor(t), name, "output", graph->add_output()));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> WriteOnnxBuffer(const ir::Model& model) {
  if (model.subgraphs.empty()) return InvalidArgument("the model has no subgraph");
  if (model.subgraphs.size() > 1) {
    return Unimplemented("the model has " + std::to_string(model.subgraphs.size()) +
                         " subgraphs; ONNX export covers single-subgraph models");
  }
  if (!model.unsupported_features.empty()) {
    return Unimplemented("the model uses " + model.unsupported_features.front());
  }
  onnx::ModelProto proto;
  proto.set_ir_version(kOnnxIrVersion);
  proto.set_producer_name("detlite");
  proto.set_model_version(1);
  auto* opset = proto.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  RETURN_IF_ERROR(BuildGraph(model.subgraphs[0], proto.mutable_graph()));
  // A protobuf message cannot exceed 2 GiB (ONNX then needs external data,
  // which detlite does not write).
  if (proto.ByteSizeLong() > static_cast<size_t>(INT_MAX)) {
    return Unimplemented("the ONNX model would exceed protobuf's 2 GiB limit");
  }
  std::string bytes;
  if (!proto.SerializeToString(&bytes)) return Internal("cannot serialize the ONNX model");
  return bytes;
}

Status WriteOnnxFile(const ir::Model& model, const std::string& path) {
  auto bytes = WriteOnnxBuffer(model);
  if (!bytes.ok()) return bytes.status().WithContext(path);
  return WriteFileAtomic(path, std::string_view(*bytes));
}

}  // namespace detlite
