#include "data/datasets/label_map.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cctype>
#include <string>

#include "detlite/odapi/string_int_label_map.pb.h"

namespace detlite::datasets {
namespace {

// A real label map has at most tens of thousands of classes (Open Images:
// ~20k); more lines mean the file is not a label map.
constexpr size_t kMaxClasses = 1 << 20;

// Keeps the first error with its position instead of protobuf's default of
// logging to stderr.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!message_.empty()) return;
    message_ = "line " + std::to_string(line + 1) + " column " +
               std::to_string(column + 1) + ": " + message;
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

}  // namespace

bool LooksLikePbtxt(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (c == '#') {  // a text-proto comment runs to the end of the line
      while (i < text.size() && text[i] != '\n') ++i;
    } else {
      break;
    }
  }
  text.remove_prefix(i);
  if (text.substr(0, 4) != "item") return false;
  text.remove_prefix(4);
  while (!text.empty() && (text[0] == ' ' || text[0] == '\t' || text[0] == '\r' ||
                           text[0] == '\n' || text[0] == ':')) {
    text.remove_prefix(1);
  }
  return !text.empty() && (text[0] == '{' || text[0] == '<');
}

StatusOr<LabelMap> ParseTextLabelMap(std::string_view text, const std::string& name) {
  if (text.empty()) return DataLoss(name + ": empty label map");
  LabelMap map;
  int line = 0;
  while (!text.empty()) {
    std::string_view row = NextLine(&text);
    if (row.find('\0') != std::string_view::npos) {
      return DataLoss(name + ": line " + std::to_string(line + 1) +
                      ": holds a NUL byte (not a text label map)");
    }
    if (static_cast<size_t>(line) >= kMaxClasses) {
      return DataLoss(name + ": more than " + std::to_string(kMaxClasses) + " lines");
    }
    map.names[line++] = std::string(row);
  }
  return map;
}

StatusOr<LabelMap> ParsePbtxtLabelMap(const std::string& text, const std::string& name) {
  odapi::StringIntLabelMap proto;
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  parser.AllowUnknownField(true);
  if (!parser.ParseFromString(text, &proto)) {
    return DataLoss(name + ": not a valid label map: " +
                    (errors.message().empty() ? "parse error" : errors.message()));
  }
  if (proto.item_size() == 0) return DataLoss(name + ": label map has no items");
  LabelMap map;
  map.from_pbtxt = true;
  map.format = LabelFormat::kPbtxt;
  for (int i = 0; i < proto.item_size(); ++i) {
    const odapi::StringIntLabelMapItem& item = proto.item(i);
    const std::string where = name + ": item " + std::to_string(i) + ": ";
    if (!item.has_id()) return DataLoss(where + "has no id");
    if (item.id() < 0) return DataLoss(where + "id " + std::to_string(item.id()) + " is negative");
    const std::string& label = item.has_display_name() ? item.display_name() : item.name();
    if (!item.has_display_name() && !item.has_name()) {
      return DataLoss(where + "has neither name nor display_name");
    }
    if (!map.names.emplace(item.id(), label).second) {
      return DataLoss(where + "id " + std::to_string(item.id()) + " is used twice");
    }
  }
  return map;
}

}  // namespace detlite::datasets
