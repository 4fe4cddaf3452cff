// Small helpers the Object Detection API readers share to look at a
// TensorFlow graph: node lookup by name, the readers of each tensor,
// float constants, and one forward walk through layout-only ops.
#ifndef DETLITE_IMPORTERS_ODAPI_GRAPH_WALK_H_
#define DETLITE_IMPORTERS_ODAPI_GRAPH_WALK_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "detlite/tf/graph.pb.h"

namespace detlite::odapi {

using NodeMap = std::map<std::string, const tf::NodeDef*>;
using ConsumerMap = std::map<std::string, std::vector<const tf::NodeDef*>>;

constexpr int kMaxWalk = 32;  // layout ops between two ops of interest

// "^n", "n:1" -> "n".
std::string NodeOf(const std::string& input);

// "n" and "n:0" are the same tensor: both give "n:0".
std::string TensorKey(const std::string& input);

// Ops that move or repeat elements without changing them; their data input
// is input 0.
bool IsLayoutOp(const std::string& op);

NodeMap Nodes(const tf::GraphDef& graph);

// Tensor ("node:k") -> the nodes reading it as a data input.
ConsumerMap Consumers(const tf::GraphDef& graph);

// Float values and dims of a Const (at most 2^24 elements), or false.
bool FloatConst(const tf::NodeDef& n, std::vector<float>* values, std::vector<int64_t>* dims);

// Visits, breadth first, the readers of `tensor` and of everything layout
// ops make of it (bounded), until `visit` returns true; returns whether it
// did.
bool WalkForward(const ConsumerMap& consumers, const std::string& tensor,
                 const std::function<bool(const tf::NodeDef& reader, const std::string& tensor)>& visit);

}  // namespace detlite::odapi

#endif  // DETLITE_IMPORTERS_ODAPI_GRAPH_WALK_H_
