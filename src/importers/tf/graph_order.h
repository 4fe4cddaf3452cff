// Graph walking for the GraphDef importer: the node index, default outputs,
// the set of nodes the outputs depend on, and a dependency order.
#ifndef DETLITE_IMPORTERS_TF_GRAPH_ORDER_H_
#define DETLITE_IMPORTERS_TF_GRAPH_ORDER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"

namespace detlite::tf_import {

using NodeIndex = std::map<std::string, const tf::NodeDef*>;

StatusOr<NodeIndex> IndexNodes(const tf::GraphDef& graph, const std::string& file);

inline constexpr char kDetectionPostProcessOp[] = "TFLite_Detection_PostProcess";

// Nodes no other node reads as data, minus bookkeeping (NoOp, Assign, save
// and restore ops, constants, variables). A graph with one
// TFLite_Detection_PostProcess node (an Object Detection API
// tflite_graph.pb) gives that node's four outputs instead.
std::vector<std::string> DefaultOutputs(const tf::GraphDef& graph);

// Data dependencies of `outputs`, not walking past `stops`, in an order where
// every node comes after the nodes it reads. Control inputs are ignored (an
// inference graph computes the same values without them).
StatusOr<std::vector<const tf::NodeDef*>> DependencyOrder(const NodeIndex& index,
                                                          const std::vector<std::string>& outputs,
                                                          const std::set<std::string>& stops,
                                                          const std::string& file);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_GRAPH_ORDER_H_
