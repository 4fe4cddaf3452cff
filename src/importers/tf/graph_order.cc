#include "importers/tf/graph_order.h"

#include "importers/tf/graph_importer.h"

namespace detlite::tf_import {
namespace {

bool IsBookkeeping(const std::string& op) {
  static const std::set<std::string> kOps = {
      "NoOp", "Assign", "AssignVariableOp", "AssignAdd", "AssignSub", "SaveV2", "Save",
      "SaveSlices", "RestoreV2", "Restore", "RestoreSlice", "MergeV2Checkpoints", "Const",
      "VariableV2", "Variable", "VarHandleOp", "VarIsInitializedOp", "ShardedFilename",
      "StringJoin", "Placeholder", "IsVariableInitialized"};
  return kOps.count(op) > 0;
}

}  // namespace

std::pair<std::string, int> ParseTensorName(const std::string& name) {
  if (!name.empty() && name[0] == '^') return {name.substr(1), -1};
  const size_t colon = name.rfind(':');
  if (colon == std::string::npos || colon + 1 == name.size()) return {name, 0};
  int idx = 0;
  for (size_t i = colon + 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || idx > 100000) return {name, 0};
    idx = idx * 10 + (name[i] - '0');
  }
  return {name.substr(0, colon), idx};
}

StatusOr<NodeIndex> IndexNodes(const tf::GraphDef& graph, const std::string& file) {
  NodeIndex index;
  for (const tf::NodeDef& n : graph.node()) {
    if (n.name().empty()) return InvalidArgument(file + ": a node has no name");
    if (!index.emplace(n.name(), &n).second) {
      return InvalidArgument(file + ": two nodes are named '" + n.name() + "'");
    }
  }
  return index;
}

std::vector<std::string> DefaultOutputs(const tf::GraphDef& graph) {
  // tflite_graph.pb: the detector's outputs are the post-processing op's
  // four, whatever else was left unread beside it (e.g. an unstripped
  // anchors Identity); and all four, not just output 0.
  const tf::NodeDef* post = nullptr;
  int num_post = 0;
  for (const tf::NodeDef& n : graph.node()) {
    if (n.op() == kDetectionPostProcessOp) post = &n, ++num_post;
  }
  if (num_post == 1) {
    const std::string& p = post->name();
    return {p, p + ":1", p + ":2", p + ":3"};
  }
  std::set<std::string> read;
  for (const tf::NodeDef& n : graph.node()) {
    for (const std::string& in : n.input()) {
      auto [name, idx] = ParseTensorName(in);
      if (idx >= 0) read.insert(name);
    }
  }
  std::vector<std::string> outs;
  for (const tf::NodeDef& n : graph.node()) {
    if (read.count(n.name()) || IsBookkeeping(n.op())) continue;
    if (n.name().rfind("save/", 0) == 0) continue;
    outs.push_back(n.name());
  }
  return outs;
}

StatusOr<std::vector<const tf::NodeDef*>> DependencyOrder(const NodeIndex& index,
                                                          const std::vector<std::string>& outputs,
                                                          const std::set<std::string>& stops,
                                                          const std::string& file) {
  // Iterative depth-first search (a deep graph must not overflow the stack);
  // state 1 = on the current path, 2 = done.
  std::map<std::string, int> state;
  std::vector<const tf::NodeDef*> order;
  for (const std::string& out : outputs) {
    const std::string root = ParseTensorName(out).first;
    auto it = index.find(root);
    if (it == index.end()) return NotFound(file + ": output node '" + root + "' is not in the graph");
    if (state[root] == 2) continue;
    std::vector<std::pair<const tf::NodeDef*, int>> stack{{it->second, 0}};
    state[root] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      const bool stop = stops.count(node->name()) > 0;
      if (!stop && next < node->input_size()) {
        auto [name, idx] = ParseTensorName(node->input(next++));
        if (idx < 0) continue;
        auto found = index.find(name);
        if (found == index.end()) {
          return NotFound(file + ": node '" + node->name() + "' reads '" + name +
                          "', which is not in the graph");
        }
        int& s = state[name];
        if (s == 1) {
          return InvalidArgument(file + ": the graph has a cycle through node '" + name + "'");
        }
        if (s == 0) {
          s = 1;
          stack.emplace_back(found->second, 0);
        }
        continue;
      }
      state[node->name()] = 2;
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;
}

}  // namespace detlite::tf_import
