#include "importers/tf/graph_importer.h"

#include <set>

#include "importers/tf/graph_order.h"
#include "importers/tf/import_context.h"
#include "importers/tf/loop_check.h"
#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

bool IsVariableOp(const std::string& op) {
  return op == "VariableV2" || op == "Variable" || op == "VarHandleOp";
}

// Every op type the outputs need that no mapper handles, listed at once.
Status CheckSupported(const std::vector<const tf::NodeDef*>& order,
                      const std::set<std::string>& inputs, const std::string& file) {
  std::map<std::string, std::vector<std::string>> missing;
  for (const tf::NodeDef* n : order) {
    if (inputs.count(n->name()) || n->op() == "Const" || n->op() == "Placeholder" ||
        IsVariableOp(n->op()) || OpMapperTable().count(n->op())) {
      continue;
    }
    missing[n->op()].push_back(n->name());
  }
  if (missing.empty()) return Status::Ok();
  std::string msg;
  for (const auto& [op, nodes] : missing) {
    msg += (msg.empty() ? "" : "; ") + op + " (";
    for (size_t i = 0; i < nodes.size() && i < 5; ++i) msg += (i ? ", " : "") + nodes[i];
    if (nodes.size() > 5) msg += ", and " + std::to_string(nodes.size() - 5) + " more";
    msg += ")";
  }
  return Unimplemented(file + ": TensorFlow ops with no TFLite mapping: " + msg);
}

StatusOr<Shape> InputShape(ImportContext& ctx, const tf::NodeDef& n,
                           const std::vector<int64_t>& declared, bool known_rank,
                           const GraphImportOptions& options, size_t num_inputs,
                           std::vector<std::string>* log) {
  if (const std::vector<int32_t>* hint = FindShapeHint(options.input_shapes, n.name(),
                                                       num_inputs == 1)) {
    if (known_rank && hint->size() != declared.size()) {
      return ctx.NodeError(n.name(), n.op(), "the given input shape has rank " +
                                                 std::to_string(hint->size()) +
                                                 ", the graph declares " +
                                                 std::to_string(declared.size()));
    }
    for (size_t i = 0; i < hint->size(); ++i) {
      if ((*hint)[i] <= 0 || (known_rank && declared[i] >= 0 && declared[i] != (*hint)[i])) {
        return ctx.NodeError(n.name(), n.op(), "the given input shape does not fit the graph's");
      }
    }
    return Shape(*hint);
  }
  if (!known_rank) {
    return ctx.NodeError(n.name(), n.op(), "input has unknown rank; give its shape");
  }
  Shape s;
  for (size_t i = 0; i < declared.size(); ++i) {
    int64_t d = declared[i];
    if (d < 0 && i == 0) {
      d = 1;
      log->push_back("input '" + n.name() + "': unknown batch dimension set to 1");
    }
    if (d < 0 || d > INT32_MAX) {
      return ctx.NodeError(n.name(), n.op(), "input dimension " + std::to_string(i) +
                                                 " is unknown; give the input shape");
    }
    s.dims().push_back(static_cast<int32_t>(d));
  }
  return s;
}

}  // namespace

StatusOr<ir::Model> ImportGraphDef(const tf::GraphDef& graph, const std::string& file,
                                   const GraphImportOptions& options,
                                   const VariableResolver& variables, GraphImportStats* stats) {
  ASSIGN_OR_RETURN(NodeIndex index, IndexNodes(graph, file));
  std::vector<std::string> outputs = options.outputs;
  if (outputs.empty()) outputs = DefaultOutputs(graph);
  if (outputs.empty()) return InvalidArgument(file + ": the graph has no outputs to convert");
  std::set<std::string> cut, stops;
  for (const std::string& in : options.inputs) {
    const std::string name = ParseTensorName(in).first;
    if (!index.count(name)) return NotFound(file + ": input node '" + name + "' is not in the graph");
    cut.insert(name);
    if (options.input_specs.count(name)) stops.insert(name);
  }
  // Import a cut node's own dependencies too: its type and shape come from
  // importing it (they are usually small constant subgraphs).
  std::vector<std::string> roots = outputs;
  roots.insert(roots.end(), cut.begin(), cut.end());
  RETURN_IF_ERROR(CheckNoLoops(index, roots, stops, file));
  ASSIGN_OR_RETURN(std::vector<const tf::NodeDef*> order,
                   DependencyOrder(index, roots, stops, file));
  RETURN_IF_ERROR(CheckSupported(order, stops, file));

  ir::Model model;
  ImportContext ctx(&model, file);
  std::map<std::string, std::vector<int32_t>> produced;
  size_t num_placeholders = 0;
  for (const tf::NodeDef* n : order) num_placeholders += n->op() == "Placeholder";
  const size_t num_inputs = cut.empty() ? num_placeholders : cut.size();
  for (const tf::NodeDef* n : order) {
    if (stops.count(n->name())) {
      const GraphImportOptions::InputSpec& spec = options.input_specs.at(n->name());
      auto dt_or = DTypeFromTf(spec.tf_dtype);
      if (!dt_or.ok()) return dt_or.status().WithContext(file + ": node '" + n->name() + "'");
      const DType dt = *dt_or;
      ASSIGN_OR_RETURN(Shape s, InputShape(ctx, *n, spec.dims, spec.known_rank, options,
                                           num_inputs, &stats->log));
      produced[n->name()] = {ctx.Input(n->name(), dt, s)};
      continue;
    }
    std::vector<int32_t> in;
    for (const std::string& name : n->input()) {
      auto [src, idx] = ParseTensorName(name);
      if (idx < 0) continue;
      const std::vector<int32_t>& outs = produced[src];
      if (idx >= static_cast<int>(outs.size())) {
        return ctx.NodeError(n->name(), n->op(), "reads output " + std::to_string(idx) + " of '" +
                                                     src + "', which has " +
                                                     std::to_string(outs.size()));
      }
      in.push_back(outs[static_cast<size_t>(idx)]);
    }
    std::vector<int32_t> outs;
    if (n->op() == "Placeholder") {
      auto dt_or = DTypeFromTf(AttrType(*n, "dtype", 0));
      if (!dt_or.ok()) return dt_or.status().WithContext(file + ": node '" + n->name() + "'");
      const DType dt = *dt_or;
      bool known_rank = false;
      std::vector<int64_t> dims;
      if (const tf::AttrValue* a = FindAttr(*n, "shape"); a && a->has_shape()) {
        dims = PartialShapeFromTf(a->shape(), &known_rank);
      }
      ASSIGN_OR_RETURN(Shape s, InputShape(ctx, *n, dims, known_rank, options, num_inputs,
                                           &stats->log));
      outs.push_back(ctx.Input(n->name(), dt, s));
    } else if (n->op() == "Const") {
      const tf::AttrValue* v = FindAttr(*n, "value");
      if (!v || !v->has_tensor()) return ctx.NodeError(n->name(), n->op(), "has no value");
      ASSIGN_OR_RETURN(ConstTensor t, TensorFromProto(v->tensor(), file + ": node '" + n->name() + "'"));
      outs.push_back(ctx.Constant(n->name(), std::move(t)));
    } else if (IsVariableOp(n->op())) {
      auto value = variables(*n);
      if (!value.ok()) return value.status();
      outs.push_back(ctx.Constant(n->name(), std::move(*value)));
    } else {
      ASSIGN_OR_RETURN(outs, OpMapperTable().at(n->op())(ctx, *n, in));
    }
    if (cut.count(n->name())) {
      // Replace the computed value by a model input of the same type/shape.
      for (int32_t& o : outs) {
        const ir::Tensor& t = ctx.tensor(o);
        o = ctx.Input(n->name(), t.dtype, t.shape);
      }
    }
    produced[n->name()] = std::move(outs);
  }
  for (const std::string& out : outputs) {
    auto [name, idx] = ParseTensorName(out);
    const std::vector<int32_t>& outs = produced[name];
    if (idx < 0 || idx >= static_cast<int>(outs.size())) {
      return NotFound(file + ": output '" + out + "' does not exist");
    }
    ctx.sg().outputs.push_back(outs[static_cast<size_t>(idx)]);
  }
  stats->graph_nodes = graph.node_size();
  stats->imported_nodes = static_cast<int>(order.size());
  for (const tf::NodeDef* n : order) ++stats->tf_ops[n->op()];
  stats->folded_ops = ctx.folded_ops();
  return model;
}

}  // namespace detlite::tf_import
