// The op audit's additions (issue 10): Sin, Cos, Sign, Pow, ZerosLike,
// LogicalAnd / Or / Not, Select and SelectV2, each imported from a GraphDef
// built here, run in detlite against the op's math, and written to .tflite
// that the real TFLite runtime runs to the same bytes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "tf_graph_builder.h"
#include "tf_op_runner.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddIntConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::ExpectSameInTflite;
using testing::RunGraph;
using testing::SetType;

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

// Prod over axis 1 and Any of (x > 1) over axis 1, keep_dims false; the
// bool result picks 1 or 0 through SelectV2 so the output is float.
TEST(TfOpsLogic, ProdAndAnyReductions) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {5, 2});
  AddIntConst(g, "axis", {1}, {1});
  AddFloatConst(g, "one", {}, {1});
  AddFloatConst(g, "zero", {}, {0});
  SetType(AddNode(g, "prod", "Prod", {"x", "axis"}));
  SetType(AddNode(g, "gt", "Greater", {"x", "one"}));
  AddNode(g, "any", "Any", {"gt", "axis"});
  SetType(AddNode(g, "flag", "SelectV2", {"any", "one", "zero"}));
  SetType(AddNode(g, "y", "AddV2", {"prod", "flag"}));
  auto r = RunGraph(g, kX, {"y"}, "prod_any.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ops.count("REDUCE_PROD"), 1u);
  EXPECT_EQ(r->ops.count("REDUCE_ANY"), 1u);
  ASSERT_EQ(r->shape, (std::vector<int32_t>{5}));
  for (size_t row = 0; row < 5; ++row) {
    const float a = kX[row * 2], b = kX[row * 2 + 1];
    EXPECT_EQ(r->out[row], a * b + ((a > 1 || b > 1) ? 1.0f : 0.0f)) << row;
  }
  ExpectSameInTflite(*r, "prod_any");
}

TEST(TfOpsLogic, LogSoftmaxOverTheLastDimension) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {2, 5});
  SetType(AddNode(g, "y", "LogSoftmax", {"x"}));
  auto r = RunGraph(g, kX, {}, "log_softmax.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ops.count("LOG_SOFTMAX"), 1u);
  for (size_t row = 0; row < 2; ++row) {
    double sum = 0;
    for (size_t i = 0; i < 5; ++i) sum += std::exp(static_cast<double>(kX[row * 5 + i]));
    for (size_t i = 0; i < 5; ++i) {
      EXPECT_NEAR(r->out[row * 5 + i], kX[row * 5 + i] - std::log(sum), 1e-5) << row << "," << i;
    }
  }
  // TFLite's own kernel may round differently: compare within 1e-5.
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  auto real = testing::RunInRealTflite(r->tflite_path, {r->input_bytes});
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  const std::vector<uint8_t>& bytes = real->outputs[0].bytes;
  ASSERT_EQ(bytes.size(), r->out.size() * 4);
  std::vector<float> theirs(r->out.size());
  std::memcpy(theirs.data(), bytes.data(), bytes.size());
  for (size_t i = 0; i < theirs.size(); ++i) EXPECT_NEAR(theirs[i], r->out[i], 1e-5) << i;
}

// [2, 5] x [5, 2] with adj_y: y = x . w^T for w [2, 5] given transposed.
TEST(TfOpsLogic, BatchMatMulWithAdjointIsBatchMatmul) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 2, 5});
  std::vector<float> w(10);
  for (size_t i = 0; i < 10; ++i) w[i] = 0.25f * static_cast<float>(i) - 1;
  AddFloatConst(g, "w", {1, 2, 5}, w);
  tf::NodeDef* mm = AddNode(g, "y", "BatchMatMulV2", {"x", "w"});
  SetType(mm);
  (*mm->mutable_attr())["adj_y"].set_b(true);
  auto r = RunGraph(g, kX, {}, "batch_matmul.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ops.count("BATCH_MATMUL"), 1u);
  ASSERT_EQ(r->shape, (std::vector<int32_t>{1, 2, 2}));
  for (size_t i = 0; i < 2; ++i) {
    for (size_t j = 0; j < 2; ++j) {
      float want = 0;
      for (size_t k = 0; k < 5; ++k) want += kX[i * 5 + k] * w[j * 5 + k];
      EXPECT_FLOAT_EQ(r->out[i * 2 + j], want) << i << "," << j;
    }
  }
  ExpectSameInTflite(*r, "batch_matmul");
}

}  // namespace
}  // namespace detlite
