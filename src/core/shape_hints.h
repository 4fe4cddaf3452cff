// Static shapes a user gives for a graph's inputs (`--input-shape`), by
// input node name; the key "" stands for the model's only input. This is
// the one representation every importer and planner reads them in, and
// FindShapeHint the one lookup.
#ifndef DETLITE_CORE_SHAPE_HINTS_H_
#define DETLITE_CORE_SHAPE_HINTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace detlite {

using ShapeHints = std::map<std::string, std::vector<int32_t>>;

// The shape given for input `node`; the unnamed one ("") when `only_input`
// (the model has one input). nullptr when none applies.
inline const std::vector<int32_t>* FindShapeHint(const ShapeHints& hints, const std::string& node,
                                                 bool only_input) {
  auto it = hints.find(node);
  if (it == hints.end() && only_input) it = hints.find("");
  return it == hints.end() ? nullptr : &it->second;
}

}  // namespace detlite

#endif  // DETLITE_CORE_SHAPE_HINTS_H_
