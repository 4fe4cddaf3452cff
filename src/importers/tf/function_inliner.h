// Flattens TF2 graphs: every call of a library function (PartitionedCall,
// StatefulPartitionedCall, or a node whose op is a function name) is replaced
// by the function's body, its nodes renamed "<call>/<node>", its arguments
// wired to the call's inputs, and the call node itself turned into an
// IdentityN of the function's return values, so readers of "<call>:i" are
// unchanged. Nested calls are expanded until none remain (bounded depth).
//
// Inside a function body a tensor is named "node:output_arg:index"; in a
// flat graph it is "node:k", k counting over all of the op's output args.
// For the ops whose outputs are split over several args (batch norms,
// Unique, TopKV2...) the arg order comes from a small table; every other op
// has one output arg, so k = index.
#ifndef DETLITE_IMPORTERS_TF_FUNCTION_INLINER_H_
#define DETLITE_IMPORTERS_TF_FUNCTION_INLINER_H_

#include <map>
#include <string>

#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"

namespace detlite::tf_import {

// Rewrites `graph` in place. `calls` (optional) receives, for each inlined
// call node, the function it called.
Status InlineFunctions(tf::GraphDef& graph, const std::string& file,
                       std::map<std::string, std::string>* calls = nullptr);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_FUNCTION_INLINER_H_
