// Variables of an unfrozen GraphDef, valued by their initializers.
#include "importers/tf/graph_importer.h"
#include "importers/tf/graph_order.h"
#include "importers/tf/node_attrs.h"

namespace detlite::tf_import {

VariableResolver InitializerResolver(const tf::GraphDef& graph, const std::string& file) {
  // Variable name -> the Const node its initializer assigns (or "" when
  // several assignments make the initial value ambiguous).
  auto init = std::make_shared<std::map<std::string, const tf::NodeDef*>>();
  auto index = std::make_shared<NodeIndex>();
  for (const tf::NodeDef& n : graph.node()) (*index)[n.name()] = &n;
  std::map<std::string, int> count;
  for (const tf::NodeDef& n : graph.node()) {
    if (n.op() != "Assign" && n.op() != "AssignVariableOp") continue;
    if (n.input_size() < 2) continue;
    const std::string var = ParseTensorName(n.input(0)).first;
    const std::string src = ParseTensorName(n.input(1)).first;
    auto it = index->find(src);
    // TensorFlow names a variable's initializer "<var>/Assign"; other
    // assignments (restores, updates) only count when it is absent.
    const bool initializer = n.name() == var + "/Assign";
    count[var] += initializer ? 1000 : 1;
    if (it != index->end() && it->second->op() == "Const" && (initializer || !init->count(var))) {
      (*init)[var] = it->second;
    }
  }
  for (const auto& [var, c] : count) {
    if (c > 1 && c < 1000) init->erase(var);
  }
  return [init, index, file](const tf::NodeDef& node) -> StatusOr<ConstTensor> {
    auto it = init->find(node.name());
    if (it == init->end()) {
      return NotFound(file + ": node '" + node.name() + "' (" + node.op() +
                      ") is a variable with no value in this file (freeze the graph or "
                      "convert the SavedModel that holds its checkpoint)");
    }
    const tf::AttrValue* v = FindAttr(*it->second, "value");
    if (!v || !v->has_tensor()) {
      return InvalidArgument(file + ": node '" + it->second->name() + "' has no value");
    }
    return TensorFromProto(v->tensor(), file + ": node '" + it->second->name() + "'");
  };
}

}  // namespace detlite::tf_import
