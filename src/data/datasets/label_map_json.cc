// kJson label files: Ultralytics' metadata.json ({"names": {"0": "person"}}),
// a plain id -> name object, or a list of names (index = class).
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <string>

#include "data/datasets/label_map.h"

namespace detlite::datasets {
namespace {

constexpr int64_t kMaxId = 1 << 20;

int LineOf(std::string_view text, size_t byte) {
  int line = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

Status Add(LabelMap* map, int64_t id, const nlohmann::json& v, const std::string& name) {
  const std::string where = name + ": names[" + std::to_string(id) + "]";
  if (id < 0 || id > kMaxId) return DataLoss(where + ": id out of range");
  if (!v.is_string()) return DataLoss(where + ": is not a string");
  if (!map->names.emplace(static_cast<int>(id), v.get<std::string>()).second) {
    return DataLoss(where + ": id is used twice");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<LabelMap> ParseJsonLabelMap(std::string_view text, const std::string& name) {
  nlohmann::json doc;
  try {  // the exception stays here: it carries the byte position
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return DataLoss(name + ": line " + std::to_string(LineOf(text, e.byte ? e.byte - 1 : 0)) +
                    ": not valid json");
  } catch (const nlohmann::json::exception&) {
    // out_of_range: a number past what a double holds ("1E999999").
    return DataLoss(name + ": not valid json: a number is out of range");
  }
  const nlohmann::json* names = &doc;
  if (doc.is_object() && doc.contains("names")) {
    names = &doc["names"];
  } else if (doc.is_object()) {  // a plain id -> name map has only strings
    for (const auto& [key, value] : doc.items()) {
      if (!value.is_string()) return DataLoss(name + ": no \"names\" list or map");
    }
  }
  LabelMap map;
  map.format = LabelFormat::kJson;
  if (names->is_array()) {
    for (size_t i = 0; i < names->size(); ++i) {
      RETURN_IF_ERROR(Add(&map, static_cast<int64_t>(i), (*names)[i], name));
    }
  } else if (names->is_object()) {
    for (const auto& [key, value] : names->items()) {
      char* end = nullptr;
      const long long id = std::strtoll(key.c_str(), &end, 10);
      if (key.empty() || *end != '\0') {
        return DataLoss(name + ": names key '" + key.substr(0, 32) + "' is not an integer id");
      }
      RETURN_IF_ERROR(Add(&map, id, value, name));
    }
  } else {
    return DataLoss(name + ": no \"names\" list or map");
  }
  if (map.names.empty()) return DataLoss(name + ": names is empty");
  return map;
}

}  // namespace detlite::datasets
