// The contract of a gradient function: one per op kind, registered in
// grad_registry.cc, working on the forward run's plain buffers. For an op
// y = f(x...), given dL/dy for every float output it ADDS dL/dx into the
// buffer of every input that asks for it (+=, so a tensor read by several ops,
// or twice by one op, accumulates correctly). Inputs that are not float32
// (shapes, paddings, indices, axes) never get a gradient buffer.
#ifndef DETLITE_TRAIN_GRAD_OP_H_
#define DETLITE_TRAIN_GRAD_OP_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "runtime/kernel_api.h"

namespace detlite::train {

struct OpGrad {
  const ir::Operator* op = nullptr;
  int op_index = 0;
  // Forward values and shapes; nullptr for an absent optional input.
  std::vector<const runtime::TensorRef*> in;
  std::vector<const runtime::TensorRef*> out;
  // dL/d output i (output's element count; zeros when nothing reaches it).
  std::vector<const float*> dout;
  // Where to add dL/d input i; nullptr when not wanted.
  std::vector<float*> din;

  const float* x(int i) const { return in[static_cast<size_t>(i)]->Data<float>(); }
  const Shape& in_shape(int i) const { return in[static_cast<size_t>(i)]->shape; }
  const float* y(int i = 0) const { return out[static_cast<size_t>(i)]->Data<float>(); }
  const Shape& out_shape(int i = 0) const { return out[static_cast<size_t>(i)]->shape; }
  float* dx(int i) const {
    return static_cast<size_t>(i) < din.size() ? din[static_cast<size_t>(i)] : nullptr;
  }
  const float* dy(int i = 0) const { return dout[static_cast<size_t>(i)]; }
  // "op 12 CONV_2D (output name): message" as an InvalidArgument status.
  Status Error(const std::string& message) const;
};

using GradFn = Status (*)(const OpGrad& g);

// The op's options of type T; defaults when the op carries none.
template <typename T>
StatusOr<T> GradOptions(const OpGrad& g) {
  if (const T* o = std::get_if<T>(&g.op->options)) return *o;
  if (std::holds_alternative<std::monostate>(g.op->options)) return T{};
  return g.Error("has options of an unexpected type");
}

// dL/d(pre-activation) from dL/dy for a fused activation, using the saved
// output y: zero where the clamp was active, (1 - y^2) for tanh. Returns dy
// itself (no copy) for kNone; otherwise fills and returns `scratch`.
StatusOr<const float*> MaskFusedActivation(const OpGrad& g, ir::Activation act,
                                           const float* y, const float* dy, int64_t n,
                                           std::vector<float>* scratch);

// Reads an int32 or int64 parameter tensor (shape, axes, paddings, indices).
Status ReadIndexTensor(const OpGrad& g, int input, std::vector<int64_t>* out);

// Sums a gradient over the broadcast dimensions: `grad` has `full`'s shape;
// adds the reduced gradient into `dst`, of shape `small` (NumPy-aligned).
void AddReducedBroadcast(const Shape& full, const float* grad, const Shape& small, float* dst);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_GRAD_OP_H_
