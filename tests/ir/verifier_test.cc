#include "ir/verifier.h"

#include <gtest/gtest.h>

#include "ir/builder.h"
#include "ir/printer.h"

namespace detlite::ir {
namespace {

Model AddModel() {
  Model m;
  Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  int32_t c = b.ConstantF32("c", {4}, {1, 2, 3, 4});
  int32_t y = b.Op(OpKind::kAdd, {x, c}, "y", DType::kFloat32, {1, 4}, ArithmeticOptions{});
  b.Output(y);
  return m;
}

TEST(VerifierTest, AcceptsWellFormedModel) {
  Model m = AddModel();
  EXPECT_TRUE(Verify(m).ok()) << Verify(m).ToString();
  EXPECT_TRUE(VerifyModel(m).warnings.empty());
}

TEST(VerifierTest, RejectsOutOfOrderOps) {
  Model m = AddModel();
  Builder b2(&m);  // unused second subgraph is fine
  Subgraph& sg = m.subgraphs[0];
  // z = y + c inserted before the op that writes y.
  int32_t z = sg.AddTensor(Tensor{.name = "z", .shape = Shape{1, 4}});
  Operator op;
  op.kind = OpKind::kAdd;
  op.inputs = {2, 1};
  op.outputs = {z};
  sg.ops.insert(sg.ops.begin(), op);
  Status s = Verify(m);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("before any op writes it"), std::string::npos) << s.message();
}

TEST(VerifierTest, RejectsBadConstantSizeAndIndices) {
  Model m = AddModel();
  m.subgraphs[0].tensors[1].data = std::make_shared<const Bytes>(Bytes(15));
  m.subgraphs[0].outputs.push_back(99);
  VerifyReport r = VerifyModel(m);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].find("holds 15 bytes"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[1].find("missing tensor 99"), std::string::npos) << r.errors[1];
}

TEST(VerifierTest, RejectsDoubleProducerAndPerAxisMismatch) {
  Model m = AddModel();
  Subgraph& sg = m.subgraphs[0];
  sg.ops.push_back(sg.ops[0]);
  sg.tensors[1].quant.scale = {0.1f, 0.2f, 0.3f};
  sg.tensors[1].quant.zero_point = {0, 0, 0};
  VerifyReport r = VerifyModel(m);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].find("3 scales for dimension 0 of size 4"), std::string::npos);
  EXPECT_NE(r.errors[1].find("already written by op 0"), std::string::npos);
}

TEST(PrinterTest, PrintsTensorsAndOps) {
  const std::string text = ModelToString(AddModel());
  EXPECT_NE(text.find("%1 float32[4] 'c' const(16 B)"), std::string::npos) << text;
  EXPECT_NE(text.find("op 0 ADD(%0, %1) -> (%2) {act=NONE}"), std::string::npos) << text;
}

}  // namespace
}  // namespace detlite::ir
