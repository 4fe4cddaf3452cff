#include "importers/tf/tf_import.h"

#include <sys/stat.h>

#include "core/file_io.h"
#include "detlite/tf/saved_model.pb.h"
#include "importers/tf/node_attrs.h"
#include "importers/tf/saved_model.h"

namespace detlite::tf_import {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Cut inputs given a shape hint stop the import where they are, typed as
// their node declares (unless the signature already declares them).
void StopAtHintedCutInputs(const tf::GraphDef& graph, GraphImportOptions* o) {
  for (const std::string& in : o->inputs) {
    const std::string name = ParseTensorName(in).first;
    if (o->input_specs.count(name) ||
        !FindShapeHint(o->input_shapes, name, o->inputs.size() == 1)) {
      continue;
    }
    for (const tf::NodeDef& n : graph.node()) {
      if (n.name() != name) continue;
      for (const char* attr : {"T", "dtype", "element_dtype", "DstT", "out_type"}) {
        const tf::AttrValue* a = FindAttr(n, attr);
        if (!a || a->value_case() != tf::AttrValue::kType) continue;
        GraphImportOptions::InputSpec spec;  // rank unknown: the hint gives the shape
        spec.tf_dtype = a->type();
        o->input_specs[name] = spec;
        break;
      }
      break;
    }
  }
}

}  // namespace

StatusOr<TfGraph> LoadTensorFlow(const std::string& path, const TfLoadOptions& options) {
  if (IsDirectory(path)) return LoadSavedModelDir(path, options);
  if (EndsWith(path, "saved_model.pb")) return LoadSavedModelDir(DirName(path), options);
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path, kMaxProtoFileBytes));
  if (EndsWith(path, ".meta")) {
    tf::MetaGraphDef meta;
    if (!meta.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      return DataLoss(path + ": not a valid MetaGraphDef protobuf");
    }
    return LoadMetaGraph(&meta, path, VariablesForMetaGraph(path), options);
  }
  auto graph = std::make_shared<tf::GraphDef>();
  if (!graph->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      graph->node_size() == 0) {
    return DataLoss(path + ": not a valid GraphDef protobuf (or it has no nodes)");
  }
  TfGraph g;
  g.format = "graphdef";
  g.file = path;
  g.variables = InitializerResolver(*graph, path);
  g.graph = std::move(graph);
  return g;
}

StatusOr<TfImportResult> ImportLoaded(const TfGraph& g, const GraphImportOptions& options) {
  GraphImportOptions o = options;
  const TfGraph::Signature& sig = g.signature;
  if (o.outputs.empty()) {
    for (const auto& [key, tensor] : sig.outputs) o.outputs.push_back(tensor);
  }
  // Feed the signature's inputs where they are, as TensorFlow does.
  if (o.inputs.empty()) {
    for (const auto& [key, tensor] : sig.inputs) o.inputs.push_back(tensor);
    o.input_specs.insert(sig.input_specs.begin(), sig.input_specs.end());
  }
  StopAtHintedCutInputs(*g.graph, &o);
  TfImportResult r;
  r.format = g.format;
  r.stats.log = g.log;
  ASSIGN_OR_RETURN(r.model, ImportGraphDef(*g.graph, g.file, o, g.variables, &r.stats));
  if (sig.key.empty() || !options.inputs.empty() || !options.outputs.empty()) return r;
  ir::SignatureDef s;
  s.key = sig.key;
  const ir::Subgraph& sg = r.model.subgraphs[0];
  for (const auto& [key, tensor] : sig.inputs) {
    const std::string node = ParseTensorName(tensor).first;
    for (int32_t idx : sg.inputs) {
      if (sg.tensors[static_cast<size_t>(idx)].name == node) s.inputs.push_back({key, idx});
    }
  }
  for (size_t i = 0; i < sig.outputs.size() && i < sg.outputs.size(); ++i) {
    s.outputs.push_back({sig.outputs[i].first, sg.outputs[i]});
  }
  r.model.signatures.push_back(std::move(s));
  return r;
}

VariableResolver NoVariables(const std::string& file, const std::string& why) {
  return [file, why](const tf::NodeDef& n) -> StatusOr<ConstTensor> {
    return Unimplemented(file + ": node '" + n.name() + "' (" + n.op() + ") is a variable; " + why);
  };
}

}  // namespace detlite::tf_import
