// The contract between the interpreter and an op kernel, after tflite-micro:
// Prepare validates everything (dtypes, ranks, shapes, quantization), computes
// output shapes and precomputes per-op data such as fixed-point multipliers;
// Eval then runs blind on buffers the interpreter has planned. A kernel never
// allocates tensor memory and never sees a file format.
#ifndef DETLITE_RUNTIME_KERNEL_API_H_
#define DETLITE_RUNTIME_KERNEL_API_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/quant_params.h"
#include "core/shape.h"
#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::runtime {

// A tensor as a kernel sees it: element type, current shape, quantization
// and a pointer to its bytes (valid in Eval only; nullptr during Prepare for
// non-constant tensors).
struct TensorRef {
  const ir::Tensor* ir = nullptr;  // name, sparsity, declared shape
  DType dtype = DType::kFloat32;
  Shape shape;
  const QuantParams* quant = nullptr;  // never null once prepared
  uint8_t* data = nullptr;
  size_t bytes = 0;
  bool is_constant = false;

  int64_t NumElements() const { return shape.NumElements(); }
  template <typename T>
  const T* Data() const { return reinterpret_cast<const T*>(data); }
  template <typename T>
  T* MutableData() { return reinterpret_cast<T*>(data); }
  // Per-tensor scale / zero point (first entry); 0 if absent.
  float scale() const { return quant && !quant->scale.empty() ? quant->scale[0] : 0.0f; }
  int32_t zero_point() const {
    return quant && !quant->zero_point.empty()
               ? static_cast<int32_t>(quant->zero_point[0]) : 0;
  }
  const std::string& name() const;
};

// Per-op state created in Prepare and read in Eval.
struct OpData {
  virtual ~OpData() = default;
  // The kernel variant Prepare chose when it is not the op's usual one
  // ("sparse"), for profiles and tests; null otherwise.
  virtual const char* KernelVariant() const { return nullptr; }
  // Called by the interpreter's fusion (runtime/fusion.h) after Prepare:
  // may the op read, instead of its input 0, the unpadded [N, in_h, in_w, C]
  // tensor a zero spatial PAD of (top, left) made it from, treating the
  // missing rows and columns as zeros? True if the op now does so.
  virtual bool AbsorbSpatialPad(int32_t top, int32_t left, int32_t in_h,
                                int32_t in_w) {
    return false;
  }
};

// An ADD (and the activation after it) the interpreter folded into a float
// CONV_2D (runtime/fusion.h): the conv then writes act(conv + residual) to
// the activation's output. The residual may have fewer channels than the
// conv's output (a channel PAD with zeros, skipped too).
struct FusedResidual {
  const TensorRef* residual = nullptr;  // [..., res_c]
  int64_t res_c = 0;
  float lo = 0, hi = 0;                // clamp, unless alpha is set
  const TensorRef* alpha = nullptr;    // PRELU, one value per channel
};

class OpContext {
 public:
  OpContext(const ir::Operator* op, std::vector<TensorRef*> inputs,
            std::vector<TensorRef*> outputs, int op_index)
      : op_(op), inputs_(std::move(inputs)), outputs_(std::move(outputs)),
        op_index_(op_index) {}

  const ir::Operator& op() const { return *op_; }
  int op_index() const { return op_index_; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  int num_outputs() const { return static_cast<int>(outputs_.size()); }
  // nullptr for an absent optional input (index -1 in the model).
  const TensorRef* input(int i) const { return inputs_[static_cast<size_t>(i)]; }
  TensorRef* output(int i) { return outputs_[static_cast<size_t>(i)]; }
  const TensorRef* output(int i) const { return outputs_[static_cast<size_t>(i)]; }

  // Sets the output's shape (Prepare only); memory is planned afterwards.
  void SetOutputShape(int i, Shape s) { outputs_[static_cast<size_t>(i)]->shape = std::move(s); }

  // Prepare only, after SetOutputShape: output i is a constant the op has
  // computed from constant inputs into `data` (owned by the op's data, which
  // lives as long as the interpreter). Consumers then see a constant (conv
  // weights are packed once), no memory is planned for it, and an op whose
  // outputs are all constant is not run by Invoke.
  void SetConstantOutput(int i, const void* data, size_t bytes);
  bool AllOutputsConstant() const;

  template <typename T>
  T& SetData(std::unique_ptr<T> d) {
    T& ref = *d;
    data_ = std::move(d);
    return ref;
  }
  template <typename T>
  T& data() const { return static_cast<T&>(*data_); }
  const OpData* op_data() const { return data_.get(); }

  // After Prepare, by the interpreter only: output 0 becomes `output` and
  // the kernel applies `fused` after computing it.
  void SetFusedResidual(const FusedResidual& fused, TensorRef* output) {
    fused_ = std::make_unique<FusedResidual>(fused);
    outputs_[0] = output;
  }
  const FusedResidual* fused_residual() const { return fused_.get(); }
  // After Prepare, by the interpreter only (with OpData::AbsorbSpatialPad).
  void RedirectInput(int i, TensorRef* input) { inputs_[static_cast<size_t>(i)] = input; }
  OpData* mutable_op_data() { return data_.get(); }

  // Error helper: "op 12 CONV_2D (name of first output): message".
  Status Error(const std::string& message) const;

 private:
  const ir::Operator* op_;
  std::vector<TensorRef*> inputs_;
  std::vector<TensorRef*> outputs_;
  int op_index_;
  std::unique_ptr<OpData> data_;
  std::unique_ptr<FusedResidual> fused_;
};

struct OpKernel {
  Status (*prepare)(OpContext& ctx) = nullptr;
  Status (*eval)(OpContext& ctx) = nullptr;
};

// Checks used by many Prepare functions. Each returns a Status from ctx.Error.
Status CheckInputCount(const OpContext& ctx, int min_count, int max_count);
Status CheckOutputCount(const OpContext& ctx, int count);
Status CheckDType(const OpContext& ctx, const TensorRef* t, DType want, const char* what);
Status CheckRank(const OpContext& ctx, const TensorRef* t, int rank, const char* what);

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_KERNEL_API_H_
