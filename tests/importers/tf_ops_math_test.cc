// TensorFlow ops mapped to TFLite builtins, each on a GraphDef built here,
// imported and run through detlite, and compared with the op's math
// computed in the test.
#include <gtest/gtest.h>

#include "tf_graph_builder.h"
#include "tf_op_runner.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::RunGraph;

void SetType(tf::NodeDef* n, const char* attr = "T") { (*n->mutable_attr())[attr].set_type(tf::DT_FLOAT); }

TEST(TfOpsMath, AddNIsAChainOfAdd) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {2, 3});
  AddFloatConst(g, "a", {2, 3}, {1, 2, 3, 4, 5, 6});
  AddFloatConst(g, "b", {2, 3}, {0.5f, -1, 0.25f, 8, -3, 1e-3f});
  tf::NodeDef* n = AddNode(g, "sum", "AddN", {"x", "a", "b", "x"});
  (*n->mutable_attr())["N"].set_i(4);
  SetType(n);
  const std::vector<float> x = {-1, 0, 1, 2, 3.5f, -7};
  auto r = RunGraph(g, x);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shape, (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(r->ops, (std::map<std::string, int>{{"ADD", 3}}));
  const float a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {0.5f, -1, 0.25f, 8, -3, 1e-3f};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(r->out[i], ((x[i] + a[i]) + b[i]) + x[i]) << i;
}

TEST(TfOpsMath, AddNOfDifferentShapesIsAnError) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {2, 3});
  AddFloatConst(g, "a", {3}, {1, 2, 3});
  SetType(AddNode(g, "sum", "AddN", {"x", "a"}));
  auto r = RunGraph(g, std::vector<float>(6, 0.0f));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("sum"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("differ in shape"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace detlite
