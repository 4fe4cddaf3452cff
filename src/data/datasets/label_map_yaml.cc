// kYaml label files: the `names:` of a YOLO data.yaml or Ultralytics'
// metadata.yaml, in the three shapes they come in:
//   names:                names:            names: [person, 'bicycle']
//     0: person             - person        names: {0: person, 1: bicycle}
//     1: bicycle            - bicycle
// Only `names:` is read; other keys are skipped. Not a general YAML reader:
// anchors, multi-line scalars and nested maps under `names:` are refused.
#include <cctype>
#include <string>

#include "data/datasets/label_map.h"

namespace detlite::datasets {
namespace {

constexpr int64_t kMaxId = 1 << 20;

size_t Indent(std::string_view row) {
  size_t i = 0;
  while (i < row.size() && row[i] == ' ') ++i;
  return i;
}

Status LineError(const std::string& name, int line, const std::string& what) {
  return DataLoss(name + ": line " + std::to_string(line) + ": " + what);
}

// "0: person" -> id 0, "person". False when `entry` has no integer key.
bool SplitKey(std::string_view entry, int64_t* id, std::string_view* label) {
  const size_t colon = entry.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view key = Unquote(entry.substr(0, colon));
  if (key.empty() || key.size() > 7) return false;
  int64_t v = 0;
  for (char c : key) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *id = v;
  *label = Unquote(entry.substr(colon + 1));
  return true;
}

Status Add(LabelMap* map, int64_t id, std::string_view label, const std::string& name, int line) {
  if (id > kMaxId) return LineError(name, line, "id " + std::to_string(id) + " is too large");
  if (label.empty()) return LineError(name, line, "id " + std::to_string(id) + " has no name");
  if (!map->names.emplace(static_cast<int>(id), std::string(label)).second) {
    return LineError(name, line, "id " + std::to_string(id) + " is used twice");
  }
  return Status::Ok();
}

// `names: [a, b]` or `names: {0: a, 1: b}` on one line.
Status ParseFlow(std::string_view body, const std::string& name, int line, LabelMap* map) {
  const bool is_map = body.front() == '{';
  if (body.back() != (is_map ? '}' : ']')) {
    return LineError(name, line, "names: flow list does not end on this line");
  }
  body = body.substr(1, body.size() - 2);
  int64_t next = 0;
  while (!body.empty()) {
    size_t comma = body.find(',');
    std::string_view entry = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view() : body.substr(comma + 1);
    if (Unquote(entry).empty() && body.empty()) break;  // a trailing comma
    int64_t id = next;
    std::string_view label = Unquote(entry);
    if (is_map && !SplitKey(entry, &id, &label)) {
      return LineError(name, line, "expected 'ID: name' in names: {...}");
    }
    RETURN_IF_ERROR(Add(map, id, label, name, line));
    next = id + 1;
  }
  return Status::Ok();
}

}  // namespace

StatusOr<LabelMap> ParseYamlLabelMap(std::string_view text, const std::string& name) {
  LabelMap map;
  map.format = LabelFormat::kYaml;
  bool in_names = false, found = false;
  int64_t next = 0;
  for (int line = 1; !text.empty(); ++line) {
    std::string_view row = NextLine(&text);
    const size_t hash = row.find(" #");
    if (hash != std::string_view::npos) row = row.substr(0, hash);
    if (Unquote(row).empty() || Unquote(row).front() == '#') continue;
    if (Indent(row) == 0 && row.front() != '-') {
      in_names = false;
      if (row.substr(0, 6) != "names:") continue;
      if (found) return LineError(name, line, "a second names: key");
      found = true;
      std::string_view rest = Unquote(row.substr(6));
      if (rest.empty()) {
        in_names = true;
      } else if (rest.front() == '[' || rest.front() == '{') {
        RETURN_IF_ERROR(ParseFlow(rest, name, line, &map));
      } else {
        return LineError(name, line, "names: must be a list or a map of id: name");
      }
      continue;
    }
    if (!in_names) continue;
    std::string_view entry = Unquote(row);
    int64_t id = next;
    std::string_view label;
    if (entry.front() == '-') {
      label = Unquote(entry.substr(1));
    } else if (!SplitKey(entry, &id, &label)) {
      return LineError(name, line, "expected '- name' or 'ID: name' under names:");
    }
    RETURN_IF_ERROR(Add(&map, id, label, name, line));
    next = id + 1;
  }
  if (!found) return DataLoss(name + ": no names: key (not a YOLO data/metadata yaml)");
  if (map.names.empty()) return DataLoss(name + ": names: is empty");
  return map;
}

}  // namespace detlite::datasets
