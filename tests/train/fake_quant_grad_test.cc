// The straight-through estimator of a QUANTIZE -> DEQUANTIZE pair: the
// forward is the runtime's int8 rounding and clamping, the gradient passes
// where the input lay inside the representable range and is zero where the
// value was clamped.
#include <gtest/gtest.h>

#include <cmath>

#include "ir/builder.h"
#include "train/backward.h"
#include "train/forward.h"

namespace detlite::train {
namespace {

using ir::OpKind;

TEST(FakeQuantGrad, PassesInsideTheRangeAndStopsOutside) {
  // scale 0.1, zero point 3: representable [(-128-3)*0.1, (127-3)*0.1] =
  // [-13.1, 12.4].
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 8});
  const int32_t q = b.Op(OpKind::kQuantize, {x}, "q", DType::kInt8, {1, 8}, std::monostate{},
                         ir::PerTensorQuant(0.1f, 3));
  const int32_t y = b.Op(OpKind::kDequantize, {q}, "y", DType::kFloat32, {1, 8});
  const int32_t z = b.Op(OpKind::kMul, {y, y}, "z", DType::kFloat32, {1, 8}, ir::ArithmeticOptions{});
  b.Output(z);
  const std::vector<float> in = {-20.0f, -13.1f, -13.2f, 0.26f, 0.24f, 12.4f, 12.46f, 30.0f};
  auto fwd = Forward(m, {in});
  ASSERT_TRUE(fwd.ok()) << fwd.status().ToString();
  // Forward: clamp to the range, round to the 0.1 grid.
  const std::vector<float> deq = fwd->Copy(y);
  const std::vector<float> want = {-13.1f, -13.1f, -13.1f, 0.3f, 0.2f, 12.4f, 12.4f, 12.4f};
  for (size_t i = 0; i < in.size(); ++i) EXPECT_NEAR(deq[i], want[i], 1e-5f) << i;
  auto g = Backward(*fwd, {{z, std::vector<float>(8, 1.0f)}});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const std::vector<float>* dx = g->Find(x);
  ASSERT_NE(dx, nullptr);
  // d(y*y)/dy = 2y, passed straight through inside [-13.1, 12.4].
  const std::vector<bool> inside = {false, true, false, true, true, true, false, false};
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_FLOAT_EQ((*dx)[i], inside[i] ? 2 * deq[i] : 0.0f) << "x = " << in[i];
  }
}

TEST(FakeQuantGrad, NoGradientFlowsThroughARequantization) {
  // Only a QUANTIZE of float data is fake quantization; an int8 -> int8
  // QUANTIZE ends the gradient's path (x gets none).
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  const int32_t q = b.Op(OpKind::kQuantize, {x}, "q", DType::kInt8, {1, 4}, std::monostate{},
                         ir::PerTensorQuant(0.1f, 0));
  const int32_t r = b.Op(OpKind::kQuantize, {q}, "r", DType::kInt8, {1, 4}, std::monostate{},
                         ir::PerTensorQuant(0.2f, 0));
  const int32_t y = b.Op(OpKind::kDequantize, {r}, "y", DType::kFloat32, {1, 4});
  b.Output(y);
  auto fwd = Forward(m, {std::vector<float>{1, 2, 3, 4}});
  ASSERT_TRUE(fwd.ok()) << fwd.status().ToString();
  auto g = Backward(*fwd, {{y, std::vector<float>(4, 1.0f)}});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->Find(x), nullptr);
  EXPECT_EQ(OpsFeeding(m.subgraphs[0], {y}).size(), 0u);
}

}  // namespace
}  // namespace detlite::train
