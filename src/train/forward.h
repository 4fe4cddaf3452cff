// The forward half of the tape: runs a float32 subgraph on detlite's own
// interpreter with every tensor in its own memory (no arena reuse), so the
// backward pass can read any intermediate the op kernels produced. The
// forward arithmetic is therefore exactly the runtime's (same kernels, same
// dispatch), and gradients are taken of the function the runtime computes.
#ifndef DETLITE_TRAIN_FORWARD_H_
#define DETLITE_TRAIN_FORWARD_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "runtime/interpreter.h"

namespace detlite::train {

// The tensors of one forward run. The model passed to Forward must outlive
// it (constants are read in place).
class ForwardState {
 public:
  const ir::Subgraph& subgraph() const { return interpreter_->subgraph(); }
  const runtime::TensorRef& tensor(int32_t index) const { return interpreter_->tensor(index); }
  // The float values of a float32 tensor (nullptr for other dtypes).
  const float* values(int32_t index) const;
  // Copies a float32 tensor out (empty for other dtypes).
  std::vector<float> Copy(int32_t index) const;
  // Runs the same graph again on new inputs, reusing the interpreter (the
  // packed weights): how a batch is accumulated image by image. The
  // previous run's tensors are overwritten.
  Status Run(const std::vector<std::vector<float>>& inputs);

 private:
  friend StatusOr<ForwardState> Forward(const ir::Model&, const std::vector<std::vector<float>>&,
                                        int);
  std::unique_ptr<runtime::Interpreter> interpreter_;
};

// Runs subgraph 0 of `model` on `inputs` (one float vector per subgraph
// input, in order, each of exactly the input's element count). Fails on a
// non-float32 input, an op with no kernel, or a kernel error.
StatusOr<ForwardState> Forward(const ir::Model& model,
                               const std::vector<std::vector<float>>& inputs,
                               int num_threads = 1);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_FORWARD_H_
