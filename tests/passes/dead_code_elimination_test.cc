#include "passes/dead_code_elimination.h"

#include <gtest/gtest.h>

#include "ir/builder.h"
#include "ir/verifier.h"

namespace detlite::passes {
namespace {

using ir::OpKind;

// x -> relu -> a -> (output)
//   \-> logistic -> b (dead)
//   c (unused constant)
ir::Model Model() {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  b.ConstantF32("c", {1}, {1.0f});
  int32_t a = b.Op(OpKind::kRelu, {x}, "a", DType::kFloat32, {1, 4});
  b.Op(OpKind::kLogistic, {x}, "b", DType::kFloat32, {1, 4});
  b.Output(a);
  return m;
}

TEST(DeadCodeEliminationTest, RemovesOpsAndTensorsNotFeedingOutputs) {
  ir::Model m = Model();
  PassContext ctx;
  bool changed = false;
  ASSERT_TRUE(DeadCodeElimination().Run(m, ctx, &changed).ok());
  EXPECT_TRUE(changed);
  const ir::Subgraph& sg = m.subgraphs[0];
  ASSERT_EQ(sg.ops.size(), 1u);
  EXPECT_EQ(sg.ops[0].kind, OpKind::kRelu);
  ASSERT_EQ(sg.tensors.size(), 2u);
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[0])].name, "a");
  EXPECT_TRUE(ir::Verify(m).ok());
  changed = true;
  ASSERT_TRUE(DeadCodeElimination().Run(m, ctx, &changed).ok());
  EXPECT_FALSE(changed);
}

TEST(DeadCodeEliminationTest, CutToOutputsExposesAnIntermediate) {
  ir::Model m = Model();
  ASSERT_TRUE(CutToOutputs(m, {3}).ok());  // "b"
  const ir::Subgraph& sg = m.subgraphs[0];
  ASSERT_EQ(sg.ops.size(), 1u);
  EXPECT_EQ(sg.ops[0].kind, OpKind::kLogistic);
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[0])].name, "b");
  EXPECT_FALSE(CutToOutputs(m, {42}).ok());
}

}  // namespace
}  // namespace detlite::passes
