#include "train/forward.h"

#include <string>

namespace detlite::train {

const float* ForwardState::values(int32_t index) const {
  const runtime::TensorRef& t = tensor(index);
  if (t.dtype != DType::kFloat32) return nullptr;
  return t.Data<float>();
}

std::vector<float> ForwardState::Copy(int32_t index) const {
  const float* v = values(index);
  if (v == nullptr) return {};
  return std::vector<float>(v, v + tensor(index).NumElements());
}

Status ForwardState::Run(const std::vector<std::vector<float>>& inputs) {
  runtime::Interpreter& interp = *interpreter_;
  if (static_cast<int>(inputs.size()) != interp.num_inputs()) {
    return InvalidArgument("forward: the model has " + std::to_string(interp.num_inputs()) +
                           " inputs, " + std::to_string(inputs.size()) + " given");
  }
  for (int i = 0; i < interp.num_inputs(); ++i) {
    const runtime::TensorRef& in = interp.input(i);
    if (in.dtype != DType::kFloat32) {
      return Unimplemented("forward: input '" + in.name() + "' is not float32 (training " +
                           "runs float32 graphs only)");
    }
    const auto& v = inputs[static_cast<size_t>(i)];
    RETURN_IF_ERROR(interp.SetInput(i, v.data(), v.size() * sizeof(float)));
  }
  return interp.Invoke();
}

StatusOr<ForwardState> Forward(const ir::Model& model,
                               const std::vector<std::vector<float>>& inputs,
                               int num_threads) {
  runtime::InterpreterOptions options;
  options.preserve_all_tensors = true;
  options.num_threads = num_threads;
  ForwardState state;
  ASSIGN_OR_RETURN(state.interpreter_, runtime::Interpreter::Create(model, options));
  RETURN_IF_ERROR(state.Run(inputs));
  return state;
}

}  // namespace detlite::train
