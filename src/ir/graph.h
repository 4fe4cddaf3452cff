// detlite's in-memory model: subgraphs of tensors and operators, in the shape
// of TFLite's model but with no file-format types. Importers build it,
// passes rewrite it, the interpreter runs it, exporters write it.
//
// Conventions:
//  - tensors are referred to by index into Subgraph::tensors; -1 in an
//    operator's inputs means "optional input absent".
//  - constant tensors carry their bytes in `data` (shared, immutable; little
//    endian, row major, dtype-sized elements, or the sparse layout described
//    by `sparsity`); other tensors have data == nullptr.
//  - operators are stored in execution order (the verifier checks it).
#ifndef DETLITE_IR_GRAPH_H_
#define DETLITE_IR_GRAPH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/quant_params.h"
#include "core/shape.h"
#include "core/sparsity.h"
#include "ir/op_kind.h"
#include "ir/op_options.h"

namespace detlite::ir {

using Bytes = std::vector<uint8_t>;
using ConstBytes = std::shared_ptr<const Bytes>;

struct Tensor {
  std::string name;
  DType dtype = DType::kFloat32;
  Shape shape;
  // Dimensions as declared, with -1 for dynamic ones; empty = same as shape.
  std::vector<int32_t> shape_signature;
  // False for a tensor of unknown rank (shape is then meaningless).
  bool has_rank = true;
  QuantParams quant;
  std::optional<SparsityParams> sparsity;
  // Set on a constant that came in sparse or was pruned and is now held
  // dense (passes that change values work on dense data): store it sparse
  // again, in this layout or a plain CSR one, where that makes the model
  // smaller (passes/store_sparse). Copies made by quantization keep it.
  std::optional<SparseLayout> sparse_hint;
  ConstBytes data;  // constant contents, or nullptr
  bool is_variable = false;

  bool is_constant() const { return data != nullptr; }
};

struct Operator {
  OpKind kind = OpKind::kCustom;
  std::string custom_code;  // for kind == kCustom
  int32_t version = 1;      // op version as recorded (writer may recompute)
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<int32_t> intermediates;
  OpOptions options;
  Bytes custom_options;  // opaque bytes (flexbuffer for custom ops)
  // Set by an importer when the file gave this op parameters the IR cannot
  // hold (an options type not in OpOptions, or a field of one set to a value
  // OpOptions has no place for). The model can still be inspected and run
  // where the kernel needs no options, but exporters refuse to write it
  // rather than silently drop the parameters.
  bool options_unsupported = false;
  // Index into Model::subgraphs for control-flow ops (IF, WHILE, CALL_ONCE)
  // is not modelled yet.
};

struct Subgraph {
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<Operator> ops;

  int32_t AddTensor(Tensor t) {
    tensors.push_back(std::move(t));
    return static_cast<int32_t>(tensors.size() - 1);
  }
};

struct SignatureTensor {
  std::string name;       // the signature's key for this input/output
  int32_t tensor_index = -1;
};

struct SignatureDef {
  std::string key;  // e.g. "serving_default"
  int32_t subgraph_index = 0;
  std::vector<SignatureTensor> inputs;
  std::vector<SignatureTensor> outputs;
};

// Named byte blobs carried with the model: "min_runtime_version",
// "TFLITE_METADATA", "CONVERSION_METADATA", ... preserved byte for byte.
struct Metadata {
  std::string name;
  Bytes data;
};

// What post-training quantization did to a model; exporters record it in
// their format's metadata (TFLite: CONVERSION_METADATA and
// min_runtime_version).
enum class Optimization { kPtqFloat16, kPtqDynamicRange, kPtqFullInteger, kPtqInt16 };

struct Model {
  uint32_t version = 3;
  std::string description;
  std::vector<Subgraph> subgraphs;
  std::vector<SignatureDef> signatures;
  std::vector<Metadata> metadata;
  // Blobs a file lists by buffer only, with no name (TFLite's older
  // metadata_buffer list; MediaPipe models keep their own info there),
  // preserved byte for byte and in order.
  std::vector<Bytes> unnamed_metadata;
  // A zip archive the source file carried after the model (TFLite metadata's
  // associated files, e.g. a label map), its offsets rewritten to count from
  // the archive's own start; exporters append it again. Empty if none.
  Bytes associated_files;
  // Parts of the source file the IR has no place for (e.g. custom
  // quantization details), one line each; exporters refuse a model that
  // lists any, so nothing is lost silently.
  std::vector<std::string> unsupported_features;
  std::vector<Optimization> optimizations;  // in the order applied

  const Metadata* FindMetadata(const std::string& name) const {
    for (const auto& m : metadata) if (m.name == name) return &m;
    return nullptr;
  }
};

}  // namespace detlite::ir

#endif  // DETLITE_IR_GRAPH_H_
