// Test harness for the shape and quantize families' glue: builds the
// tensors of one operator, runs its registered Prepare (with non-constant
// inputs unreadable, as in the interpreter) and Eval, and reads outputs.
#ifndef DETLITE_TESTS_KERNELS_SHAPE_OP_HARNESS_H_
#define DETLITE_TESTS_KERNELS_SHAPE_OP_HARNESS_H_

#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/kernel_api.h"
#include "runtime/op_registry.h"

namespace detlite::testing {

inline QuantParams Quant(float scale, int64_t zero_point) {
  QuantParams q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

class OpHarness {
 public:
  explicit OpHarness(ir::OpKind kind, ir::OpOptions options = {}) {
    op_.kind = kind;
    op_.options = std::move(options);
  }

  // A runtime input (readable only in Eval), or a constant (readable in
  // Prepare) when `constant`.
  template <typename T>
  int Input(DType dtype, Shape shape, const std::vector<T>& values, bool constant = false,
            QuantParams quant = {}) {
    std::vector<uint8_t> bytes(values.size() * sizeof(T));
    if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
    return RawInput(dtype, std::move(shape), std::move(bytes), constant, std::move(quant));
  }
  template <typename T>
  int Const(DType dtype, Shape shape, const std::vector<T>& values, QuantParams quant = {}) {
    return Input(dtype, std::move(shape), values, true, std::move(quant));
  }
  int RawInput(DType dtype, Shape shape, std::vector<uint8_t> bytes, bool constant,
               QuantParams quant = {}, std::optional<SparsityParams> sparsity = {}) {
    ir::Tensor& t = tensors_.emplace_back();
    t.name = "in" + std::to_string(op_.inputs.size());
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.quant = std::move(quant);
    t.sparsity = std::move(sparsity);
    if (constant) t.data = std::make_shared<const ir::Bytes>(bytes);
    buffers_.push_back(std::move(bytes));
    op_.inputs.push_back(static_cast<int32_t>(tensors_.size() - 1));
    return static_cast<int>(op_.inputs.size() - 1);
  }
  void AbsentInput() { op_.inputs.push_back(-1); }

  // An output; `declared` is the shape the model would record.
  int Output(DType dtype, Shape declared = {}, QuantParams quant = {}) {
    ir::Tensor& t = tensors_.emplace_back();
    t.name = "out" + std::to_string(op_.outputs.size());
    t.dtype = dtype;
    t.shape = std::move(declared);
    t.quant = std::move(quant);
    buffers_.emplace_back();
    op_.outputs.push_back(static_cast<int32_t>(tensors_.size() - 1));
    return static_cast<int>(op_.outputs.size() - 1);
  }

  Status Prepare() {
    kernel_ = runtime::BuiltinOpRegistry().Find(op_.kind, "");
    if (kernel_ == nullptr) return NotFound("no kernel registered");
    refs_.assign(tensors_.size(), runtime::TensorRef{});
    for (size_t i = 0; i < tensors_.size(); ++i) {
      runtime::TensorRef& r = refs_[i];
      r.ir = &tensors_[i];
      r.dtype = tensors_[i].dtype;
      r.shape = tensors_[i].shape;
      r.quant = &tensors_[i].quant;
      if (tensors_[i].data) {
        r.data = const_cast<uint8_t*>(tensors_[i].data->data());
        r.bytes = tensors_[i].data->size();
        r.is_constant = true;
      }
    }
    std::vector<runtime::TensorRef*> ins, outs;
    for (int32_t i : op_.inputs) ins.push_back(i < 0 ? nullptr : &refs_[static_cast<size_t>(i)]);
    for (int32_t i : op_.outputs) outs.push_back(&refs_[static_cast<size_t>(i)]);
    ctx_ = std::make_unique<runtime::OpContext>(&op_, ins, outs, 0);
    return kernel_->prepare(*ctx_);
  }

  // Gives every tensor its bytes, then runs Eval.
  Status Eval() {
    for (size_t k = 0; k < op_.inputs.size(); ++k) {
      const int32_t i = op_.inputs[k];
      if (i < 0 || refs_[static_cast<size_t>(i)].is_constant) continue;
      auto& b = buffers_[static_cast<size_t>(i)];
      refs_[static_cast<size_t>(i)].data = b.data();
      refs_[static_cast<size_t>(i)].bytes = b.size();
    }
    for (int32_t i : op_.outputs) {
      runtime::TensorRef& r = refs_[static_cast<size_t>(i)];
      auto& b = buffers_[static_cast<size_t>(i)];
      b.assign(static_cast<size_t>(r.shape.NumElements()) * DTypeSize(r.dtype), 0xCD);
      r.data = b.data();
      r.bytes = b.size();
    }
    return kernel_->eval(*ctx_);
  }

  Status Run() {
    Status s = Prepare();
    return s.ok() ? Eval() : s;
  }

  const Shape& OutputShape(int i = 0) const {
    return refs_[static_cast<size_t>(op_.outputs[static_cast<size_t>(i)])].shape;
  }
  template <typename T>
  std::vector<T> Out(int i = 0) const {
    const auto& b = buffers_[static_cast<size_t>(op_.outputs[static_cast<size_t>(i)])];
    std::vector<T> v(b.size() / sizeof(T));
    if (!b.empty()) std::memcpy(v.data(), b.data(), b.size());
    return v;
  }

 private:
  ir::Operator op_;
  std::deque<ir::Tensor> tensors_;  // stable addresses
  std::vector<std::vector<uint8_t>> buffers_;
  std::vector<runtime::TensorRef> refs_;
  std::unique_ptr<runtime::OpContext> ctx_;
  const runtime::OpKernel* kernel_ = nullptr;
};

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_KERNELS_SHAPE_OP_HARNESS_H_
