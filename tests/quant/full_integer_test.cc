// The full-integer rewrite on small graphs: QUANTIZE/DEQUANTIZE placement,
// shared scales through RESHAPE and CONCATENATION, --keep-float, the
// concatenation trap, int8/uint8 inputs, and refusal of bad models.
#include <gtest/gtest.h>

#include "ir/builder.h"
#include "ir/verifier.h"
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

// x -> MUL by 100 -> big ; x -> ADD 0 -> small ; CONCAT(big, small) is the
// output (as in the detectors' heads). big spans +-100, small +-1: small
// would keep ~1 bit at a shared scale.
ir::Model TrapModel() {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  int32_t k = b.ConstantF32("k", {1}, {100.0f});
  int32_t zero = b.ConstantF32("zero", {1}, {0.0f});
  int32_t big = b.Op(OpKind::kMul, {x, k}, "big", DType::kFloat32, {1, 4}, ir::ArithmeticOptions{});
  int32_t small = b.Op(OpKind::kAdd, {x, zero}, "small", DType::kFloat32, {1, 4}, ir::ArithmeticOptions{});
  ir::ConcatenationOptions co;
  co.axis = 1;
  b.Output(b.Op(OpKind::kConcatenation, {big, small}, "cat", DType::kFloat32, {1, 8}, co));
  return m;
}

TEST(FullIntegerTest, ConcatenationTrapLeavesTheConcatInFloat) {
  ir::Model m = TrapModel();
  QuantizeReport report;
  ASSERT_TRUE(QuantizeRandom(m, 4, &report).ok());
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("concatenation trap"), std::string::npos) << report.warnings[0];
  EXPECT_EQ(report.ops_left_float, 1);
  EXPECT_TRUE(ir::Verify(m).ok());
  // The small input reaches the float concatenation at its own scale.
  const auto inputs = testing::RandomInputs(TrapModel(), 1);  // a calibration sample
  auto f = testing::RunFloatOutput(TrapModel(), inputs);
  auto q = testing::RunFloatOutput(m, inputs);
  ASSERT_TRUE(f.ok() && q.ok());
  for (size_t i = 4; i < 8; ++i) EXPECT_NEAR((*q)[i], (*f)[i], 3.0f / 255) << i;
}

TEST(FullIntegerTest, WithoutTheTrapConcatAndReshapeShareOneScale) {
  QuantizeReport report;
  FullIntegerConfig config;
  ir::Model eq;
  ir::Builder b(&eq);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  int32_t y = b.Input("y", DType::kFloat32, {1, 4});
  ir::ConcatenationOptions co;
  co.axis = 1;
  int32_t c = b.Op(OpKind::kConcatenation, {x, y}, "cat", DType::kFloat32, {1, 8}, co);
  int32_t shape = b.ConstantI32("shape", {1}, {8});
  b.Output(b.Op(OpKind::kReshape, {c, shape}, "out", DType::kFloat32, {8}, ir::ReshapeOptions{{8}}));
  ASSERT_TRUE(QuantizeRandom(eq, 4, &report, config).ok());
  EXPECT_TRUE(report.warnings.empty());
  EXPECT_EQ(Count(eq, OpKind::kQuantize), 2);
  EXPECT_EQ(Count(eq, OpKind::kDequantize), 1);
  const auto& sg = eq.subgraphs[0];
  std::vector<float> scales;
  for (const auto& t : sg.tensors) if (t.dtype == DType::kInt8) scales.push_back(t.quant.scale[0]);
  ASSERT_EQ(scales.size(), 4u);  // two QUANTIZE outputs, cat, reshape
  for (float s : scales) EXPECT_EQ(s, scales[0]);
  EXPECT_TRUE(CheckQuantizationSpec(sg).empty());
}

TEST(FullIntegerTest, KeepFloatByOpNameOrTensorName) {
  for (const std::string pattern : {"MUL", "big"}) {
    ir::Model m = TrapModel();
    QuantizeReport report;
    FullIntegerConfig config;
    config.keep_float = {pattern};
    ASSERT_TRUE(QuantizeRandom(m, 4, &report, config).ok());
    EXPECT_EQ(Count(m, OpKind::kMul), 1);
    bool mul_float = false;
    for (const auto& op : m.subgraphs[0].ops) {
      if (op.kind == OpKind::kMul) {
        mul_float = m.subgraphs[0].tensors[static_cast<size_t>(op.outputs[0])].dtype == DType::kFloat32;
      }
    }
    EXPECT_TRUE(mul_float) << pattern;
    EXPECT_TRUE(ir::Verify(m).ok());
  }
}

TEST(FullIntegerTest, IntegerInputTypes) {
  for (DType t : {DType::kInt8, DType::kUInt8}) {
    ir::Model m;
    ir::Builder b(&m);
    int32_t x = b.Input("x", DType::kFloat32, {1, 4});
    b.Output(b.Op(OpKind::kRelu, {x}, "y", DType::kFloat32, {1, 4}));
    ir::Model q = m;
    QuantizeReport report;
    FullIntegerConfig config;
    config.input_type = t;
    ASSERT_TRUE(QuantizeRandom(q, 2, &report, config).ok());
    const auto& in = q.subgraphs[0].tensors[static_cast<size_t>(q.subgraphs[0].inputs[0])];
    EXPECT_EQ(in.dtype, t);
    // uint8 input: its zero point is int8's + 128, and a QUANTIZE converts.
    EXPECT_EQ(Count(q, OpKind::kQuantize), t == DType::kUInt8 ? 1 : 0);
    EXPECT_TRUE(ir::Verify(q).ok());
  }
}

TEST(FullIntegerTest, CalibrationErrorsComeBack) {
  ir::Model m = TrapModel();
  QuantizeReport report;
  SampleLoader bad = [](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    if (i == 2) return InvalidArgument("photo3.jpg: not a JPEG");
    return std::vector<std::vector<uint8_t>>{std::vector<uint8_t>(16, 0)};
  };
  Status s = QuantizeFullInteger(m, 4, bad, {}, &report);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("photo3.jpg"), std::string::npos) << s.ToString();
  SampleLoader wrong_size = [](int) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    return std::vector<std::vector<uint8_t>>{std::vector<uint8_t>(12, 0)};
  };
  EXPECT_FALSE(QuantizeFullInteger(m, 2, wrong_size, {}, &report).ok());
}

}  // namespace
}  // namespace detlite::quant

namespace detlite::quant {
namespace {

// x in [-1, 1] -> ADD -20 -> RESHAPE -> LOGISTIC: the score logits are
// always negative in calibration. Their range must still reach +8 (else
// every score above 0.5 would be clipped), and a non-score tensor with the
// same never-positive range must not be touched.
TEST(FullIntegerTest, ScoreLogitsKeepHeadroomAboveZero) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  int32_t k = b.ConstantF32("k", {1}, {-20.0f});
  int32_t logits = b.Op(OpKind::kAdd, {x, k}, "logits", DType::kFloat32, {1, 4},
                        ir::ArithmeticOptions{});
  int32_t shape = b.ConstantI32("shape", {2}, {4, 1});
  ir::ReshapeOptions ro;
  ro.new_shape = {4, 1};
  int32_t r = b.Op(OpKind::kReshape, {logits, shape}, "r", DType::kFloat32, {4, 1}, ro);
  b.Output(b.Op(OpKind::kLogistic, {r}, "scores", DType::kFloat32, {4, 1}));
  int32_t other = b.Op(OpKind::kAdd, {x, k}, "other", DType::kFloat32, {1, 4},
                       ir::ArithmeticOptions{});
  b.Output(other);
  QuantizeReport report;
  ASSERT_TRUE(QuantizeRandom(m, 4, &report).ok());
  bool saw_logits = false, saw_other = false;
  for (const TensorRange& t : report.ranges) {
    if (t.name == "logits") {
      saw_logits = true;
      EXPECT_LE(t.observed_max, 0.0f);  // ranges always include 0
      EXPECT_GE(t.chosen_max, 8.0f);
    }
    if (t.name == "other") {
      saw_other = true;
      EXPECT_LT(t.chosen_max, 0.5f);
    }
  }
  EXPECT_TRUE(saw_logits && saw_other);
  bool action = false;
  for (const std::string& a : report.actions) action |= a.find("score-logit") != std::string::npos;
  EXPECT_TRUE(action);
}

}  // namespace
}  // namespace detlite::quant
