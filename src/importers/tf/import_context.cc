#include "importers/tf/import_context.h"

#include <cstring>
#include <memory>

#include "runtime/interpreter.h"

namespace detlite::tf_import {
namespace {

// Larger constant results stay as ops, so folding cannot blow up the file.
constexpr int64_t kMaxFoldElements = int64_t{1} << 24;

}  // namespace

ImportContext::ImportContext(ir::Model* model, std::string file)
    : model_(model), file_(std::move(file)) {
  if (model_->subgraphs.empty()) model_->subgraphs.emplace_back().name = "main";
}

Status ImportContext::NodeError(const std::string& node, const std::string& op,
                                const std::string& message) const {
  return InvalidArgument(file_ + ": node '" + node + "'" + (op.empty() ? "" : " (" + op + ")") +
                         ": " + message);
}

int32_t ImportContext::Constant(const std::string& name, ConstTensor t) {
  ir::Tensor ten;
  ten.name = name;
  ten.dtype = t.dtype;
  ten.shape = std::move(t.shape);
  ten.data = std::make_shared<const ir::Bytes>(std::move(t.bytes));
  return sg().AddTensor(std::move(ten));
}

int32_t ImportContext::ConstI32(const std::string& name, const std::vector<int32_t>& values,
                                bool scalar) {
  ConstTensor t{DType::kInt32, scalar ? Shape{} : Shape{static_cast<int32_t>(values.size())},
                ir::Bytes(values.size() * 4)};
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return Constant(name, std::move(t));
}

int32_t ImportContext::ConstF32(const std::string& name, Shape shape,
                                const std::vector<float>& values) {
  ConstTensor t{DType::kFloat32, std::move(shape), ir::Bytes(values.size() * 4)};
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return Constant(name, std::move(t));
}

int32_t ImportContext::Input(const std::string& name, DType dtype, Shape shape) {
  ir::Tensor ten;
  ten.name = name;
  ten.dtype = dtype;
  ten.shape = std::move(shape);
  const int32_t i = sg().AddTensor(std::move(ten));
  sg().inputs.push_back(i);
  return i;
}

StatusOr<std::vector<int64_t>> ImportContext::ConstInts(int32_t t, const std::string& node,
                                                        const std::string& what) const {
  const ir::Tensor& ten = tensor(t);
  if (!ten.is_constant()) {
    return NodeError(node, "", what + " must be a constant (it is computed by the graph)");
  }
  std::vector<int64_t> v;
  const int64_t n = ten.shape.NumElements();
  if (ten.dtype == DType::kInt32 && ten.data->size() == static_cast<size_t>(n) * 4) {
    for (int64_t i = 0; i < n; ++i) {
      int32_t x;
      std::memcpy(&x, ten.data->data() + i * 4, 4);
      v.push_back(x);
    }
  } else if (ten.dtype == DType::kInt64 && ten.data->size() == static_cast<size_t>(n) * 8) {
    for (int64_t i = 0; i < n; ++i) {
      int64_t x;
      std::memcpy(&x, ten.data->data() + i * 8, 8);
      v.push_back(x);
    }
  } else {
    return NodeError(node, "", what + " must be an int32 or int64 constant, not " +
                                   std::string(DTypeName(ten.dtype)));
  }
  return v;
}

StatusOr<int32_t> ImportContext::Emit1(const std::string& node, ir::OpKind kind,
                                       std::vector<int32_t> inputs, ir::OpOptions options) {
  const DType dt = inputs.empty() ? DType::kFloat32 : tensor(inputs[0]).dtype;
  return Emit1As(node, kind, std::move(inputs), std::move(options), dt);
}

StatusOr<int32_t> ImportContext::Emit1As(const std::string& node, ir::OpKind kind,
                                         std::vector<int32_t> inputs, ir::OpOptions options,
                                         DType out) {
  ASSIGN_OR_RETURN(std::vector<int32_t> outs,
                   Emit(node, kind, std::move(inputs), std::move(options), {out}));
  return outs[0];
}

StatusOr<std::vector<int32_t>> ImportContext::Emit(const std::string& node, ir::OpKind kind,
                                                   std::vector<int32_t> inputs,
                                                   ir::OpOptions options,
                                                   std::vector<DType> out_dtypes) {
  ir::Operator op;
  op.kind = kind;
  op.options = std::move(options);
  return EmitOp(node, std::move(op), std::move(inputs), std::move(out_dtypes));
}

StatusOr<std::vector<int32_t>> ImportContext::EmitCustom(const std::string& node,
                                                         const std::string& custom_code,
                                                         ir::Bytes custom_options,
                                                         std::vector<int32_t> inputs,
                                                         std::vector<DType> out_dtypes) {
  ir::Operator op;
  op.kind = ir::OpKind::kCustom;
  op.custom_code = custom_code;
  op.custom_options = std::move(custom_options);
  return EmitOp(node, std::move(op), std::move(inputs), std::move(out_dtypes));
}

StatusOr<std::vector<int32_t>> ImportContext::EmitOp(const std::string& node, ir::Operator op,
                                                     std::vector<int32_t> inputs,
                                                     std::vector<DType> out_dtypes) {
  // A one-op model over copies of the inputs (constant bytes are shared, not
  // copied) lets the kernel's Prepare compute the output shapes.
  ir::Model one;
  ir::Subgraph& s = one.subgraphs.emplace_back();
  const std::string op_name = op.kind == ir::OpKind::kCustom
                                  ? op.custom_code
                                  : std::string(ir::OpKindName(op.kind));
  bool all_constant = true;
  for (int32_t in : inputs) {
    if (in < 0) {
      op.inputs.push_back(-1);
      continue;
    }
    const int32_t local = s.AddTensor(tensor(in));
    if (!s.tensors.back().is_constant()) {
      all_constant = false;
      s.inputs.push_back(local);
    }
    op.inputs.push_back(local);
  }
  for (size_t k = 0; k < out_dtypes.size(); ++k) {
    ir::Tensor t;
    t.name = k == 0 ? node : node + ":" + std::to_string(k);
    t.dtype = out_dtypes[k];
    op.outputs.push_back(s.AddTensor(std::move(t)));
  }
  s.outputs = op.outputs;
  s.ops.push_back(op);
  auto interp = runtime::Interpreter::Create(one);
  if (!interp.ok()) {
    return NodeError(node, op_name, interp.status().message());
  }
  std::vector<int32_t> result;
  int64_t out_elements = 0;
  for (int32_t o : op.outputs) out_elements += (*interp)->tensor(o).shape.NumElements();
  if (all_constant && out_elements <= kMaxFoldElements) {
    RETURN_IF_ERROR((*interp)->Invoke().WithContext(file_ + ": node '" + node + "'"));
    for (int32_t o : op.outputs) {
      const runtime::TensorRef& r = (*interp)->tensor(o);
      ConstTensor c{r.dtype, r.shape, ir::Bytes(r.data, r.data + r.bytes)};
      result.push_back(Constant(s.tensors[static_cast<size_t>(o)].name, std::move(c)));
    }
    ++folded_ops_;
    return result;
  }
  ir::Operator real = op;
  real.inputs = inputs;
  real.outputs.clear();
  for (int32_t o : op.outputs) {
    ir::Tensor t = s.tensors[static_cast<size_t>(o)];
    t.shape = (*interp)->tensor(o).shape;
    const int32_t idx = sg().AddTensor(std::move(t));
    real.outputs.push_back(idx);
    result.push_back(idx);
  }
  sg().ops.push_back(std::move(real));
  return result;
}

}  // namespace detlite::tf_import
