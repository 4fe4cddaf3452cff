// Label maps in every LabelFormat (detlite/dataset.h). ParseLabelMap
// recognises the format from the content, the file name's extension only
// breaking ties:
//  - `item {` first            -> kPbtxt, read with protobuf's TextFormat
//    against protos/detlite/odapi/string_int_label_map.proto (unknown fields
//    skipped; every item needs an id >= 0 and a name; ids unique);
//  - `{` or `[` first, or .json -> kJson (label_map_json.cc);
//  - a line `names:`, or .yaml  -> kYaml (label_map_yaml.cc);
//  - every non-blank line `ID NAME` / `ID: NAME` -> kIdName;
//  - anything else              -> kLines: line i (0-based) names class i;
//    blank lines stay "" and "???" stays, so indices never shift. A final
//    newline does not add a class; "\r\n" is accepted.
#ifndef DETLITE_DATA_DATASETS_LABEL_MAP_H_
#define DETLITE_DATA_DATASETS_LABEL_MAP_H_

#include <string>
#include <string_view>

#include "detlite/dataset.h"
#include "detlite/status.h"

namespace detlite::datasets {

// True when `text` looks like a StringIntLabelMap (first token "item").
bool LooksLikePbtxt(std::string_view text);

// A class name longer than this refuses the whole label map (names are drawn
// onto photos and printed; real ones are a few words).
inline constexpr size_t kMaxLabelNameBytes = 256;

// `name` stands in for the file name in errors (and gives the extension).
StatusOr<LabelMap> ParseLabelMap(std::string_view text, const std::string& name);

StatusOr<LabelMap> ParseTextLabelMap(std::string_view text, const std::string& name);
StatusOr<LabelMap> ParsePbtxtLabelMap(const std::string& text, const std::string& name);
// Every non-blank line `ID NAME` or `ID: NAME`; false when some line is not.
bool LooksLikeIdName(std::string_view text);
StatusOr<LabelMap> ParseIdNameLabelMap(std::string_view text, const std::string& name);
StatusOr<LabelMap> ParseYamlLabelMap(std::string_view text, const std::string& name);
StatusOr<LabelMap> ParseJsonLabelMap(std::string_view text, const std::string& name);

// Splits off the next line ("\r\n" or "\n"); shared by the text readers.
std::string_view NextLine(std::string_view* text);
// A name with surrounding blanks and one pair of matching quotes removed.
std::string_view Unquote(std::string_view s);

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_LABEL_MAP_H_
