// TensorFlow ops mapped to TFLite builtins, each on a GraphDef built here,
// imported and run through detlite, and compared with the op's math
// computed in the test.
#include <gtest/gtest.h>

#include <cmath>

#include "tf_graph_builder.h"
#include "tf_op_runner.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddIntConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::RunGraph;
using testing::SetType;

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

tf::GraphDef UnaryGraph(const std::string& op, int64_t n) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {n});
  SetType(AddNode(g, "y", op, {"x"}));
  return g;
}

TEST(TfOpsMath, CeilFloorRoundLog) {
  const std::vector<float> x = {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 0.2f, -0.7f, 3.0f};
  // Round: half to even, as TensorFlow's Round.
  const std::vector<float> round = {-2, -2, -0.0f, 0, 2, 2, 0, -1, 3};
  for (const std::string op : {"Ceil", "Floor", "Round"}) {
    auto r = RunGraph(UnaryGraph(op, 9), x, {}, op + ".pb");
    ASSERT_TRUE(r.ok()) << op << ": " << r.status().ToString();
    bool skipped = false;
    EXPECT_TRUE(testing::SameInRealTflite(*r, &skipped)) << op;
    for (size_t i = 0; i < x.size(); ++i) {
      const float want = op == "Ceil" ? std::ceil(x[i]) : op == "Floor" ? std::floor(x[i]) : round[i];
      EXPECT_EQ(r->out[i], want) << op << " of " << x[i];
    }
  }
  const std::vector<float> pos = {0.25f, 1, 2.718281828f, 10, 1e-3f, 7, 100, 0.5f, 3};
  auto r = RunGraph(UnaryGraph("Log", 9), pos, {}, "log.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (size_t i = 0; i < pos.size(); ++i) EXPECT_FLOAT_EQ(r->out[i], std::log(pos[i]));
}

// x [2, 3, 2] reduced over axis 1 (Max, Min), or its arg (ArgMax, ArgMin).
TEST(TfOpsMath, MaxMinReductionsAndArgMaxMin) {
  const std::vector<float> x = {1, -4, 7, 2, -3, 9,    // [0]: rows (1,-4) (7,2) (-3,9)
                                0.5f, 6, -1, 6, 8, -2};  // [1]: rows (0.5,6) (-1,6) (8,-2)
  for (const std::string op : {"Max", "Min", "ArgMax", "ArgMin"}) {
    tf::GraphDef g;
    AddPlaceholder(g, "x", {2, 3, 2});
    // ArgMax takes a scalar dimension, Max a list of axes.
    AddIntConst(g, "axis", op.rfind("Arg", 0) == 0 ? std::vector<int64_t>{} : std::vector<int64_t>{1}, {1});
    tf::NodeDef* n = AddNode(g, "y", op, {"x", "axis"});
    SetType(n);
    if (op.rfind("Arg", 0) == 0) (*n->mutable_attr())["output_type"].set_type(tf::DT_INT32);
    auto r = RunGraph(g, x, {}, op + ".pb");
    ASSERT_TRUE(r.ok()) << op << ": " << r.status().ToString();
    ASSERT_EQ(r->shape, (std::vector<int32_t>{2, 2})) << op;
    bool skipped = false;
    EXPECT_TRUE(testing::SameInRealTflite(*r, &skipped)) << op;
    for (int b = 0; b < 2; ++b) {
      for (int c = 0; c < 2; ++c) {
        int best = 0;
        for (int k = 1; k < 3; ++k) {
          const float v = x[static_cast<size_t>(b * 6 + k * 2 + c)], w = x[static_cast<size_t>(b * 6 + best * 2 + c)];
          if (op == "Max" || op == "ArgMax" ? v > w : v < w) best = k;
        }
        const float want = op.rfind("Arg", 0) == 0 ? static_cast<float>(best)
                                                   : x[static_cast<size_t>(b * 6 + best * 2 + c)];
        EXPECT_EQ(r->out[static_cast<size_t>(b * 2 + c)], want) << op << " at " << b << "," << c;
      }
    }
  }
}

TEST(TfOpsMath, SquaredDifferenceAndRsqrt) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {4});
  AddFloatConst(g, "c", {4}, {1, -2, 0.5f, 3});
  SetType(AddNode(g, "d", "SquaredDifference", {"x", "c"}));
  SetType(AddNode(g, "y", "Rsqrt", {"d"}));
  const std::vector<float> x = {2, 1, -0.5f, 7};
  const float c[4] = {1, -2, 0.5f, 3};
  auto r = RunGraph(g, x);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_FLOAT_EQ(r->out[i], 1.0f / std::sqrt((x[i] - c[i]) * (x[i] - c[i])));
  }
}

// Shape arithmetic on a known input shape folds away at import: only the
// Reshape it sizes remains. [1, 8, 3] -> ceil([1, 8, 3] / 2) * [1, 1, 3] = [1, 4, 6].
TEST(TfOpsMath, ShapeArithmeticWithCeilFolds) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 8, 3});
  tf::NodeDef* shape = AddNode(g, "shape", "Shape", {"x"});
  SetType(shape);
  (*shape->mutable_attr())["out_type"].set_type(tf::DT_INT32);
  tf::NodeDef* f = AddNode(g, "to_float", "Cast", {"shape"});
  (*f->mutable_attr())["SrcT"].set_type(tf::DT_INT32);
  (*f->mutable_attr())["DstT"].set_type(tf::DT_FLOAT);
  AddFloatConst(g, "two", {}, {2});
  SetType(AddNode(g, "half", "RealDiv", {"to_float", "two"}));
  SetType(AddNode(g, "ceil", "Ceil", {"half"}));
  tf::NodeDef* i = AddNode(g, "to_int", "Cast", {"ceil"});
  (*i->mutable_attr())["SrcT"].set_type(tf::DT_FLOAT);
  (*i->mutable_attr())["DstT"].set_type(tf::DT_INT32);
  AddIntConst(g, "scale", {3}, {1, 1, 3});
  (*AddNode(g, "new_shape", "Mul", {"to_int", "scale"})->mutable_attr())["T"].set_type(tf::DT_INT32);
  SetType(AddNode(g, "y", "Reshape", {"x", "new_shape"}));
  std::vector<float> x(24);
  for (size_t k = 0; k < x.size(); ++k) x[k] = static_cast<float>(k) - 5.0f;
  auto r = RunGraph(g, x, {"y"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shape, (std::vector<int32_t>{1, 4, 6}));
  EXPECT_EQ(r->ops, (std::map<std::string, int>{{"RESHAPE", 1}}));
  EXPECT_EQ(r->out, x);
}

}  // namespace
}  // namespace detlite
