// The state the ONNX exporter keeps while it turns one IR subgraph into an
// ONNX graph: names of ONNX values, the layout each IR tensor was produced
// in, float values of constants (fp16, DEQUANTIZE and DENSIFY folded), and
// helpers to add nodes and initializers.
//
// Layouts: the IR is NHWC (TFLite's). ONNX's Conv, pools and Resize are
// NCHW, so an IR tensor of rank 4 may live in ONNX as its NCHW permutation
// (kNchw). Ops that need the IR's own order (Reshape, Softmax, FC, outputs)
// ask for kIr and a Transpose is added once per tensor; elementwise ops keep
// whatever layout their inputs have, so a chain of convs stays NCHW.
#ifndef DETLITE_EXPORTERS_ONNX_ONNX_GRAPH_H_
#define DETLITE_EXPORTERS_ONNX_ONNX_GRAPH_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detlite/onnx/onnx.pb.h"
#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::onnx_export {

enum class Layout { kIr, kNchw };

// NHWC axis a sits at NCHW position kToNchwPos[a]; NCHW position p holds
// NHWC axis kNchwPerm[p] (the Transpose perm NHWC -> NCHW).
inline constexpr int kNchwPerm[4] = {0, 3, 1, 2};
inline constexpr int kToNchwPos[4] = {0, 2, 3, 1};

class OnnxGraph {
 public:
  OnnxGraph(const ir::Subgraph& sg, onnx::GraphProto* graph);

  const ir::Subgraph& sg() const { return sg_; }
  const ir::Tensor& tensor(int32_t t) const { return sg_.tensors[static_cast<size_t>(t)]; }
  // "op 12 (CONV_2D)": the prefix of every error about the current op.
  const std::string& where() const { return where_; }
  void set_where(std::string w) { where_ = std::move(w); }

  // Folds a DEQUANTIZE / DENSIFY whose input is constant into a float
  // constant; true if `op` was folded (it then adds no node).
  StatusOr<bool> FoldConstantOp(const ir::Operator& op);
  // Float values of a constant (float32, float16, or folded), or nullptr.
  StatusOr<const std::vector<float>*> FloatConstant(int32_t t);
  // Integer values of an int32/int64 constant (shapes, paddings, axes).
  StatusOr<std::vector<int64_t>> IntConstant(int32_t t) const;
  bool IsConstant(int32_t t) const;

  // The ONNX value holding IR tensor t in `want` layout (a Transpose or a
  // permuted initializer is added the first time it is needed).
  StatusOr<std::string> Value(int32_t t, Layout want);
  Layout LayoutOf(int32_t t) const;
  bool IsProduced(int32_t t) const { return produced_.count(t) != 0; }
  // The name an op must write IR tensor t to, produced in `layout`.
  std::string Produce(int32_t t, Layout layout);

  std::string FreshName(const std::string& hint);
  std::string AddInitializer(const std::string& hint, const std::vector<int64_t>& dims,
                             const std::vector<float>& values);
  std::string AddInt64Initializer(const std::string& hint, const std::vector<int64_t>& dims,
                                  const std::vector<int64_t>& values);
  onnx::NodeProto* AddNode(const std::string& op_type, const std::vector<std::string>& inputs,
                           const std::vector<std::string>& outputs);

  static void SetInt(onnx::NodeProto* n, const std::string& name, int64_t v);
  static void SetInts(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v);
  static void SetFloat(onnx::NodeProto* n, const std::string& name, float v);
  static void SetString(onnx::NodeProto* n, const std::string& name, const std::string& v);

 private:
  std::string BaseName(int32_t t) const { return names_[static_cast<size_t>(t)]; }

  const ir::Subgraph& sg_;
  onnx::GraphProto* graph_;
  std::string where_;
  std::vector<std::string> names_;                 // per IR tensor, unique
  std::map<int32_t, Layout> produced_;             // layout an op wrote
  std::map<int32_t, std::vector<float>> folded_;   // constants as float
  std::map<std::pair<int32_t, int>, std::string> values_;  // (tensor, layout)
  std::map<std::string, int> used_names_;
};

// ONNX's element type code for a detlite type; 0 if it has none.
int32_t OnnxElemType(DType t);

}  // namespace detlite::onnx_export

#endif  // DETLITE_EXPORTERS_ONNX_ONNX_GRAPH_H_
