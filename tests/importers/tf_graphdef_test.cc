// The GraphDef importer on the real fixture graphs and on hand-built
// graphs: op mapping, folding, fusion, and every kind of bad input.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "detlite/import.h"
#include "detlite/model.h"
#include "importers/tf/tf_import.h"
#include "ir/graph.h"
#include "support/paths.h"
#include "tf_graph_builder.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddIntConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::DataPath;

std::map<std::string, int> OpCounts(const ir::Model& m) {
  std::map<std::string, int> c;
  for (const ir::Operator& op : m.subgraphs[0].ops) ++c[std::string(ir::OpKindName(op.kind))];
  return c;
}

std::string WriteGraph(const tf::GraphDef& g, const std::string& name) {
  const std::string path = testing::TempDir() + "/" + name;
  std::string bytes;
  EXPECT_TRUE(g.SerializeToString(&bytes));
  EXPECT_TRUE(WriteFileAtomic(path, bytes).ok());
  return path;
}

TEST(TfGraphDef, FrozenFixtureFoldsToConstantsByDefault) {
  ImportReport report;
  auto m = ImportModel(DataPath("tf/graph_fixtures/frozen_graph_def.pb"), {}, &report);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // No placeholders: both outputs (multiplied, expensive) are computed at
  // import time.
  EXPECT_EQ(report.graph_nodes, 12);
  EXPECT_EQ(m->ir().subgraphs[0].outputs.size(), 2u);
  EXPECT_TRUE(m->ir().subgraphs[0].ops.empty());
  const ir::Tensor& mul = m->ir().subgraphs[0].tensors[m->ir().subgraphs[0].outputs[0]];
  ASSERT_TRUE(mul.is_constant());
  const int32_t* v = reinterpret_cast<const int32_t*>(mul.data->data());
  EXPECT_EQ(mul.shape, Shape({1, 3}));
  EXPECT_EQ(v[0], 3);
  EXPECT_EQ(v[1], 4);
  EXPECT_EQ(v[2], 3);
}

TEST(TfGraphDef, FrozenFixtureWithCutInputs) {
  ImportOptions o;
  o.inputs = {"a", "Fill"};
  ImportReport report;
  auto m = ImportModel(DataPath("tf/graph_fixtures/frozen_graph_def.pb"), o, &report);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const ir::Subgraph& sg = m->ir().subgraphs[0];
  ASSERT_EQ(sg.inputs.size(), 2u);
  EXPECT_EQ(sg.tensors[sg.inputs[0]].shape, Shape({1, 3}));
  EXPECT_EQ(sg.tensors[sg.inputs[1]].shape, Shape({1, 40, 40, 10}));
  EXPECT_EQ(OpCounts(m->ir()), (std::map<std::string, int>{{"CONV_2D", 1}, {"MUL", 1}}));
  // The conv filter arrives as OHWI [100,5,5,10].
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kConv2D) {
      EXPECT_EQ(sg.tensors[op.inputs[1]].shape, Shape({100, 5, 5, 10}));
    }
  }
}

TEST(TfGraphDef, UnfrozenGraphUsesInitializers) {
  ImportOptions o;
  o.outputs = {"multiplied", "expensive"};
  auto m = ImportModel(DataPath("tf/graph_fixtures/tf_graph_def.pb"), o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const ir::Subgraph& sg = m->ir().subgraphs[0];
  ASSERT_TRUE(sg.tensors[sg.outputs[0]].is_constant());
  // The initializers' values (not the frozen graph's trained ones).
  EXPECT_EQ(sg.tensors[sg.outputs[0]].shape, Shape({1, 3}));
  EXPECT_EQ(sg.tensors[sg.outputs[1]].shape, Shape({1, 40, 40, 100}));
}

TEST(TfGraphDef, ConvBatchNormReluFusesToOneOp) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {-1, 8, 8, 3});
  std::vector<float> w(3 * 3 * 3 * 4);
  for (size_t i = 0; i < w.size(); ++i) w[i] = 0.01f * static_cast<float>(i % 17) - 0.05f;
  AddFloatConst(g, "w", {3, 3, 3, 4}, w);
  auto* conv = AddNode(g, "conv", "Conv2D", {"x", "w"});
  (*conv->mutable_attr())["padding"].set_s("SAME");
  testing::SetInts(conv, "strides", {1, 2, 2, 1});
  AddFloatConst(g, "gamma", {4}, {1, 2, 0.5, 1});
  AddFloatConst(g, "beta", {4}, {0.1f, -0.2f, 0, 1});
  AddFloatConst(g, "mean", {4}, {0, 0.1f, 0.2f, 0.3f});
  AddFloatConst(g, "var", {4}, {1, 0.5f, 2, 1});
  auto* bn = AddNode(g, "bn", "FusedBatchNormV3", {"conv", "gamma", "beta", "mean", "var"});
  (*bn->mutable_attr())["is_training"].set_b(false);
  (*bn->mutable_attr())["epsilon"].set_f(0.001f);
  AddNode(g, "relu", "Relu6", {"bn"});
  ImportReport report;
  auto m = ImportModel(WriteGraph(g, "bn.pb"), {}, &report);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(OpCounts(m->ir()), (std::map<std::string, int>{{"CONV_2D", 1}}));
  const ir::Operator& op = m->ir().subgraphs[0].ops[0];
  EXPECT_EQ(std::get<ir::Conv2DOptions>(op.options).activation, ir::Activation::kRelu6);
  EXPECT_EQ(std::get<ir::Conv2DOptions>(op.options).stride_h, 2);
  EXPECT_EQ(m->ir().subgraphs[0].tensors[op.outputs[0]].shape, Shape({1, 4, 4, 4}));
}

TEST(TfGraphDef, UnsupportedOpsAreListedTogether) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 4});
  AddNode(g, "a", "Erfinv", {"x"});
  AddNode(g, "b", "Erfinv", {"a"});
  AddNode(g, "c", "Lgamma", {"b"});
  auto m = ImportModel(WriteGraph(g, "unsupported.pb"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(m.status().message().find("Erfinv (a, b)"), std::string::npos) << m.status().message();
  EXPECT_NE(m.status().message().find("Lgamma (c)"), std::string::npos);
  EXPECT_NE(m.status().message().find("unsupported.pb"), std::string::npos);
}

TEST(TfGraphDef, CycleIsAnErrorNamingANode) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 4});
  AddNode(g, "a", "Add", {"x", "b"});
  AddNode(g, "b", "Relu", {"a"});
  AddNode(g, "out", "Relu", {"b"});
  ImportOptions o;
  o.outputs = {"out"};
  auto m = ImportModel(WriteGraph(g, "cycle.pb"), o);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("cycle through node"), std::string::npos)
      << m.status().message();
}

TEST(TfGraphDef, BadInputsGiveClearErrors) {
  {
    tf::GraphDef g;
    AddPlaceholder(g, "x", {1, 4});
    AddNode(g, "y", "Relu", {"missing:0"});
    auto m = ImportModel(WriteGraph(g, "missing.pb"));
    ASSERT_FALSE(m.ok());
    EXPECT_NE(m.status().message().find("reads 'missing'"), std::string::npos);
  }
  {
    tf::GraphDef g;
    AddFloatConst(g, "huge", {100000, 100000, 100}, {});
    AddNode(g, "y", "Relu", {"huge"});
    auto m = ImportModel(WriteGraph(g, "huge.pb"));
    ASSERT_FALSE(m.ok());
    EXPECT_NE(m.status().message().find("'huge'"), std::string::npos) << m.status().message();
  }
  {
    tf::GraphDef g;
    AddPlaceholder(g, "x", {1, -1, 4});
    AddNode(g, "y", "Relu", {"x"});
    auto m = ImportModel(WriteGraph(g, "dynamic.pb"));
    ASSERT_FALSE(m.ok());
    EXPECT_NE(m.status().message().find("give the input shape"), std::string::npos);
    ImportOptions o;
    o.input_shapes[""] = {1, 7, 4};
    auto fixed = ImportModel(WriteGraph(g, "dynamic.pb"), o);
    ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
    EXPECT_EQ(fixed->ir().subgraphs[0].tensors[fixed->ir().subgraphs[0].outputs[0]].shape,
              Shape({1, 7, 4}));
  }
  {
    const std::string path = testing::TempDir() + "/garbage.pb";
    ASSERT_TRUE(WriteFileAtomic(path, std::string("\x0a\xff\xff\xff\xff\x0f garbage")).ok());
    auto m = ImportModel(path);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(m.status().message().find("garbage.pb"), std::string::npos);
  }
}

TEST(TfGraphDef, TruncatedFixtureIsRejected) {
  auto bytes = ReadFileBytes(DataPath("tf/graph_fixtures/frozen_graph_def.pb"));
  ASSERT_TRUE(bytes.ok());
  for (size_t cut : {size_t{1}, size_t{50}, bytes->size() / 2, bytes->size() - 3}) {
    const std::string path = testing::TempDir() + "/cut.pb";
    ASSERT_TRUE(WriteFileAtomic(path, bytes->data(), cut).ok());
    auto m = ImportModel(path);  // must fail cleanly or import a valid prefix
    if (m.ok()) {
      EXPECT_FALSE(m->ir().subgraphs.empty());
    }
  }
}

}  // namespace
}  // namespace detlite
