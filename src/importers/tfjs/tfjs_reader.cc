#include "importers/tfjs/tfjs_reader.h"

#include <sys/stat.h>

#include <map>
#include <set>

#include "core/file_io.h"
#include "importers/tfjs/tfjs_parts.h"

namespace detlite::tfjs_import {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// A shard path must stay inside the model's directory.
bool SafeRelativePath(const std::string& p) {
  if (p.empty() || p[0] == '/' || p.find('\\') != std::string::npos ||
      p.find('\0') != std::string::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    if (p.compare(start, end - start, "..") == 0 && end - start == 2) return false;
    start = end + 1;
  }
  return true;
}

std::string ShardList(const WeightGroup& g) {
  std::string s;
  for (size_t i = 0; i < g.paths.size() && i < 3; ++i) s += (i ? ", " : "") + g.paths[i];
  if (g.paths.size() > 3) s += ", ...";
  return s;
}

StatusOr<std::string> ReadGroupBytes(const WeightGroup& g, const std::string& where,
                                     const ShardReader& read_shard, uint64_t* total) {
  std::string bytes;
  for (const std::string& p : g.paths) {
    if (!SafeRelativePath(p)) {
      return DataLoss(where + ": shard path '" + p + "' leaves the model's directory");
    }
    auto shard = read_shard(p);
    if (!shard.ok()) {
      return Status(shard.status().code(),
                    where + ": weight shard '" + p + "': " + shard.status().message());
    }
    *total += shard->size();
    if (*total > kMaxWeightBytes) {
      return DataLoss(where + ": weight shards exceed " + std::to_string(kMaxWeightBytes) + " bytes");
    }
    bytes += *shard;
  }
  return bytes;
}

// Signature entries sorted by key (as the TFLite converter orders them);
// each names a graph tensor ("node" or "node:0").
StatusOr<std::vector<std::string>> SignatureNames(const Json& sig, const char* key,
                                                  const std::string& file) {
  std::vector<std::string> names;
  auto it = sig.find(key);
  if (it == sig.end()) return names;
  if (!it->is_object()) return DataLoss(file + ": signature '" + key + "' must be an object");
  for (const auto& [k, v] : it->items()) {
    std::string name = k;
    if (v.is_object()) {
      if (auto n = v.find("name"); n != v.end() && n->is_string()) name = n->get<std::string>();
    }
    names.push_back(name);
  }
  return names;
}

std::string StringField(const Json& root, const char* key) {
  auto it = root.find(key);
  return it != root.end() && it->is_string() ? it->get<std::string>() : "";
}

// TensorFlow DataType codes: DT_FLOAT 1, DT_DOUBLE 2, DT_INT32 3, DT_INT64 9.
bool Narrowed(int32_t graph_type, int32_t weight_type) {
  return (graph_type == 9 && weight_type == 3) || (graph_type == 2 && weight_type == 1);
}

// Older converters left some small constants (strings, shapes) in the
// graph itself instead of the weights.
bool HasInlineValue(const tf::NodeDef& n) {
  auto v = n.attr().find("value");
  if (v == n.attr().end() || v->second.value_case() != tf::AttrValue::kTensor) return false;
  const tf::TensorProto& t = v->second.tensor();
  return !t.tensor_content().empty() || t.float_val_size() || t.int_val_size() ||
         t.string_val_size() || t.int64_val_size() || t.bool_val_size() || t.double_val_size() ||
         t.half_val_size() || t.uint32_val_size() || t.uint64_val_size();
}

// Gives every Const node its weight (or keeps the value it holds); every weight must feed a Const.
Status FillConstants(std::map<std::string, tf::TensorProto>& weights, tf::GraphDef* graph,
                     const std::string& file) {
  std::set<std::string> used;
  for (tf::NodeDef& n : *graph->mutable_node()) {
    if (n.op() != "Const") continue;
    if (used.count(n.name())) return DataLoss(file + ": node '" + n.name() + "' is defined twice");
    auto w = weights.find(n.name());
    if (w == weights.end() && HasInlineValue(n)) {
      used.insert(n.name());
      continue;
    }
    if (w == weights.end()) {
      return DataLoss(file + ": node '" + n.name() + "' (Const) has no weight in weightsManifest");
    }
    auto dt = n.attr().find("dtype");
    if (dt != n.attr().end() && dt->second.value_case() == tf::AttrValue::kType &&
        dt->second.type() != w->second.dtype()) {
      // The TF.js converter narrows int64 and double constants to int32 and
      // float32 (TF.js has neither); the graph then computes in those.
      if (!Narrowed(dt->second.type(), w->second.dtype())) {
        return DataLoss(file + ": node '" + n.name() + "' (Const) has dtype " +
                        std::to_string(dt->second.type()) + " but its weight has dtype " +
                        std::to_string(w->second.dtype()));
      }
      (*n.mutable_attr())["dtype"].set_type(w->second.dtype());
    }
    *(*n.mutable_attr())["value"].mutable_tensor() = std::move(w->second);
    used.insert(n.name());
  }
  for (const auto& [name, t] : weights) {
    if (!used.count(name)) {
      return DataLoss(file + ": weight '" + name + "' in weightsManifest is not a Const node of the graph");
    }
  }
  return Status::Ok();
}

// Reads every group's shards and gives each Const its weight.
Status LoadWeights(const Json& manifest, const std::string& file, const ShardReader& read_shard,
                   TfjsModel* model) {
  ASSIGN_OR_RETURN(std::vector<WeightGroup> groups, ParseManifest(manifest, file));
  std::map<std::string, tf::TensorProto> weights;
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::string where = file + ": weightsManifest[" + std::to_string(g) + "] (" +
                              ShardList(groups[g]) + ")";
    ASSIGN_OR_RETURN(std::string bytes, ReadGroupBytes(groups[g], where, read_shard, &model->weight_bytes));
    RETURN_IF_ERROR(DecodeGroup(groups[g], bytes, where, &weights));
    model->num_weights += static_cast<int>(groups[g].weights.size());
  }
  return FillConstants(weights, &model->graph, file);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool IsFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

StatusOr<TfjsModel> ParseLegacyTfjsModel(std::string_view graph_pb, std::string_view manifest_json,
                                         const std::string& file, const ShardReader& read_shard) {
  if (manifest_json.size() > kMaxModelJsonBytes) return DataLoss(file + ": too large");
  const Json manifest = Json::parse(manifest_json.begin(), manifest_json.end(), nullptr, false);
  if (manifest.is_discarded()) return DataLoss(file + ": not valid JSON");
  TfjsModel model;
  if (graph_pb.size() > kMaxModelJsonBytes ||
      !model.graph.ParseFromArray(graph_pb.data(), static_cast<int>(graph_pb.size()))) {
    return DataLoss(file + ": " + std::string(kLegacyGraphName) + " beside it is not a valid GraphDef");
  }
  if (model.graph.node_size() == 0) {
    return DataLoss(file + ": " + std::string(kLegacyGraphName) + " beside it has no nodes");
  }
  RETURN_IF_ERROR(LoadWeights(manifest, file, read_shard, &model));
  model.converted_by = "tfjs-converter 0.x (" + std::string(kLegacyGraphName) + ")";
  return model;
}

StatusOr<TfjsModel> ParseTfjsModel(std::string_view json_text, const std::string& file,
                                   const ShardReader& read_shard) {
  if (json_text.size() > kMaxModelJsonBytes) return DataLoss(file + ": model.json is too large");
  const Json root = Json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return DataLoss(file + ": not valid JSON");
  if (!root.is_object()) return DataLoss(file + ": top level is not an object");
  if (auto f = root.find("format"); f != root.end()) {
    if (!f->is_string() || f->get<std::string>() != "graph-model") {
      return Unimplemented(file + ": format " + f->dump() +
                           " is not supported (only TF.js graph models, \"graph-model\")");
    }
  }
  auto topo = root.find("modelTopology");
  if (topo == root.end()) return DataLoss(file + ": missing 'modelTopology'");
  auto manifest = root.find("weightsManifest");
  if (manifest == root.end()) return DataLoss(file + ": missing 'weightsManifest'");

  TfjsModel model;
  ASSIGN_OR_RETURN(model.graph, ParseTopology(*topo, file));
  RETURN_IF_ERROR(LoadWeights(*manifest, file, read_shard, &model));

  if (auto sig = root.find("signature"); sig != root.end() && !sig->is_null()) {
    if (!sig->is_object()) return DataLoss(file + ": 'signature' must be an object");
    ASSIGN_OR_RETURN(model.signature_inputs, SignatureNames(*sig, "inputs", file));
    ASSIGN_OR_RETURN(model.signature_outputs, SignatureNames(*sig, "outputs", file));
  }
  model.generated_by = StringField(root, "generatedBy");
  model.converted_by = StringField(root, "convertedBy");
  return model;
}

std::string TfjsModelJsonPath(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    const std::string json = path + "/model.json";
    if (::stat(json.c_str(), &st) == 0) return json;
    const std::string manifest = path + "/" + kLegacyManifestName;
    return IsFile(manifest) && IsFile(path + "/" + kLegacyGraphName) ? manifest : "";
  }
  if (BaseName(path) == kLegacyGraphName) {
    const std::string manifest = DirName(path) + "/" + kLegacyManifestName;
    return IsFile(manifest) ? manifest : "";
  }
  return EndsWith(path, ".json") ? path : "";
}

StatusOr<TfjsModel> ReadTfjsModel(const std::string& path) {
  const std::string file = TfjsModelJsonPath(path);
  if (file.empty()) return InvalidArgument(path + ": not a TF.js model.json or a directory holding one");
  ASSIGN_OR_RETURN(std::string text, ReadFileText(file, kMaxModelJsonBytes));
  const std::string dir = DirName(file);
  const ShardReader reader = [&dir](const std::string& p) -> StatusOr<std::string> {
    return ReadFileText(dir + "/" + p, kMaxWeightBytes);
  };
  if (BaseName(file) == kLegacyManifestName && IsFile(dir + "/" + kLegacyGraphName)) {
    ASSIGN_OR_RETURN(std::string pb, ReadFileText(dir + "/" + kLegacyGraphName, kMaxModelJsonBytes));
    return ParseLegacyTfjsModel(pb, text, file, reader);
  }
  return ParseTfjsModel(text, file, reader);
}

}  // namespace detlite::tfjs_import
