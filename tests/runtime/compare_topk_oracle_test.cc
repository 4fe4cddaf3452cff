// Comparisons, FLOOR_DIV, FLOOR_MOD and TOPK_V2 (added for TF.js graph
// models) against the real TFLite runtime: each case runs in detlite's
// interpreter and, written as .tflite, in TFLite, and the bytes must be
// identical (these ops have one right answer: bools, integers, a floor of
// one division, and top-k with ties broken by the lower index).
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <random>

#include "exporters/tflite/tflite_writer.h"
#include "ir/builder.h"
#include "runtime/interpreter.h"
#include "runtime/oracle_bit_exact.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using ir::OpKind;

struct Case {
  ir::Model model;
  std::vector<std::vector<uint8_t>> inputs;
  std::mt19937 rng{11};

  // Float inputs take few distinct values (so comparisons and top-k see
  // ties); int32 inputs lie in [lo, hi] without 0 when `nonzero`.
  int32_t In(ir::Builder& b, const std::string& name, DType t, Shape s, int lo = -6, int hi = 6,
             bool nonzero = false) {
    const int32_t id = b.Input(name, t, s);
    std::vector<uint8_t> bytes(static_cast<size_t>(s.NumElements()) * 4);
    for (size_t i = 0; i < bytes.size() / 4; ++i) {
      int v = std::uniform_int_distribution<int>(lo, hi)(rng);
      if (nonzero && v == 0) v = hi;
      if (t == DType::kFloat32) {
        const float f = static_cast<float>(v) * 0.75f;
        std::memcpy(bytes.data() + i * 4, &f, 4);
      } else {
        const int32_t x = v;
        std::memcpy(bytes.data() + i * 4, &x, 4);
      }
    }
    inputs.push_back(std::move(bytes));
    return id;
  }
};

void RunCase(const std::string& name, const std::function<void(Case&, ir::Builder&)>& build) {
  SCOPED_TRACE(name);
  Case c;
  ir::Builder b(&c.model);
  build(c, b);
  testing::ExpectBitExactInTflite(c.model, c.inputs, testing::TempDir() + "/compare_topk_" + name + ".tflite");
}

class CompareTopKOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  }
};

TEST_F(CompareTopKOracleTest, ComparisonsBroadcastToBool) {
  const std::pair<OpKind, const char*> ops[] = {
      {OpKind::kEqual, "equal"}, {OpKind::kNotEqual, "not_equal"}, {OpKind::kLess, "less"},
      {OpKind::kLessEqual, "less_equal"}, {OpKind::kGreater, "greater"},
      {OpKind::kGreaterEqual, "greater_equal"}};
  for (const auto& [kind, name] : ops) {
    for (DType t : {DType::kFloat32, DType::kInt32}) {
      RunCase(std::string(name) + (t == DType::kInt32 ? "_i32" : "_f32"), [&](Case& c, ir::Builder& b) {
        const int32_t x = c.In(b, "x", t, {2, 3, 4});
        const int32_t y = c.In(b, "y", t, {3, 1});
        b.Output(b.Op(kind, {x, y}, "z", DType::kBool, {}));
      });
    }
  }
}

TEST_F(CompareTopKOracleTest, FloorDivAndFloorModOfNegativeNumbers) {
  for (DType t : {DType::kInt32, DType::kFloat32}) {
    const std::string suffix = t == DType::kInt32 ? "_i32" : "_f32";
    RunCase("floor_div" + suffix, [&](Case& c, ir::Builder& b) {
      const int32_t x = c.In(b, "x", t, {4, 5}, -50, 50);
      const int32_t y = c.In(b, "y", t, {5}, -7, 7, /*nonzero=*/true);
      b.Output(b.Op(OpKind::kFloorDiv, {x, y}, "z", t, {}));
    });
    RunCase("floor_mod" + suffix, [&](Case& c, ir::Builder& b) {
      const int32_t x = c.In(b, "x", t, {4, 5}, -50, 50);
      const int32_t y = c.In(b, "y", t, {4, 1}, -7, 7, /*nonzero=*/true);
      b.Output(b.Op(OpKind::kFloorMod, {x, y}, "z", t, {}));
    });
  }
}

TEST_F(CompareTopKOracleTest, TopKWithTies) {
  for (DType t : {DType::kFloat32, DType::kInt32}) {
    RunCase(t == DType::kInt32 ? "topk_i32" : "topk_f32", [&](Case& c, ir::Builder& b) {
      const int32_t x = c.In(b, "x", t, {3, 40});
      const int32_t k = b.ConstantI32("k", {}, {7});
      const int32_t values = b.Tensor("values", t, {});
      const int32_t indices = b.Tensor("indices", DType::kInt32, {});
      b.AddOp(OpKind::kTopkV2, {x, k}, {values, indices}, std::monostate{});
      b.Output(values);
      b.Output(indices);
    });
  }
}

}  // namespace
}  // namespace detlite
