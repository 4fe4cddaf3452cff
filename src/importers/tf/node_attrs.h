// Typed reads of a NodeDef's attributes with defaults, so op mappers stay
// short. A missing attribute yields the default; one of the wrong kind is
// treated as missing (the mapper's own checks then report the node).
#ifndef DETLITE_IMPORTERS_TF_NODE_ATTRS_H_
#define DETLITE_IMPORTERS_TF_NODE_ATTRS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/tf/graph.pb.h"

namespace detlite::tf_import {

inline const tf::AttrValue* FindAttr(const tf::NodeDef& n, const std::string& name) {
  auto it = n.attr().find(name);
  return it == n.attr().end() ? nullptr : &it->second;
}
inline int64_t AttrInt(const tf::NodeDef& n, const std::string& name, int64_t def) {
  const tf::AttrValue* a = FindAttr(n, name);
  return a && a->value_case() == tf::AttrValue::kI ? a->i() : def;
}
inline float AttrFloat(const tf::NodeDef& n, const std::string& name, float def) {
  const tf::AttrValue* a = FindAttr(n, name);
  return a && a->value_case() == tf::AttrValue::kF ? a->f() : def;
}
inline bool AttrBool(const tf::NodeDef& n, const std::string& name, bool def) {
  const tf::AttrValue* a = FindAttr(n, name);
  return a && a->value_case() == tf::AttrValue::kB ? a->b() : def;
}
inline std::string AttrString(const tf::NodeDef& n, const std::string& name,
                              const std::string& def) {
  const tf::AttrValue* a = FindAttr(n, name);
  return a && a->value_case() == tf::AttrValue::kS ? a->s() : def;
}
inline int32_t AttrType(const tf::NodeDef& n, const std::string& name, int32_t def) {
  const tf::AttrValue* a = FindAttr(n, name);
  return a && a->value_case() == tf::AttrValue::kType ? a->type() : def;
}
inline std::vector<int64_t> AttrInts(const tf::NodeDef& n, const std::string& name) {
  const tf::AttrValue* a = FindAttr(n, name);
  if (!a || a->value_case() != tf::AttrValue::kList) return {};
  return {a->list().i().begin(), a->list().i().end()};
}

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_NODE_ATTRS_H_
