// modelTopology -> tf::GraphDef. protobuf's own JSON parser reads the
// GraphDef (TF.js writes protobuf's JSON mapping), after one walk over the
// JSON guided by the GraphDef's descriptors that evens out what the
// converter's versions wrote differently:
//   - element types: our protos keep them as plain int32 (so unknown codes
//     survive to be reported); the converter writes enum names
//     ("DT_FLOAT"), older ones the codes themselves (1);
//   - bytes fields (attr s, list.s, tensor.tensorContent, stringVal): base64
//     strings, or in the older format (tensorflowjs_model.pb turned into
//     JSON by protobuf.js) arrays of byte values, which become base64;
//   - inside attribute values, a field the GraphDef does not have, or a
//     list where one value belongs (or the reverse), is an error naming the
//     node, the attribute and the field, not protobuf's field path.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include "core/base64.h"
#include "detlite/tf/tensor.pb.h"
#include "importers/tfjs/tfjs_parts.h"

namespace detlite::tfjs_import {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// Attribute values nest (func attrs); real graphs stay within 3 levels.
constexpr int kMaxDepth = 12;

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

// A bytes value: base64 text as it is, or an array of byte values.
Status Bytes(Json& v, const std::string& where) {
  if (v.is_string() || v.is_null()) return Status::Ok();
  if (!v.is_array()) return DataLoss(where + ": bytes must be base64 text or a list of byte values");
  std::vector<uint8_t> bytes;
  bytes.reserve(v.size());
  for (const Json& b : v) {
    if (!b.is_number_integer() || b.get<int64_t>() < 0 || b.get<int64_t>() > 255) {
      return DataLoss(where + ": " + b.dump() + " is not a byte value (0..255)");
    }
    bytes.push_back(static_cast<uint8_t>(b.get<int64_t>()));
  }
  v = Base64Encode(bytes);
  return Status::Ok();
}

const FieldDescriptor* FieldOf(const Descriptor* d, const std::string& key) {
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->name() == key || f->json_name() == key) return f;
  }
  return nullptr;
}

bool IsTypeField(const FieldDescriptor* f) {
  return f->type() == FieldDescriptor::TYPE_INT32 && (f->name() == "type" || f->name() == "dtype");
}

std::string Join(const std::string& where, const std::string& part) {
  return where.empty() ? part : where + " " + part;
}

class Normalizer {
 public:
  // `where` names the enclosing node or map entry, `path` the fields below
  // it. `strict`: unknown fields are errors (inside attribute values, where
  // an unread field would change what an op computes); elsewhere they are
  // left for protobuf to skip (e.g. a node's experimentalDebugInfo).
  Status Message(Json& obj, const Descriptor* d, const std::string& where, const std::string& path,
                 bool strict, int depth) {
    if (obj.is_null()) return Status::Ok();
    const std::string at = path.empty() ? where : Join(where, "field '" + path + "'");
    if (!obj.is_object()) return DataLoss(at + ": must be an object (" + d->name() + ")");
    if (depth > kMaxDepth) return DataLoss(at + ": nests too deeply");
    strict |= d == tf::AttrValue::descriptor();
    for (auto& [key, value] : obj.items()) {
      const FieldDescriptor* f = FieldOf(d, key);
      if (f == nullptr) {
        if (strict) return DataLoss(at + ": unknown field '" + key + "' in " + d->name());
        continue;
      }
      RETURN_IF_ERROR(Field(value, f, where, path.empty() ? key : path + "." + key, strict, depth));
    }
    return Status::Ok();
  }

 private:
  Status Field(Json& v, const FieldDescriptor* f, const std::string& where, const std::string& path,
               bool strict, int depth) {
    const std::string at = Join(where, "field '" + path + "'");
    if (v.is_null()) return Status::Ok();
    if (f->is_map()) {
      if (!v.is_object()) return DataLoss(at + ": must be an object (a map)");
      const FieldDescriptor* value_field = f->message_type()->map_value();
      if (value_field->type() != FieldDescriptor::TYPE_MESSAGE) return Status::Ok();
      const std::string kind = f->name() == "attr" ? "attribute" : path;
      for (auto& [k, e] : v.items()) {
        RETURN_IF_ERROR(Message(e, value_field->message_type(), Join(where, kind + " '" + k + "'"), "",
                                strict, depth + 1));
      }
      return Status::Ok();
    }
    if (f->is_repeated()) {
      if (!v.is_array()) return DataLoss(at + ": must be a list");
      for (size_t i = 0; i < v.size(); ++i) {
        Json& e = v[i];
        if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
          // Elements with a name (nodes) are named by it, others by index.
          std::string label = path + "[" + std::to_string(i) + "]";
          if (auto n = e.is_object() ? e.find("name") : e.end(); e.is_object() && n != e.end() && n->is_string()) {
            label = path + " '" + n->get<std::string>() + "'";
          }
          RETURN_IF_ERROR(Message(e, f->message_type(), Join(where, label), "", strict, depth + 1));
        } else {
          RETURN_IF_ERROR(Scalar(e, f, at));
        }
      }
      return Status::Ok();
    }
    if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (v.is_array()) return DataLoss(at + ": holds one value, not a list");
      return Message(v, f->message_type(), where, path, strict, depth + 1);
    }
    // A singular bytes field is an array in the older format; any other
    // singular field given a list is what protobuf reports as "not repeating".
    if (v.is_array() && f->type() != FieldDescriptor::TYPE_BYTES) {
      return DataLoss(at + ": holds one value, not a list");
    }
    return Scalar(v, f, at);
  }

  static Status Scalar(Json& v, const FieldDescriptor* f, const std::string& at) {
    if (f->type() == FieldDescriptor::TYPE_BYTES) return Bytes(v, at);
    if (IsTypeField(f)) return TypeCode(v, at);
    return Status::Ok();  // numbers, strings, bools: protobuf checks them
  }
};

}  // namespace

StatusOr<tf::GraphDef> ParseTopology(const Json& topology, const std::string& file) {
  if (!topology.is_object()) return DataLoss(file + ": 'modelTopology' must be an object");
  Json t = topology;
  auto nodes = t.find("node");
  if (nodes == t.end() || !nodes->is_array() || nodes->empty()) {
    return DataLoss(file + ": modelTopology has no 'node' list");
  }
  const std::string invalid = file + ": modelTopology is not a valid GraphDef: ";
  Normalizer n;
  const Status s = n.Message(t, tf::GraphDef::descriptor(), "", "", false, 0);
  if (!s.ok()) return Status(s.code(), invalid + s.message());
  const std::string text = t.dump(-1, ' ', false, Json::error_handler_t::replace);
  tf::GraphDef graph;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // e.g. experimentalDebugInfo
  const auto status = google::protobuf::util::JsonStringToMessage(text, &graph, options);
  if (!status.ok()) return DataLoss(invalid + status.ToString());
  return graph;
}

}  // namespace detlite::tfjs_import
