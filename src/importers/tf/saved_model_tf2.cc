// TF2 SavedModels: the signature's graph is a call (StatefulPartitionedCall)
// of a library function, and variables are VarHandleOps whose checkpoint
// keys come from the object graph, not from their names:
//   call node's trailing inputs <-> SavedConcreteFunction.bound_inputs
//   (object-graph node ids) <-> the checkpoint's TrackableObjectGraph node
//   with the same id, whose VARIABLE_VALUE attribute names the key
//   (e.g. "a/.ATTRIBUTES/VARIABLE_VALUE").
#include <map>
#include <memory>

#include "importers/tf/function_inliner.h"
#include "importers/tf/node_attrs.h"
#include "importers/tf/saved_model.h"
#include "importers/tf/tensor_bundle.h"

namespace detlite::tf_import {
namespace {

constexpr char kObjectGraphKey[] = "_CHECKPOINTABLE_OBJECT_GRAPH";

// VarHandleOp node name -> object-graph node id, from the calls' captures.
std::map<std::string, int> CapturedVariables(const tf::MetaGraphDef& meta) {
  std::map<std::string, int> out;
  const auto& fns = meta.object_graph_def().concrete_functions();
  for (const tf::NodeDef& n : meta.graph_def().node()) {
    if (n.op() != "StatefulPartitionedCall" && n.op() != "PartitionedCall") continue;
    const tf::AttrValue* f = FindAttr(n, "f");
    if (!f || !f->has_func()) continue;
    auto it = fns.find(f->func().name());
    if (it == fns.end()) continue;
    std::vector<std::string> data;
    for (const std::string& in : n.input()) {
      if (!in.empty() && in[0] != '^') data.push_back(ParseTensorName(in).first);
    }
    const auto& bound = it->second.bound_inputs();
    if (bound.size() > static_cast<int>(data.size())) continue;
    const size_t first = data.size() - static_cast<size_t>(bound.size());
    for (int j = 0; j < bound.size(); ++j) out[data[first + static_cast<size_t>(j)]] = bound[j];
  }
  return out;
}

}  // namespace

StatusOr<TfGraph> LoadSavedModelTf2(tf::MetaGraphDef* meta_in, const std::string& dir,
                                    const std::string& path, const TfLoadOptions& options) {
  const tf::MetaGraphDef& meta = *meta_in;
  const std::string prefix = dir + "/variables/variables";
  auto bundle = std::make_shared<StatusOr<TensorBundle>>(TensorBundle::Open(prefix));
  // Object id -> checkpoint key, and variable name -> object id.
  auto keys = std::make_shared<std::map<int, std::string>>();
  auto by_name = std::make_shared<std::map<std::string, int>>();
  if (bundle->ok() && (*bundle)->Contains(kObjectGraphKey)) {
    ASSIGN_OR_RETURN(std::string bytes, (*bundle)->ReadScalarString(kObjectGraphKey));
    tf::TrackableObjectGraph tog;
    if (!tog.ParseFromString(bytes)) return DataLoss(prefix + ".index: corrupt object graph");
    for (int i = 0; i < tog.nodes_size(); ++i) {
      for (const auto& a : tog.nodes(i).attributes()) {
        if (a.name() == "VARIABLE_VALUE") (*keys)[i] = a.checkpoint_key();
      }
    }
  }
  const auto& objects = meta.object_graph_def().nodes();
  for (int i = 0; i < objects.size(); ++i) {
    if (objects[i].has_variable()) (*by_name)[objects[i].variable().name()] = i;
  }
  auto captured = std::make_shared<std::map<std::string, int>>(CapturedVariables(meta));
  VariableResolver resolver = [bundle, keys, by_name, captured, path](
                                  const tf::NodeDef& node) -> StatusOr<ConstTensor> {
    if (!bundle->ok()) return bundle->status();
    int id = -1;
    if (auto it = captured->find(node.name()); it != captured->end()) {
      id = it->second;
    } else if (auto s = by_name->find(AttrString(node, "shared_name", "")); s != by_name->end()) {
      id = s->second;
    }
    auto key = keys->find(id);
    if (key == keys->end()) {
      return NotFound(path + ": variable node '" + node.name() +
                      "' has no checkpoint value in the object graph");
    }
    return (*bundle)->Read(key->second);
  };
  RETURN_IF_ERROR(InlineFunctions(*meta_in->mutable_graph_def(), path));
  ASSIGN_OR_RETURN(TfGraph g, LoadMetaGraph(meta_in, path, std::move(resolver), options));
  g.format = "saved_model_tf2";
  return g;
}

}  // namespace detlite::tf_import
