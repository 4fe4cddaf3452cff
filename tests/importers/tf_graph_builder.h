// Builds small TensorFlow GraphDefs in code for importer tests, so each
// broken or unusual graph is spelled out next to the test that uses it.
#ifndef DETLITE_TESTS_IMPORTERS_TF_GRAPH_BUILDER_H_
#define DETLITE_TESTS_IMPORTERS_TF_GRAPH_BUILDER_H_

#include <cstring>
#include <string>
#include <vector>

#include "detlite/tf/graph.pb.h"

namespace detlite::testing {

inline tf::NodeDef* AddNode(tf::GraphDef& g, const std::string& name, const std::string& op,
                            std::vector<std::string> inputs = {}) {
  tf::NodeDef* n = g.add_node();
  n->set_name(name);
  n->set_op(op);
  for (auto& i : inputs) n->add_input(i);
  return n;
}

inline tf::NodeDef* AddPlaceholder(tf::GraphDef& g, const std::string& name,
                                   std::vector<int64_t> dims) {
  tf::NodeDef* n = AddNode(g, name, "Placeholder");
  (*n->mutable_attr())["dtype"].set_type(tf::DT_FLOAT);
  auto* shape = (*n->mutable_attr())["shape"].mutable_shape();
  for (int64_t d : dims) shape->add_dim()->set_size(d);
  return n;
}

inline tf::NodeDef* AddFloatConst(tf::GraphDef& g, const std::string& name,
                                  std::vector<int64_t> dims, const std::vector<float>& v) {
  tf::NodeDef* n = AddNode(g, name, "Const");
  (*n->mutable_attr())["dtype"].set_type(tf::DT_FLOAT);
  tf::TensorProto* t = (*n->mutable_attr())["value"].mutable_tensor();
  t->set_dtype(tf::DT_FLOAT);
  for (int64_t d : dims) t->mutable_tensor_shape()->add_dim()->set_size(d);
  t->set_tensor_content(std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4));
  return n;
}

inline tf::NodeDef* AddIntConst(tf::GraphDef& g, const std::string& name,
                                std::vector<int64_t> dims, const std::vector<int32_t>& v) {
  tf::NodeDef* n = AddNode(g, name, "Const");
  (*n->mutable_attr())["dtype"].set_type(tf::DT_INT32);
  tf::TensorProto* t = (*n->mutable_attr())["value"].mutable_tensor();
  t->set_dtype(tf::DT_INT32);
  for (int64_t d : dims) t->mutable_tensor_shape()->add_dim()->set_size(d);
  for (int32_t x : v) t->add_int_val(x);
  return n;
}

// Sets a node's type attribute (T by default) to float32.
inline void SetType(tf::NodeDef* n, const char* attr = "T") {
  (*n->mutable_attr())[attr].set_type(tf::DT_FLOAT);
}

inline void SetInts(tf::NodeDef* n, const std::string& attr, std::vector<int64_t> v) {
  auto* list = (*n->mutable_attr())[attr].mutable_list();
  for (int64_t x : v) list->add_i(x);
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_IMPORTERS_TF_GRAPH_BUILDER_H_
