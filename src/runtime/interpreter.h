// Runs one subgraph of an ir::Model with detlite's kernels. Create() prepares
// every op (validating shapes, types and quantization, reporting all ops that
// have no kernel at once) and plans one arena for the intermediate tensors;
// Invoke() then runs the ops in order. The model must outlive the
// interpreter (constant tensors are read in place).
#ifndef DETLITE_RUNTIME_INTERPRETER_H_
#define DETLITE_RUNTIME_INTERPRETER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "runtime/kernel_api.h"

namespace detlite::runtime {

struct InterpreterOptions {
  int subgraph = 0;
  // Give every tensor its own memory so all intermediates can be read after
  // Invoke (for debugging and per-layer comparison); costs memory.
  bool preserve_all_tensors = false;
  // Record the wall time of each op in Invoke().
  bool profile = false;
  // Threads the optimized kernels may split one op across (the calling
  // thread included); 1 runs everything on the caller.
  int num_threads = 1;
  // Fold residual ADDs (and the PAD / activation around them) into the
  // preceding float CONV_2D at prepare (runtime/fusion.h); off with
  // preserve_all_tensors or DETLITE_REFERENCE_KERNELS.
  bool fuse_ops = true;
};

class ThreadPool;

struct OpProfile {
  int op_index = 0;
  double total_us = 0;
};

class Interpreter {
 public:
  static StatusOr<std::unique_ptr<Interpreter>> Create(
      const ir::Model& model, const InterpreterOptions& options = {});
  ~Interpreter();

  int num_inputs() const { return static_cast<int>(subgraph_->inputs.size()); }
  int num_outputs() const { return static_cast<int>(subgraph_->outputs.size()); }
  TensorRef& input(int i);
  const TensorRef& output(int i) const;
  // Copies `size` bytes into input i; the size must match exactly.
  Status SetInput(int i, const void* data, size_t size);
  Status Invoke();

  // Any tensor by subgraph index. Its data is meaningful after Invoke only
  // for inputs, outputs, constants, or with preserve_all_tensors.
  const TensorRef& tensor(int index) const { return tensors_[static_cast<size_t>(index)]; }
  int num_tensors() const { return static_cast<int>(tensors_.size()); }
  const ir::Subgraph& subgraph() const { return *subgraph_; }
  size_t arena_bytes() const { return arena_size_; }
  const std::vector<OpProfile>& profile() const { return profile_; }
  // How many residual ADDs and spatial PADs were folded into convs
  // (runtime/fusion.h).
  int fused_ops() const { return fused_ops_; }
  // Whether op `op_index` was folded into an earlier op and is not run.
  bool IsFusedAway(int op_index) const {
    return op_index >= 0 && op_index < static_cast<int>(skipped_.size()) &&
           skipped_[static_cast<size_t>(op_index)];
  }
  // The ops folded into op `op_index` ("+ADD+RELU"), or "".
  const std::string& AbsorbedOps(int op_index) const;
  // OpData::KernelVariant of op `op_index` ("sparse"), or null.
  const char* KernelVariant(int op_index) const;

 private:
  Interpreter() = default;
  Status Prepare();
  Status PlanMemory();

  const ir::Model* model_ = nullptr;
  const ir::Subgraph* subgraph_ = nullptr;
  InterpreterOptions options_;
  std::vector<TensorRef> tensors_;
  std::vector<std::unique_ptr<OpContext>> contexts_;
  std::vector<const OpKernel*> kernels_;
  std::vector<bool> folded_;  // outputs made constant in Prepare: not run
  std::vector<bool> skipped_;  // fused into an earlier op: not run
  std::vector<std::vector<int32_t>> extra_uses_;  // per op, from fusion
  std::vector<std::string> absorbed_;  // per op, from fusion
  int fused_ops_ = 0;
  std::unique_ptr<uint8_t[]> arena_;
  size_t arena_size_ = 0;
  std::vector<OpProfile> profile_;
  std::unique_ptr<ThreadPool> pool_;  // null when num_threads <= 1
};

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_INTERPRETER_H_
