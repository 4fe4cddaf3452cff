// The backward half of the tape: walks the ops of a forward run in reverse
// and accumulates dL/dt for every float32 tensor t that some seeded output
// depends on, including the constant weights and biases (the parameters a
// training loop updates).
//
//   ASSIGN_OR_RETURN(ForwardState fwd, Forward(model, {image}));
//   ASSIGN_OR_RETURN(Gradients g, Backward(fwd, {{out, dloss_dout}}));
//   const std::vector<float>* dw = g.Find(weight_tensor);
#ifndef DETLITE_TRAIN_BACKWARD_H_
#define DETLITE_TRAIN_BACKWARD_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "train/forward.h"

namespace detlite::train {

struct OpBackwardTime {
  int op_index = 0;
  double us = 0;
};

struct Gradients {
  // Indexed by tensor; empty where no gradient was computed (or, by
  // default, for intermediates whose gradient was consumed).
  std::vector<std::vector<float>> by_tensor;

  const std::vector<float>* Find(int32_t tensor) const {
    if (tensor < 0 || static_cast<size_t>(tensor) >= by_tensor.size()) return nullptr;
    const auto& v = by_tensor[static_cast<size_t>(tensor)];
    return v.empty() ? nullptr : &v;
  }
  // With BackwardOptions::profile: the wall time of each op's gradient.
  std::vector<OpBackwardTime> profile;
};

struct BackwardOptions {
  // Keep dL/dt of intermediate (non-constant, non-input) tensors; by default
  // each is freed once the op that produced it has used it.
  bool keep_intermediates = false;
  // dL/d(graph input): off for training (weights only), which skips the
  // input gradient of the first layers.
  bool input_gradients = true;
  // Threads the GEMM-based gradients (CONV_2D) may split across, the caller
  // included; the other gradients run on the caller.
  int num_threads = 1;
  bool profile = false;
};

// `output_grads` maps tensors (usually subgraph outputs, but any float
// tensor of the forward run works) to dL/dtensor, each of the tensor's
// element count. Fails, naming every one, if an op the seeds depend on has
// no gradient.
StatusOr<Gradients> Backward(const ForwardState& forward,
                             const std::map<int32_t, std::vector<float>>& output_grads,
                             const BackwardOptions& options = {});

// The ops (indices) that the given tensors depend on through float32 data.
std::vector<int> OpsFeeding(const ir::Subgraph& sg, const std::vector<int32_t>& tensors);

// OK if every op the tensors depend on has a gradient; otherwise one
// Unimplemented status naming each op without one ("op 12 ARG_MAX (name)").
// A training command calls this before it starts.
Status CheckDifferentiable(const ir::Subgraph& sg, const std::vector<int32_t>& tensors);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_BACKWARD_H_
