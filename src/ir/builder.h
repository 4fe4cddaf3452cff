// Builds subgraphs in code, for importers, passes and tests:
//   ir::Model m;
//   ir::Builder b(&m);                         // adds subgraph 0
//   int32_t x = b.Input("x", DType::kFloat32, {1, 4});
//   int32_t c = b.Constant<float>("c", {4}, {1, 2, 3, 4});
//   int32_t y = b.Op(OpKind::kAdd, {x, c}, "y", DType::kFloat32, {1, 4},
//                    ArithmeticOptions{});
//   b.Output(y);
#ifndef DETLITE_IR_BUILDER_H_
#define DETLITE_IR_BUILDER_H_

#include <cstring>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace detlite::ir {

class Builder {
 public:
  // Appends a new subgraph to `model` and builds into it.
  explicit Builder(Model* model, std::string subgraph_name = "main");

  Subgraph& subgraph() { return model_->subgraphs[index_]; }
  int subgraph_index() const { return static_cast<int>(index_); }

  int32_t Tensor(std::string name, DType dtype, Shape shape, QuantParams quant = {});
  int32_t Input(std::string name, DType dtype, Shape shape, QuantParams quant = {});
  void Output(int32_t tensor) { subgraph().outputs.push_back(tensor); }

  int32_t ConstantBytes(std::string name, DType dtype, Shape shape, Bytes bytes,
                        QuantParams quant = {});
  template <typename T>
  int32_t Constant(std::string name, Shape shape, const std::vector<T>& values,
                   DType dtype, QuantParams quant = {}) {
    Bytes bytes(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
    return ConstantBytes(std::move(name), dtype, std::move(shape), std::move(bytes),
                         std::move(quant));
  }
  int32_t ConstantF32(std::string name, Shape shape, const std::vector<float>& v) {
    return Constant<float>(std::move(name), std::move(shape), v, DType::kFloat32);
  }
  int32_t ConstantI32(std::string name, Shape shape, const std::vector<int32_t>& v) {
    return Constant<int32_t>(std::move(name), std::move(shape), v, DType::kInt32);
  }

  // Appends an op writing existing tensors.
  Operator& AddOp(OpKind kind, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                  OpOptions options = std::monostate{});
  // Appends an op with one new output tensor; returns that tensor.
  int32_t Op(OpKind kind, std::vector<int32_t> inputs, std::string out_name, DType out_dtype,
             Shape out_shape, OpOptions options = std::monostate{}, QuantParams out_quant = {});

 private:
  Model* model_;
  size_t index_;
};

QuantParams PerTensorQuant(float scale, int64_t zero_point);

}  // namespace detlite::ir

#endif  // DETLITE_IR_BUILDER_H_
