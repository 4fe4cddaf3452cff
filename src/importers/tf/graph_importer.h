// Imports a TensorFlow GraphDef (frozen, or with variables supplied by the
// caller) into detlite's IR of TFLite builtin ops.
//
// Only the nodes the requested outputs depend on are imported (training,
// saving and initialization nodes are left behind); their op types are all
// checked first so every unsupported op is reported at once. Nodes are then
// visited in dependency order (a cycle is an error naming a node on it) and
// mapped by op_mappers.h, folding everything constant.
#ifndef DETLITE_IMPORTERS_TF_GRAPH_IMPORTER_H_
#define DETLITE_IMPORTERS_TF_GRAPH_IMPORTER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/shape_hints.h"
#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"
#include "importers/tf/tf_tensor.h"
#include "ir/graph.h"

namespace detlite::tf_import {

struct GraphImportOptions {
  // Tensors ("node" or "node:i") to make the model's inputs. Empty: every
  // Placeholder the outputs depend on. A listed node that is not a
  // Placeholder (e.g. a Fill) is cut there and replaced by an input of the
  // same type and shape.
  std::vector<std::string> inputs;
  // Tensors to make the model's outputs. Empty: every node nothing else
  // reads, except stateful bookkeeping (save/restore/assign/no-op).
  std::vector<std::string> outputs;
  // Static shapes for inputs with unknown dimensions, by node name; key ""
  // applies to the only input (core/shape_hints.h). Without one, an unknown
  // batch dimension becomes 1 (as the TFLite converter does) and any other
  // is an error.
  ShapeHints input_shapes;
  // Type and (partial) shape of cut inputs, by node name, as a SavedModel
  // signature declares them: such a node becomes an input without importing
  // what feeds it (e.g. a tf.Example parser in front of the model).
  struct InputSpec {
    int32_t tf_dtype = 0;
    std::vector<int64_t> dims;
    bool known_rank = false;
  };
  std::map<std::string, InputSpec> input_specs;
};

// Value of a variable node (VariableV2, VarHandleOp...); NotFound if none.
using VariableResolver = std::function<StatusOr<ConstTensor>(const tf::NodeDef& node)>;

struct GraphImportStats {
  int graph_nodes = 0;     // nodes in the GraphDef
  int imported_nodes = 0;  // nodes the outputs depend on
  std::map<std::string, int> tf_ops;  // op type -> count among imported nodes
  int folded_ops = 0;      // builtin ops computed at import time
  std::vector<std::string> log;
};

StatusOr<ir::Model> ImportGraphDef(const tf::GraphDef& graph, const std::string& file,
                                   const GraphImportOptions& options,
                                   const VariableResolver& variables, GraphImportStats* stats);

// A resolver for graphs that still hold their variables' initializers:
// the value is the constant a unique Assign(variable, Const) node writes.
// Used for plain (unfrozen) GraphDefs; SavedModels use their checkpoint.
VariableResolver InitializerResolver(const tf::GraphDef& graph, const std::string& file);

// Splits "node:2" into ("node", 2); "^node" (control input) gives index -1.
std::pair<std::string, int> ParseTensorName(const std::string& name);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_GRAPH_IMPORTER_H_
