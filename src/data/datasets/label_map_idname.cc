// kIdName label files (`0  person`, `1: bicycle`: Coral's coco_labels.txt)
// and the dispatch that recognises every LabelFormat from the content.
#include <cctype>
#include <string>

#include "data/datasets/label_map.h"

namespace detlite::datasets {
namespace {

constexpr int64_t kMaxId = 1 << 20;

std::string LowerExtension(const std::string& name) {
  const size_t slash = name.find_last_of('/');
  const size_t dot = name.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = name.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "ID NAME" / "ID: NAME" / "ID,NAME": false when `row` is not of that form.
bool SplitIdName(std::string_view row, int64_t* id, std::string_view* label) {
  size_t i = 0;
  while (i < row.size() && (row[i] == ' ' || row[i] == '\t')) ++i;
  const size_t digits = i;
  int64_t v = 0;
  while (i < row.size() && std::isdigit(static_cast<unsigned char>(row[i]))) {
    v = v * 10 + (row[i] - '0');
    if (v > kMaxId) return false;
    ++i;
  }
  if (i == digits || i == row.size()) return false;
  const size_t sep = i;
  while (i < row.size() && (row[i] == ' ' || row[i] == '\t' || row[i] == ':' || row[i] == ',')) {
    ++i;
  }
  if (i == sep) return false;  // "12abc" is a name, not an id
  *label = Unquote(row.substr(i));
  if (label->empty()) return false;
  *id = v;
  return true;
}

}  // namespace

std::string_view NextLine(std::string_view* text) {
  const size_t end = text->find('\n');
  std::string_view row = text->substr(0, end);
  *text = end == std::string_view::npos ? std::string_view() : text->substr(end + 1);
  if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
  return row;
}

std::string_view Unquote(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

bool LooksLikeIdName(std::string_view text) {
  int rows = 0;
  while (!text.empty()) {
    std::string_view row = NextLine(&text);
    if (IsBlank(row)) continue;
    int64_t id = 0;
    std::string_view label;
    if (!SplitIdName(row, &id, &label)) return false;
    ++rows;
  }
  return rows > 0;
}

StatusOr<LabelMap> ParseIdNameLabelMap(std::string_view text, const std::string& name) {
  LabelMap map;
  map.format = LabelFormat::kIdName;
  for (int line = 1; !text.empty(); ++line) {
    std::string_view row = NextLine(&text);
    if (IsBlank(row)) continue;
    int64_t id = 0;
    std::string_view label;
    if (!SplitIdName(row, &id, &label)) {
      return DataLoss(name + ": line " + std::to_string(line) +
                      ": expected 'ID NAME' like the lines before it");
    }
    if (!map.names.emplace(static_cast<int>(id), std::string(label)).second) {
      return DataLoss(name + ": line " + std::to_string(line) + ": id " + std::to_string(id) +
                      " is used twice");
    }
  }
  if (map.names.empty()) return DataLoss(name + ": empty label map");
  return map;
}

namespace {

StatusOr<LabelMap> ParseAnyLabelMap(std::string_view text, const std::string& name) {
  if (text.empty()) return DataLoss(name + ": empty label map");
  const std::string ext = LowerExtension(name);
  size_t first = 0;
  while (first < text.size() && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
  const char lead = first < text.size() ? text[first] : '\0';
  if (ext == ".pbtxt" || LooksLikePbtxt(text)) return ParsePbtxtLabelMap(std::string(text), name);
  if (ext == ".json" || lead == '{' || lead == '[') return ParseJsonLabelMap(text, name);
  const bool names_key = text.substr(0, 6) == "names:" || text.find("\nnames:") != text.npos;
  if (ext == ".yaml" || ext == ".yml" || names_key) return ParseYamlLabelMap(text, name);
  if (LooksLikeIdName(text)) return ParseIdNameLabelMap(text, name);
  return ParseTextLabelMap(text, name);
}

}  // namespace

StatusOr<LabelMap> ParseLabelMap(std::string_view text, const std::string& name) {
  ASSIGN_OR_RETURN(LabelMap map, ParseAnyLabelMap(text, name));
  for (const auto& [id, label] : map.names) {
    if (label.size() > kMaxLabelNameBytes) {
      // One name a line: class id i is line i + 1.
      const std::string where = map.format == LabelFormat::kLines
                                    ? "line " + std::to_string(id + 1)
                                    : "the name of class id " + std::to_string(id);
      return DataLoss(name + ": " + where + " is " +
                      std::to_string(label.size()) + " bytes, over the limit of " +
                      std::to_string(kMaxLabelNameBytes) + " (is this a label file?)");
    }
  }
  return map;
}

}  // namespace detlite::datasets
