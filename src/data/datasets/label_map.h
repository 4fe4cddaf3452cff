// Label maps, two formats:
//  - plain text, one class name a line: line i (0-based) names class i;
//    blank lines stay "" and "???" (an unused id) stays "???", so indices
//    never shift. A final newline does not add a class; "\r\n" is accepted.
//  - the Object Detection API's StringIntLabelMap text proto (.pbtxt):
//    item { id: N name: '...' display_name: '...' } ...; read with
//    protobuf's TextFormat against protos/detlite/odapi/
//    string_int_label_map.proto, fields detlite does not declare skipped.
//    Every item needs an id >= 0 (0 = background) and a name or
//    display_name; ids must be unique.
#ifndef DETLITE_DATA_DATASETS_LABEL_MAP_H_
#define DETLITE_DATA_DATASETS_LABEL_MAP_H_

#include <string>
#include <string_view>

#include "detlite/dataset.h"
#include "detlite/status.h"

namespace detlite::datasets {

// True when `text` looks like a StringIntLabelMap (first token "item").
bool LooksLikePbtxt(std::string_view text);

// `name` stands in for the file name in errors.
StatusOr<LabelMap> ParseTextLabelMap(std::string_view text, const std::string& name);
StatusOr<LabelMap> ParsePbtxtLabelMap(const std::string& text, const std::string& name);

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_LABEL_MAP_H_
