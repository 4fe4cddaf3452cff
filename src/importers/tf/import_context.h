// The state of one TensorFlow graph import: the IR being built, the tensor
// each TensorFlow output ("node:i") became, and Emit(), which appends one
// TFLite builtin op. Emit infers the op's output shapes with detlite's own
// kernel Prepare (so shapes follow exactly the rules the runtime applies)
// and, when every input is constant, runs the kernel and records constant
// outputs instead of an op: that is how shape subgraphs, weight transposes
// and batch-norm arithmetic fold away during import.
#ifndef DETLITE_IMPORTERS_TF_IMPORT_CONTEXT_H_
#define DETLITE_IMPORTERS_TF_IMPORT_CONTEXT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "importers/tf/tf_tensor.h"
#include "ir/graph.h"

namespace detlite::tf_import {

class ImportContext {
 public:
  ImportContext(ir::Model* model, std::string file);

  ir::Subgraph& sg() { return model_->subgraphs[0]; }
  const ir::Tensor& tensor(int32_t i) const { return model_->subgraphs[0].tensors[static_cast<size_t>(i)]; }
  const std::string& file() const { return file_; }

  // Appends `kind` reading `inputs`, producing one output per dtype in
  // `out_dtypes`, named after `node` ("node", "node:1", ...). Errors name the
  // node. Returns the output tensors (constants if the op was folded).
  StatusOr<std::vector<int32_t>> Emit(const std::string& node, ir::OpKind kind,
                                      std::vector<int32_t> inputs, ir::OpOptions options,
                                      std::vector<DType> out_dtypes);
  StatusOr<int32_t> Emit1(const std::string& node, ir::OpKind kind, std::vector<int32_t> inputs,
                          ir::OpOptions options = std::monostate{});
  // Appends the custom op `custom_code` with `custom_options` (its kernel's
  // Prepare checks them and sets the output shapes, as for Emit).
  StatusOr<std::vector<int32_t>> EmitCustom(const std::string& node,
                                            const std::string& custom_code,
                                            ir::Bytes custom_options,
                                            std::vector<int32_t> inputs,
                                            std::vector<DType> out_dtypes);
  // Like Emit1 but with an explicit output dtype.
  StatusOr<int32_t> Emit1As(const std::string& node, ir::OpKind kind,
                            std::vector<int32_t> inputs, ir::OpOptions options, DType out);

  int32_t Constant(const std::string& name, ConstTensor t);
  int32_t ConstI32(const std::string& name, const std::vector<int32_t>& values, bool scalar = false);
  int32_t ConstF32(const std::string& name, Shape shape, const std::vector<float>& values);
  int32_t Input(const std::string& name, DType dtype, Shape shape);

  // Values of a constant integer tensor (int32 or int64), for axes, sizes
  // and permutations that TFLite needs at conversion time.
  StatusOr<std::vector<int64_t>> ConstInts(int32_t t, const std::string& node,
                                           const std::string& what) const;

  // Error helper: "<file>: node 'n' (Op): message".
  Status NodeError(const std::string& node, const std::string& op, const std::string& message) const;

  int folded_ops() const { return folded_ops_; }

 private:
  StatusOr<std::vector<int32_t>> EmitOp(const std::string& node, ir::Operator op,
                                        std::vector<int32_t> inputs,
                                        std::vector<DType> out_dtypes);

  ir::Model* model_;
  std::string file_;
  int folded_ops_ = 0;
};

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_IMPORT_CONTEXT_H_
