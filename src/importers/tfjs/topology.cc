// modelTopology -> tf::GraphDef. protobuf's own JSON parser reads the
// GraphDef (TF.js writes protobuf's JSON mapping), after one rewrite: our
// protos keep element types as plain int32 (so unknown codes survive to be
// reported), and TF.js writes them as enum names ("DT_FLOAT"), so the names
// in the few places a type appears are replaced by their codes first.
#include <google/protobuf/util/json_util.h>

#include "detlite/tf/tensor.pb.h"
#include "importers/tfjs/tfjs_parts.h"

namespace detlite::tfjs_import {
namespace {

// Attribute values nest (func attrs); real graphs stay within 2 levels.
constexpr int kMaxAttrDepth = 8;

Status TypeCode(Json& v, const std::string& where) {
  if (v.is_number_integer()) return Status::Ok();
  if (!v.is_string()) return DataLoss(where + ": a type must be a name such as \"DT_FLOAT\"");
  tf::DataType code = tf::DT_INVALID;
  if (!tf::DataType_Parse(v.get<std::string>(), &code)) {
    return DataLoss(where + ": unknown type '" + v.get<std::string>() + "'");
  }
  v = static_cast<int>(code);
  return Status::Ok();
}

Status RewriteTensor(Json& t, const std::string& where) {
  if (!t.is_object()) return Status::Ok();  // protobuf reports the wrong kind
  if (auto d = t.find("dtype"); d != t.end()) RETURN_IF_ERROR(TypeCode(*d, where));
  return Status::Ok();
}

Status RewriteAttrs(Json& attrs, const std::string& where, int depth);

Status RewriteAttrValue(Json& v, const std::string& where, int depth) {
  if (depth > kMaxAttrDepth) return DataLoss(where + ": attributes nest too deeply");
  if (!v.is_object()) return Status::Ok();
  if (auto t = v.find("type"); t != v.end()) RETURN_IF_ERROR(TypeCode(*t, where));
  if (auto t = v.find("tensor"); t != v.end()) RETURN_IF_ERROR(RewriteTensor(*t, where));
  if (auto f = v.find("func"); f != v.end() && f->is_object()) {
    if (auto a = f->find("attr"); a != f->end()) RETURN_IF_ERROR(RewriteAttrs(*a, where, depth + 1));
  }
  auto list = v.find("list");
  if (list == v.end() || !list->is_object()) return Status::Ok();
  if (auto t = list->find("type"); t != list->end() && t->is_array()) {
    for (Json& e : *t) RETURN_IF_ERROR(TypeCode(e, where));
  }
  if (auto t = list->find("tensor"); t != list->end() && t->is_array()) {
    for (Json& e : *t) RETURN_IF_ERROR(RewriteTensor(e, where));
  }
  if (auto t = list->find("func"); t != list->end() && t->is_array()) {
    for (Json& f : *t) {
      if (!f.is_object()) continue;
      if (auto a = f.find("attr"); a != f.end()) RETURN_IF_ERROR(RewriteAttrs(*a, where, depth + 1));
    }
  }
  return Status::Ok();
}

Status RewriteAttrs(Json& attrs, const std::string& where, int depth) {
  if (!attrs.is_object()) return Status::Ok();
  for (auto& [name, value] : attrs.items()) {
    RETURN_IF_ERROR(RewriteAttrValue(value, where + " attribute '" + name + "'", depth));
  }
  return Status::Ok();
}

Status RewriteNodes(Json& nodes, const std::string& where) {
  if (!nodes.is_array()) return Status::Ok();
  for (size_t i = 0; i < nodes.size(); ++i) {
    Json& n = nodes[i];
    if (!n.is_object()) continue;
    std::string at = where + "[" + std::to_string(i) + "]";
    if (auto name = n.find("name"); name != n.end() && name->is_string()) {
      at = where + " '" + name->get<std::string>() + "'";
    }
    if (auto a = n.find("attr"); a != n.end()) RETURN_IF_ERROR(RewriteAttrs(*a, at, 0));
  }
  return Status::Ok();
}

Status RewriteArgs(Json& args, const std::string& where) {
  if (!args.is_array()) return Status::Ok();
  for (Json& a : args) {
    if (!a.is_object()) continue;
    if (auto t = a.find("type"); t != a.end()) RETURN_IF_ERROR(TypeCode(*t, where));
  }
  return Status::Ok();
}

Status RewriteLibrary(Json& lib, const std::string& file) {
  if (!lib.is_object()) return Status::Ok();
  auto fns = lib.find("function");
  if (fns == lib.end() || !fns->is_array()) return Status::Ok();
  for (Json& f : *fns) {
    if (!f.is_object()) continue;
    const std::string at = file + ": library function";
    if (auto nodes = f.find("nodeDef"); nodes != f.end()) RETURN_IF_ERROR(RewriteNodes(*nodes, at + " node"));
    if (auto nodes = f.find("node_def"); nodes != f.end()) RETURN_IF_ERROR(RewriteNodes(*nodes, at + " node"));
    if (auto a = f.find("attr"); a != f.end()) RETURN_IF_ERROR(RewriteAttrs(*a, at, 0));
    auto sig = f.find("signature");
    if (sig == f.end() || !sig->is_object()) continue;
    for (const char* key : {"inputArg", "input_arg", "outputArg", "output_arg"}) {
      if (auto args = sig->find(key); args != sig->end()) RETURN_IF_ERROR(RewriteArgs(*args, at));
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<tf::GraphDef> ParseTopology(const Json& topology, const std::string& file) {
  if (!topology.is_object()) return DataLoss(file + ": 'modelTopology' must be an object");
  Json t = topology;
  auto nodes = t.find("node");
  if (nodes == t.end() || !nodes->is_array() || nodes->empty()) {
    return DataLoss(file + ": modelTopology has no 'node' list");
  }
  RETURN_IF_ERROR(RewriteNodes(*nodes, file + ": node"));
  if (auto lib = t.find("library"); lib != t.end()) RETURN_IF_ERROR(RewriteLibrary(*lib, file));
  const std::string text = t.dump(-1, ' ', false, Json::error_handler_t::replace);
  tf::GraphDef graph;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // e.g. experimentalDebugInfo
  const auto status = google::protobuf::util::JsonStringToMessage(text, &graph, options);
  if (!status.ok()) {
    return DataLoss(file + ": modelTopology is not a valid GraphDef: " + status.ToString());
  }
  return graph;
}

}  // namespace detlite::tfjs_import
