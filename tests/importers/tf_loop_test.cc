// A graph whose outputs need a while loop (TF1 control flow or a TF2 While)
// cannot become TFLite builtins: the import fails with one error naming the
// loop and a cut around it, and that cut then converts.
#include <gtest/gtest.h>

#include "tf_graph_builder.h"
#include "tf_op_runner.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::RunGraph;

void SetFloat(tf::NodeDef* n, const char* attr = "T") { (*n->mutable_attr())[attr].set_type(tf::DT_FLOAT); }

// x -> [while: v = v * 2] -> Relu -> y, in TF1 control flow.
tf::GraphDef Tf1Loop() {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {2});
  SetFloat(AddNode(g, "loop/Enter", "Enter", {"x"}));
  SetFloat(AddNode(g, "loop/Merge", "Merge", {"loop/Enter", "loop/NextIteration"}));
  tf::NodeDef* cond = AddNode(g, "loop/cond", "Const");
  (*cond->mutable_attr())["dtype"].set_type(tf::DT_BOOL);
  tf::TensorProto* t = (*cond->mutable_attr())["value"].mutable_tensor();
  t->set_dtype(tf::DT_BOOL);
  t->add_bool_val(false);
  AddNode(g, "loop/LoopCond", "LoopCond", {"loop/cond"});
  SetFloat(AddNode(g, "loop/Switch", "Switch", {"loop/Merge", "loop/LoopCond"}));
  SetFloat(AddNode(g, "loop/Identity", "Identity", {"loop/Switch:1"}));
  AddFloatConst(g, "loop/two", {}, {2.0f});
  SetFloat(AddNode(g, "loop/mul", "Mul", {"loop/Identity", "loop/two"}));
  SetFloat(AddNode(g, "loop/NextIteration", "NextIteration", {"loop/mul"}));
  SetFloat(AddNode(g, "loop/Exit", "Exit", {"loop/Switch"}));
  SetFloat(AddNode(g, "y", "Relu", {"loop/Exit"}));
  return g;
}

TEST(TfLoop, Tf1LoopNamesTheLoopAndTheCut) {
  auto r = RunGraph(Tf1Loop(), {1, -2}, {"y"}, "tf1_loop.pb");
  ASSERT_FALSE(r.ok());
  const std::string msg = r.status().message();
  EXPECT_NE(msg.find("tf1_loop.pb: node 'loop/Exit' (Exit) is part of a while loop"), std::string::npos) << msg;
  EXPECT_NE(msg.find("loops cannot be converted"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--inputs loop/Exit with --input-shape"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--outputs x"), std::string::npos) << msg;
  // The cut it names converts: y = relu(input).
  const std::string path = testing::TempDir() + "/tf1_loop_cut.pb";
  std::string bytes;
  ASSERT_TRUE(Tf1Loop().SerializeToString(&bytes));
  ASSERT_TRUE(WriteFileAtomic(path, bytes).ok());
  ImportOptions o;
  o.inputs = {"loop/Exit"};
  o.outputs = {"y"};
  o.input_shapes[""] = {2};
  auto m = ImportModel(path, o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto runner = Runner::Create(*m);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  const float in[2] = {1.5f, -2.0f};
  std::vector<uint8_t> bytes_in(8);
  std::memcpy(bytes_in.data(), in, 8);
  ASSERT_TRUE(runner->SetInput(0, bytes_in).ok());
  ASSERT_TRUE(runner->Run().ok());
  EXPECT_EQ(runner->Output(0).ToFloat(), (std::vector<float>{1.5f, 0.0f}));
}

TEST(TfLoop, Tf2WhileNamesTheLoop) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {2});
  tf::NodeDef* w = AddNode(g, "while", "StatelessWhile", {"x"});
  (*w->mutable_attr())["T"].mutable_list()->add_type(tf::DT_FLOAT);
  SetFloat(AddNode(g, "y", "Relu", {"while"}));
  auto r = RunGraph(g, {1, -2}, {"y"}, "tf2_loop.pb");
  ASSERT_FALSE(r.ok());
  const std::string msg = r.status().message();
  EXPECT_NE(msg.find("node 'while' (StatelessWhile) is part of a while loop"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--outputs x"), std::string::npos) << msg;
}

}  // namespace
}  // namespace detlite
