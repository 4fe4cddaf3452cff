// Data-movement ops between float ops stay float (quant/float_islands.h):
// the box re-encoding's CONCATENATION on BlazeFace full range was int8
// between float GATHER/LOG and the float post-processing.
#include <gtest/gtest.h>

#include "ir/builder.h"
#include "ir/verifier.h"
#include "quant/op_selection.h"
#include "quant/spec_check.h"
#include "quant_test_util.h"

namespace detlite::quant {
namespace {

using ir::OpKind;
using testing::QuantizeRandom;

int Count(const ir::Model& m, OpKind k) {
  int n = 0;
  for (const auto& op : m.subgraphs[0].ops) n += op.kind == k ? 1 : 0;
  return n;
}

// x -> DIV 2 -> a, x -> DIV 4 -> b (DIV has no int8 rule: float);
// CONCAT(a, b) -> RESHAPE -> [ADD x2 ->] output.
ir::Model Model(bool int8_reader) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  int32_t two = b.ConstantF32("two", {1}, {2.0f});
  int32_t four = b.ConstantF32("four", {1}, {4.0f});
  int32_t a = b.Op(OpKind::kDiv, {x, two}, "a", DType::kFloat32, {1, 4}, ir::ArithmeticOptions{});
  int32_t c = b.Op(OpKind::kDiv, {x, four}, "c", DType::kFloat32, {1, 4}, ir::ArithmeticOptions{});
  ir::ConcatenationOptions co;
  co.axis = 1;
  int32_t cat = b.Op(OpKind::kConcatenation, {a, c}, "cat", DType::kFloat32, {1, 8}, co);
  int32_t shape = b.ConstantI32("shape", {1}, {8});
  int32_t r =
      b.Op(OpKind::kReshape, {cat, shape}, "r", DType::kFloat32, {8}, ir::ReshapeOptions{{8}});
  if (int8_reader) {
    r = b.Op(OpKind::kAdd, {r, r}, "sum", DType::kFloat32, {8}, ir::ArithmeticOptions{});
  }
  b.Output(r);
  return m;
}

TEST(FloatIslandsTest, ConcatAndReshapeBetweenFloatOpsStayFloat) {
  ir::Model m = Model(false);
  QuantizeReport report;
  ASSERT_TRUE(QuantizeRandom(m, 4, &report).ok());
  int islands = 0;
  for (const KeptFloat& k : report.kept_float) {
    islands += k.reason == KeptFloat::Reason::kFloatIsland ? 1 : 0;
  }
  EXPECT_EQ(islands, 2);  // the CONCATENATION and the RESHAPE after it
  EXPECT_EQ(Count(m, OpKind::kQuantize), 0);
  EXPECT_EQ(Count(m, OpKind::kDequantize), 0);
  EXPECT_TRUE(ir::Verify(m).ok());
  // Nothing was rounded: the outputs are the float model's, exactly.
  const auto inputs = testing::RandomInputs(Model(false), 2);
  auto f = testing::RunFloatOutput(Model(false), inputs);
  auto q = testing::RunFloatOutput(m, inputs);
  ASSERT_TRUE(f.ok() && q.ok());
  EXPECT_EQ(*q, *f);
}

TEST(FloatIslandsTest, AnInt8ReaderKeepsThemInt8) {
  ir::Model m = Model(true);
  QuantizeReport report;
  ASSERT_TRUE(QuantizeRandom(m, 4, &report).ok());
  for (const KeptFloat& k : report.kept_float) {
    EXPECT_NE(k.reason, KeptFloat::Reason::kFloatIsland) << Describe(k);
  }
  EXPECT_EQ(Count(m, OpKind::kQuantize), 2);  // after each DIV
  EXPECT_TRUE(CheckQuantizationSpec(m.subgraphs[0]).empty());
}

TEST(FloatIslandsTest, StrictIntegerKeepsThemInt8) {
  const ir::Model m = Model(false);
  SelectionOptions sel;
  sel.strict_integer = true;
  const Selection s = SelectOps(m.subgraphs[0], {}, sel);
  ASSERT_EQ(s.quantized.size(), 4u);
  EXPECT_TRUE(s.quantized[2] && s.quantized[3]);  // CONCATENATION, RESHAPE
  sel.strict_integer = false;
  const Selection loose = SelectOps(m.subgraphs[0], {}, sel);
  EXPECT_FALSE(loose.quantized[2] || loose.quantized[3]);
}

}  // namespace
}  // namespace detlite::quant
