#ifndef DETLITE_TOOLS_DETLITE_JSON_UTIL_H_
#define DETLITE_TOOLS_DETLITE_JSON_UTIL_H_

#include <nlohmann/json.hpp>
#include <string>

#include "detlite/model.h"

namespace detlite::cli {

nlohmann::json TensorInfoJson(const TensorInfo& t);
// "float32[1,300,300,3] q(0.0078125, 128)"
std::string TensorInfoText(const TensorInfo& t);
std::string ShapeText(const std::vector<int32_t>& shape);
std::string HumanBytes(int64_t bytes);
// j.dump(indent) that never throws: bytes that are not UTF-8 (tensor names,
// file names, labels all come from untrusted files) become U+FFFD.
std::string DumpJson(const nlohmann::json& j, int indent);

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_JSON_UTIL_H_
