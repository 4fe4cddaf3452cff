#include "importers/tf/saved_model.h"

#include <sys/stat.h>

#include <map>

#include "core/file_io.h"
#include "importers/tf/checkpoint_v1.h"
#include "importers/tf/node_attrs.h"
#include "importers/tf/tensor_bundle.h"

namespace detlite::tf_import {
namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

StatusOr<const tf::SignatureDef*> PickSignature(const tf::MetaGraphDef& meta,
                                                const std::string& file, const std::string& key,
                                                std::string* chosen) {
  const auto& sigs = meta.signature_def();
  if (!key.empty()) {
    auto it = sigs.find(key);
    if (it == sigs.end()) {
      std::string names;
      for (const auto& [k, s] : sigs) names += (names.empty() ? "" : ", ") + k;
      return NotFound(file + ": no signature '" + key + "' (has: " + names + ")");
    }
    *chosen = key;
    return &it->second;
  }
  // Signatures that only read or write variables have no inputs; skip them
  // when choosing by default.
  auto it = sigs.find("serving_default");
  if (it != sigs.end()) {
    *chosen = it->first;
    return &it->second;
  }
  const tf::SignatureDef* only = nullptr;
  for (const auto& [k, s] : sigs) {
    if (s.inputs().empty()) continue;
    if (only) return InvalidArgument(file + ": several signatures; choose one with --signature");
    only = &s;
    *chosen = k;
  }
  return only;
}

}  // namespace

VariableResolver BundleResolver(const std::string& prefix) {
  auto bundle = std::make_shared<StatusOr<TensorBundle>>(TensorBundle::Open(prefix));
  return [bundle](const tf::NodeDef& node) -> StatusOr<ConstTensor> {
    if (!bundle->ok()) return bundle->status();
    const TensorBundle& b = **bundle;
    if (b.Contains(node.name())) return b.Read(node.name());
    const std::string shared = AttrString(node, "shared_name", "");
    if (!shared.empty() && b.Contains(shared)) return b.Read(shared);
    return NotFound(b.index_path() + ": no value for variable node '" + node.name() + "'" +
                    (shared.empty() ? "" : " (shared_name '" + shared + "')"));
  };
}

VariableResolver CheckpointV1Resolver(const std::string& path) {
  auto vars = std::make_shared<StatusOr<std::map<std::string, ConstTensor>>>(ReadCheckpointV1(path));
  return [vars, path](const tf::NodeDef& node) -> StatusOr<ConstTensor> {
    if (!vars->ok()) return vars->status();
    auto it = (*vars)->find(node.name());
    if (it == (*vars)->end()) {
      return NotFound(path + ": no value for variable node '" + node.name() + "'");
    }
    return it->second;
  };
}

VariableResolver VariablesForMetaGraph(const std::string& meta_path) {
  const std::string prefix = meta_path.substr(0, meta_path.size() - 5);
  if (FileExists(prefix + ".index")) return BundleResolver(prefix);
  // V1 checkpoints: "model.ckpt-0" beside "model.ckpt-0.meta", or the
  // single shard "export-00000-of-00001" beside "export.meta".
  if (FileExists(prefix)) return CheckpointV1Resolver(prefix);
  if (FileExists(prefix + "-00000-of-00001")) return CheckpointV1Resolver(prefix + "-00000-of-00001");
  return nullptr;
}

StatusOr<TfGraph> LoadMetaGraph(tf::MetaGraphDef* meta, const std::string& file,
                                VariableResolver variables, const TfLoadOptions& options) {
  TfGraph g;
  g.format = "meta_graph";
  g.file = file;
  std::string key;
  ASSIGN_OR_RETURN(const tf::SignatureDef* sig, PickSignature(*meta, file, options.signature_key, &key));
  if (sig) {
    // By key: protobuf maps have no defined iteration order, and the model's
    // inputs and outputs must not change order between runs or builds.
    const std::map<std::string, tf::TensorInfo> inputs(sig->inputs().begin(), sig->inputs().end());
    const std::map<std::string, tf::TensorInfo> outputs(sig->outputs().begin(), sig->outputs().end());
    g.signature.key = key;
    for (const auto& [k, info] : outputs) g.signature.outputs.emplace_back(k, info.name());
    for (const auto& [k, info] : inputs) {
      g.signature.inputs.emplace_back(k, info.name());
      GraphImportOptions::InputSpec spec;
      spec.tf_dtype = info.dtype();
      if (info.has_tensor_shape()) spec.dims = PartialShapeFromTf(info.tensor_shape(), &spec.known_rank);
      g.signature.input_specs[ParseTensorName(info.name()).first] = spec;
    }
    g.log.push_back("signature '" + key + "'");
  }
  auto graph = std::make_shared<tf::GraphDef>();
  graph->Swap(meta->mutable_graph_def());
  g.variables = variables ? std::move(variables) : InitializerResolver(*graph, file);
  g.graph = std::move(graph);
  return g;
}

StatusOr<TfGraph> LoadSavedModelDir(const std::string& dir, const TfLoadOptions& options) {
  const std::string path = dir + "/saved_model.pb";
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path, kMaxProtoFileBytes));
  tf::SavedModel sm;
  if (!sm.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) || sm.meta_graphs_size() == 0) {
    return DataLoss(path + ": not a valid SavedModel protobuf (or it has no meta graphs)");
  }
  tf::MetaGraphDef* meta = nullptr;
  std::string tags;
  for (tf::MetaGraphDef& m : *sm.mutable_meta_graphs()) {
    for (const auto& t : m.meta_info_def().tags()) {
      tags += (tags.empty() ? "" : ", ") + t;
      if (t == options.tag && !meta) meta = &m;
    }
  }
  if (!meta) return NotFound(path + ": no meta graph tagged '" + options.tag + "' (tags: " + tags + ")");
  if (meta->object_graph_def().nodes_size() > 0) {
    return LoadSavedModelTf2(meta, dir, path, options);
  }
  const std::string prefix = dir + "/variables/variables";
  VariableResolver vars = FileExists(prefix + ".index") ? BundleResolver(prefix) : nullptr;
  ASSIGN_OR_RETURN(TfGraph g, LoadMetaGraph(meta, path, std::move(vars), options));
  g.format = "saved_model";
  return g;
}

}  // namespace detlite::tf_import
