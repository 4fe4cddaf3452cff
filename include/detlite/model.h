// detlite's public API: load a model, look inside it, run it, save it.
//
//   ASSIGN_OR_RETURN(detlite::Model m, detlite::Model::Load("ssd.tflite"));
//   detlite::ModelInfo info = m.Inspect();
//   ASSIGN_OR_RETURN(detlite::Runner r, detlite::Runner::Create(m));
//   RETURN_IF_ERROR(r.SetInput(0, bytes));
//   RETURN_IF_ERROR(r.Run());
//   detlite::HostTensor boxes = r.Output(0);
#ifndef DETLITE_MODEL_H_
#define DETLITE_MODEL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite {

namespace ir {
struct Model;
}

struct QuantInfo {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;
  bool empty() const { return scale.empty(); }
};

struct TensorInfo {
  int32_t index = -1;  // in its subgraph
  std::string name;
  std::string dtype;  // "float32", "uint8", ...
  std::vector<int32_t> shape;
  std::vector<int32_t> shape_signature;  // -1 = dynamic; empty = same as shape
  QuantInfo quant;
};

// A tensor's bytes on the host (little endian, row major).
struct HostTensor {
  TensorInfo info;
  std::vector<uint8_t> bytes;
  // Values as float (dequantized with scale/zero point for quantized types).
  std::vector<float> ToFloat() const;
};

struct DTypeStats {
  int64_t tensors = 0;
  int64_t elements = 0;
  int64_t bytes = 0;
};

struct SignatureInfo {
  std::string key;
  int32_t subgraph = 0;
  std::vector<std::pair<std::string, int32_t>> inputs;   // name, tensor
  std::vector<std::pair<std::string, int32_t>> outputs;  // name, tensor
};

struct SparseTensorInfo {
  std::string name;
  int64_t dense_elements = 0;
  int64_t stored_elements = 0;
};

// Zeros of one constant tensor (counted in its dense form: a sparse tensor's
// unstored elements are zeros; a quantized value equal to its zero point is
// a zero).
struct ConstantSparsity {
  std::string name;
  std::string dtype;
  int64_t elements = 0;  // dense
  int64_t zeros = 0;
  bool stored_sparse = false;
  int64_t stored_elements = 0;  // values in the file (= elements when dense)
};

// A conv / depthwise / fully connected op and the multiply-accumulates a
// sparse kernel could skip: those with a zero weight.
struct OpSparsity {
  int op_index = 0;
  std::string op;
  std::string weights;  // the constant its weights come from (through DENSIFY/DEQUANTIZE)
  int64_t weight_elements = 0;
  int64_t zero_weights = 0;
  int64_t macs = 0;
  int64_t skippable_macs = 0;
};

struct SparsitySummary {
  int64_t weights = 0;       // elements of the conv/depthwise/FC weight tensors
  int64_t zero_weights = 0;  // of which zero
  int64_t macs = 0;          // of conv/depthwise/FC ops
  int64_t skippable_macs = 0;
};

struct ModelInfo {
  std::string path;
  int64_t file_bytes = 0;
  uint32_t schema_version = 0;
  std::string description;
  int subgraphs = 0;
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
  std::map<std::string, int> op_histogram;  // op name -> count (subgraph 0)
  int ops = 0;
  int tensors = 0;
  int64_t parameters = 0;  // elements of constant tensors
  std::map<std::string, DTypeStats> constants_by_dtype;
  int64_t macs = 0;  // multiply-accumulates of conv/depthwise/FC/matmul ops
  std::map<std::string, int64_t> metadata;  // name -> bytes
  std::string min_runtime_version;          // from metadata, if present
  std::vector<SignatureInfo> signatures;
  std::vector<SparseTensorInfo> sparse_tensors;
  std::vector<ConstantSparsity> constant_sparsity;  // every constant, subgraph 0
  std::vector<OpSparsity> op_sparsity;              // every conv/FC op with constant weights
  SparsitySummary sparsity;
  std::vector<std::string> warnings;  // from the model verifier
};

class Model {
 public:
  // Reads a .tflite file. Every error names the file and the problem.
  static StatusOr<Model> Load(const std::string& path);
  // Writes a .tflite file atomically (temporary file, then rename).
  Status Save(const std::string& path) const;
  ModelInfo Inspect() const;
  // Text dump of the graph for debugging.
  std::string ToText() const;

  const ir::Model& ir() const { return *ir_; }
  ir::Model& mutable_ir() { return *ir_; }
  const std::string& path() const { return path_; }
  explicit Model(std::shared_ptr<ir::Model> ir, std::string path = "");

 private:
  std::shared_ptr<ir::Model> ir_;
  std::string path_;
  int64_t file_bytes_ = 0;
};

struct RunnerOptions {
  bool preserve_all_tensors = false;
  bool profile = false;
  // Intra-op threads for the heavy kernels (conv family), caller included.
  int num_threads = 1;
};

struct OpTiming {
  int op_index = 0;
  // The op's kind, with the ops fused into it at prepare when there are any:
  // "CONV_2D (+ADD+RELU)" (their time is included; they show no row).
  std::string op;
  std::string output_name;
  double total_us = 0;
  int64_t macs = 0;  // multiply-accumulates per run (conv family, matmul)
  // "sparse" when the op runs the sparse 1x1 kernel (its weights have enough
  // zeros; docs/PRUNING.md), empty for the op's usual kernel.
  std::string kernel;
};

class Runner {
 public:
  static StatusOr<Runner> Create(const Model& model, const RunnerOptions& options = {});
  Runner(Runner&&) noexcept;
  Runner& operator=(Runner&&) noexcept;
  ~Runner();

  int num_inputs() const;
  int num_outputs() const;
  TensorInfo InputInfo(int i) const;
  TensorInfo OutputInfo(int i) const;
  Status SetInput(int i, const std::vector<uint8_t>& bytes);
  Status Run();
  HostTensor Output(int i) const;
  // Any tensor of the subgraph by index (meaningful after Run with
  // preserve_all_tensors, or for inputs/outputs/constants).
  StatusOr<HostTensor> Tensor(int index) const;
  std::vector<OpTiming> Profile() const;
  size_t arena_bytes() const;

 private:
  struct Impl;
  explicit Runner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The instruction set the optimized kernels run on this machine now:
// "avx512vnni", "avx512", "avxvnni", "avx2" or "reference" (portable C++),
// after DETLITE_ISA.
std::string KernelIsa();

}  // namespace detlite

#endif  // DETLITE_MODEL_H_
