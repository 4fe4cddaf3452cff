#include "ir/builder.h"

#include <memory>

namespace detlite::ir {

Builder::Builder(Model* model, std::string subgraph_name) : model_(model) {
  model_->subgraphs.emplace_back();
  index_ = model_->subgraphs.size() - 1;
  subgraph().name = std::move(subgraph_name);
}

int32_t Builder::Tensor(std::string name, DType dtype, Shape shape, QuantParams quant) {
  ir::Tensor t;
  t.name = std::move(name);
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.quant = std::move(quant);
  return subgraph().AddTensor(std::move(t));
}

int32_t Builder::Input(std::string name, DType dtype, Shape shape, QuantParams quant) {
  const int32_t i = Tensor(std::move(name), dtype, std::move(shape), std::move(quant));
  subgraph().inputs.push_back(i);
  return i;
}

int32_t Builder::ConstantBytes(std::string name, DType dtype, Shape shape, Bytes bytes,
                               QuantParams quant) {
  const int32_t i = Tensor(std::move(name), dtype, std::move(shape), std::move(quant));
  subgraph().tensors[static_cast<size_t>(i)].data =
      std::make_shared<const Bytes>(std::move(bytes));
  return i;
}

Operator& Builder::AddOp(OpKind kind, std::vector<int32_t> inputs,
                         std::vector<int32_t> outputs, OpOptions options) {
  Operator op;
  op.kind = kind;
  op.inputs = std::move(inputs);
  op.outputs = std::move(outputs);
  op.options = std::move(options);
  subgraph().ops.push_back(std::move(op));
  return subgraph().ops.back();
}

int32_t Builder::Op(OpKind kind, std::vector<int32_t> inputs, std::string out_name,
                    DType out_dtype, Shape out_shape, OpOptions options, QuantParams out_quant) {
  const int32_t out = Tensor(std::move(out_name), out_dtype, std::move(out_shape),
                             std::move(out_quant));
  AddOp(kind, std::move(inputs), {out}, std::move(options));
  return out;
}

QuantParams PerTensorQuant(float scale, int64_t zero_point) {
  QuantParams q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

}  // namespace detlite::ir
