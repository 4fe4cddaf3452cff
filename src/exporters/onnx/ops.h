// One emitter per family of IR ops, each adding the ONNX nodes for one op
// (ops_conv.cc, ops_elementwise.cc, ops_shape.cc); ops.cc picks the family.
#ifndef DETLITE_EXPORTERS_ONNX_OPS_H_
#define DETLITE_EXPORTERS_ONNX_OPS_H_

#include <string>

#include "exporters/onnx/onnx_graph.h"

namespace detlite::onnx_export {

// Adds the nodes computing `op`; Unimplemented naming the op when ONNX
// export does not cover it.
Status EmitOp(OnnxGraph& g, const ir::Operator& op);

// Families; each returns false for a kind that is not its own.
StatusOr<bool> EmitConvFamily(OnnxGraph& g, const ir::Operator& op);
StatusOr<bool> EmitElementwise(OnnxGraph& g, const ir::Operator& op);
StatusOr<bool> EmitShapeOp(OnnxGraph& g, const ir::Operator& op);

// A fused activation: the node before it writes `pre`, this writes `out`.
// With kNone, pre == out and nothing is added.
std::string ActivationInput(OnnxGraph& g, ir::Activation act, const std::string& out);
Status EmitActivation(OnnxGraph& g, ir::Activation act, const std::string& pre,
                      const std::string& out);

// Checks an op's input/output counts (optional inputs may be -1).
Status CheckArity(const OnnxGraph& g, const ir::Operator& op, size_t min_in, size_t max_in,
                  size_t outs);

}  // namespace detlite::onnx_export

#endif  // DETLITE_EXPORTERS_ONNX_OPS_H_
