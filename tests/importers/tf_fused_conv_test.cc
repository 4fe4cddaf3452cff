// Grappler's fused convolutions (_FusedConv2D, FusedDepthwiseConv2dNative)
// import to what the same graph written with separate ops imports to: same
// numbers, and the TF pipeline folds both into one convolution.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "importers/tf/graph_importer.h"
#include "passes/tf_pipeline.h"
#include "runtime/interpreter.h"
#include "tf_graph_builder.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::SetInts;

std::vector<float> Random(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1, 1);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

std::vector<float> Positive(size_t n, uint32_t seed) {
  std::vector<float> v = Random(n, seed);
  for (float& x : v) x = 0.5f + x * x;
  return v;
}

void ConvAttrs(tf::NodeDef* n) {
  (*n->mutable_attr())["T"].set_type(tf::DT_FLOAT);
  (*n->mutable_attr())["padding"].set_s("SAME");
  SetInts(n, "strides", {1, 2, 2, 1});
}

// x [1,6,6,3] -> conv (3x3, 4 channels; depthwise: multiplier 2) -> steps.
// fused: one node with fused_ops = `ops`; else the separate TF ops.
tf::GraphDef Graph(bool depthwise, const std::vector<std::string>& ops, bool fused) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 6, 6, 3});
  AddFloatConst(g, "w", {3, 3, 3, depthwise ? 2 : 4}, Random(depthwise ? 54 : 108, 1));
  const int c = depthwise ? 6 : 4;
  AddFloatConst(g, "bias", {c}, Random(static_cast<size_t>(c), 2));
  AddFloatConst(g, "scale", {c}, Random(static_cast<size_t>(c), 3));
  AddFloatConst(g, "offset", {c}, Random(static_cast<size_t>(c), 4));
  AddFloatConst(g, "mean", {c}, Random(static_cast<size_t>(c), 5));
  AddFloatConst(g, "var", {c}, Positive(static_cast<size_t>(c), 6));
  const std::string base = depthwise ? "DepthwiseConv2dNative" : "Conv2D";
  if (fused) {
    tf::NodeDef* n = AddNode(g, "y", depthwise ? "FusedDepthwiseConv2dNative" : "_FusedConv2D", {"x", "w"});
    ConvAttrs(n);
    int args = 0;
    for (const std::string& op : ops) {
      (*n->mutable_attr())["fused_ops"].mutable_list()->add_s(op);
      if (op == "BiasAdd") n->add_input("bias"), ++args;
      if (op == "FusedBatchNorm") {
        for (const char* a : {"scale", "offset", "mean", "var"}) n->add_input(a), ++args;
      }
    }
    (*n->mutable_attr())["num_args"].set_i(args);
    (*n->mutable_attr())["epsilon"].set_f(0.001f);
    (*n->mutable_attr())["leakyrelu_alpha"].set_f(0.1f);
    return g;
  }
  ConvAttrs(AddNode(g, "conv", base, {"x", "w"}));
  std::string prev = "conv";
  for (size_t i = 0; i < ops.size(); ++i) {
    const std::string name = i + 1 == ops.size() ? "y" : "step" + std::to_string(i);
    tf::NodeDef* n;
    if (ops[i] == "BiasAdd") {
      n = AddNode(g, name, "BiasAdd", {prev, "bias"});
    } else if (ops[i] == "FusedBatchNorm") {
      n = AddNode(g, name, "FusedBatchNormV3", {prev, "scale", "offset", "mean", "var"});
      (*n->mutable_attr())["is_training"].set_b(false);
      (*n->mutable_attr())["epsilon"].set_f(0.001f);
    } else {
      n = AddNode(g, name, ops[i], {prev});
      if (ops[i] == "LeakyRelu") (*n->mutable_attr())["alpha"].set_f(0.1f);
    }
    prev = name;
  }
  return g;
}

struct Imported {
  std::vector<float> y;
  size_t num_ops = 0;
};

Imported ImportAndRun(const tf::GraphDef& g) {
  tf_import::GraphImportOptions o;
  o.outputs = {"y"};
  tf_import::GraphImportStats stats;
  auto m = tf_import::ImportGraphDef(g, "fused.pb", o, tf_import::InitializerResolver(g, "fused.pb"), &stats);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  if (!m.ok()) return {};
  passes::PassContext ctx;
  EXPECT_TRUE(passes::RunTfImportPipeline(*m, ctx).ok());
  auto interp = runtime::Interpreter::Create(*m);
  EXPECT_TRUE(interp.ok()) << interp.status().ToString();
  if (!interp.ok()) return {};
  const std::vector<float> x = Random(108, 9);
  EXPECT_TRUE((*interp)->SetInput(0, x.data(), x.size() * 4).ok());
  EXPECT_TRUE((*interp)->Invoke().ok());
  const runtime::TensorRef& out = (*interp)->output(0);
  Imported r;
  r.y.resize(static_cast<size_t>(out.NumElements()));
  std::memcpy(r.y.data(), out.data, r.y.size() * 4);
  r.num_ops = m->subgraphs[0].ops.size();
  return r;
}

TEST(TfFusedConv, MatchesTheUnfusedGraphAndFoldsToOneOp) {
  const std::vector<std::vector<std::string>> cases = {
      {"BiasAdd"}, {"BiasAdd", "Relu"}, {"BiasAdd", "Relu6"}, {"BiasAdd", "LeakyRelu"},
      {"FusedBatchNorm"}, {"FusedBatchNorm", "Relu"}};
  for (bool depthwise : {false, true}) {
    for (const auto& ops : cases) {
      std::string label = depthwise ? "depthwise" : "conv";
      for (const std::string& op : ops) label += "+" + op;
      SCOPED_TRACE(label);
      const Imported fused = ImportAndRun(Graph(depthwise, ops, true));
      const Imported plain = ImportAndRun(Graph(depthwise, ops, false));
      ASSERT_EQ(fused.y.size(), plain.y.size());
      ASSERT_FALSE(fused.y.empty());
      for (size_t i = 0; i < fused.y.size(); ++i) EXPECT_FLOAT_EQ(fused.y[i], plain.y[i]) << i;
      EXPECT_EQ(fused.num_ops, plain.num_ops);
      if (ops.back() != "LeakyRelu") {
        EXPECT_EQ(fused.num_ops, 1u);
      }
    }
  }
}

TEST(TfFusedConv, WrongArgumentCountsAreErrorsNamingTheNode) {
  tf::GraphDef g = Graph(false, {"BiasAdd"}, true);
  (*g.mutable_node(g.node_size() - 1)->mutable_attr())["num_args"].set_i(2);
  tf_import::GraphImportOptions o;
  o.outputs = {"y"};
  tf_import::GraphImportStats stats;
  auto m = tf_import::ImportGraphDef(g, "fused.pb", o, tf_import::InitializerResolver(g, "fused.pb"), &stats);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("node 'y' (_FusedConv2D)"), std::string::npos) << m.status().message();

  g = Graph(false, {"BiasAdd", "Softplus"}, true);
  m = tf_import::ImportGraphDef(g, "fused.pb", o, tf_import::InitializerResolver(g, "fused.pb"), &stats);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("fused op 'Softplus' is not supported"), std::string::npos)
      << m.status().message();
}

}  // namespace
}  // namespace detlite
