// The op audit's additions (issue 10): Sin, Cos, Sign, Pow, ZerosLike,
// LogicalAnd / Or / Not, Select and SelectV2, each imported from a GraphDef
// built here, run in detlite against the op's math, and written to .tflite
// that the real TFLite runtime runs to the same bytes.
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

void SetType(tf::NodeDef* n, const char* attr = "T") { (*n->mutable_attr())[attr].set_type(tf::DT_FLOAT); }

void ExpectSameInTflite(const testing::OpRun& r, const std::string& what) {
  bool skipped = false;
  EXPECT_TRUE(testing::SameInRealTflite(r, &skipped)) << what;
}

const std::vector<float> kX = {-2.5f, -1, -0.0f, 0.0f, 0.3f, 1, 1.5f, 2, 5, -7.25f};

TEST(TfOpsLogic, SinCosSign) {
  for (const std::string op : {"Sin", "Cos", "Sign"}) {
    tf::GraphDef g;
    AddPlaceholder(g, "x", {10});
    SetType(AddNode(g, "y", op, {"x"}));
    auto r = RunGraph(g, kX, {}, op + ".pb");
    ASSERT_TRUE(r.ok()) << op << ": " << r.status().ToString();
    EXPECT_EQ(r->ops.size(), 1u) << op;
    for (size_t i = 0; i < kX.size(); ++i) {
      const float x = kX[i];
      const float want = op == "Sin" ? std::sin(x) : op == "Cos" ? std::cos(x)
                                                   : static_cast<float>((x > 0) - (x < 0));
      EXPECT_FLOAT_EQ(r->out[i], want) << op << " of " << x;
    }
    ExpectSameInTflite(*r, op);
  }
}

TEST(TfOpsLogic, PowBroadcastsAndZerosLikeIsZero) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {2, 5});
  AddFloatConst(g, "e", {5}, {2, 0.5f, 3, -1, 0});
  SetType(AddNode(g, "a", "Abs", {"x"}));
  SetType(AddNode(g, "p", "Pow", {"a", "e"}));
  SetType(AddNode(g, "z", "ZerosLike", {"x"}));
  SetType(AddNode(g, "y", "AddV2", {"p", "z"}));
  auto r = RunGraph(g, kX, {"y"}, "pow.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ops.count("POW"), 1u);
  EXPECT_EQ(r->ops.count("ZEROS_LIKE"), 1u);
  const float e[5] = {2, 0.5f, 3, -1, 0};
  for (size_t i = 0; i < kX.size(); ++i) {
    EXPECT_FLOAT_EQ(r->out[i], std::pow(std::fabs(kX[i]), e[i % 5])) << i;
  }
  ExpectSameInTflite(*r, "pow");
}

// y = SelectV2(!(x > 0 && x < 2) || x == 5, x, -1): the logical ops build
// the condition, SelectV2 broadcasts the scalar.
TEST(TfOpsLogic, LogicalOpsAndSelectV2) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {10});
  AddFloatConst(g, "zero", {}, {0});
  AddFloatConst(g, "two", {}, {2});
  AddFloatConst(g, "five", {}, {5});
  AddFloatConst(g, "minus1", {}, {-1});
  SetType(AddNode(g, "gt", "Greater", {"x", "zero"}));
  SetType(AddNode(g, "lt", "Less", {"x", "two"}));
  SetType(AddNode(g, "eq", "Equal", {"x", "five"}));
  AddNode(g, "and", "LogicalAnd", {"gt", "lt"});
  AddNode(g, "not", "LogicalNot", {"and"});
  AddNode(g, "or", "LogicalOr", {"not", "eq"});
  SetType(AddNode(g, "y", "SelectV2", {"or", "x", "minus1"}));
  auto r = RunGraph(g, kX, {"y"}, "select_v2.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const char* op : {"LOGICAL_AND", "LOGICAL_NOT", "LOGICAL_OR", "SELECT_V2"}) {
    EXPECT_EQ(r->ops.count(op), 1u) << op;
  }
  for (size_t i = 0; i < kX.size(); ++i) {
    const float x = kX[i];
    const bool c = !(x > 0 && x < 2) || x == 5;
    EXPECT_EQ(r->out[i], c ? x : -1.0f) << x;
  }
  ExpectSameInTflite(*r, "select_v2");
}

// Select v1 with a vector cond picks whole rows: row r of x where its
// largest value is above 1, else row r of -x.
TEST(TfOpsLogic, SelectWithAVectorConditionPicksRows) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {5, 2});
  AddIntConst(g, "axis", {}, {1});
  AddFloatConst(g, "one", {}, {1});
  tf::NodeDef* mx = AddNode(g, "mx", "Max", {"x", "axis"});
  SetType(mx);
  SetType(AddNode(g, "c", "Greater", {"mx", "one"}));
  SetType(AddNode(g, "neg", "Neg", {"x"}));
  SetType(AddNode(g, "y", "Select", {"c", "x", "neg"}));
  auto r = RunGraph(g, kX, {"y"}, "select.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ops.count("SELECT"), 1u);
  ASSERT_EQ(r->shape, (std::vector<int32_t>{5, 2}));
  for (size_t row = 0; row < 5; ++row) {
    const bool c = std::max(kX[row * 2], kX[row * 2 + 1]) > 1;
    for (size_t j = 0; j < 2; ++j) {
      EXPECT_EQ(r->out[row * 2 + j], c ? kX[row * 2 + j] : -kX[row * 2 + j]) << row;
    }
  }
  ExpectSameInTflite(*r, "select");
}

TEST(TfOpsLogic, SelectOfMismatchedShapesIsAnError) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {5, 2});
  AddFloatConst(g, "zero", {}, {0});
  AddFloatConst(g, "other", {2, 5}, std::vector<float>(10, 1));
  SetType(AddNode(g, "c", "Greater", {"x", "zero"}));
  SetType(AddNode(g, "y", "Select", {"c", "x", "other"}));
  auto r = RunGraph(g, kX, {"y"}, "select_bad.pb");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("differ in shape"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace detlite
