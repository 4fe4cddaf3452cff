// ADD, SUB, MUL, DIV (with broadcasting and fused activations) and the
// standalone activations against finite differences.
#include <gtest/gtest.h>

#include <ostream>

#include <cmath>

#include "train/grad_test_util.h"

namespace detlite::train {
namespace {

using ir::Activation;
using ir::OpKind;
using testing::ExpectGradientsMatch;
using testing::RandomConstant;
using testing::RandomValues;

struct BinaryCase {
  OpKind kind;
  Shape a, b, out;
  Activation act;
  bool b_constant;
};
void PrintTo(const BinaryCase& c, std::ostream* os) {
  *os << ir::OpKindName(c.kind) << " " << c.a.ToString() << " " << c.b.ToString()
      << (c.b_constant ? " (constant)" : "") << " act" << static_cast<int>(c.act);
}


class BinaryGradTest : public ::testing::TestWithParam<BinaryCase> {};

TEST_P(BinaryGradTest, MatchesFiniteDifferences) {
  const BinaryCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t a = b.Input("a", DType::kFloat32, c.a);
  int32_t rhs;
  if (c.b_constant) {
    // Kept away from 0 so DIV stays smooth within the step.
    std::vector<float> v = RandomValues(c.b.NumElements(), 41, 0.5f);
    rhs = b.ConstantF32("b", c.b, v);
  } else {
    rhs = b.Input("b", DType::kFloat32, c.b);
  }
  b.Output(b.Op(c.kind, {a, rhs}, "y", DType::kFloat32, c.out, ir::ArithmeticOptions{c.act}));
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BinaryGradTest,
    ::testing::Values(
        BinaryCase{OpKind::kAdd, {2, 3, 4}, {2, 3, 4}, {2, 3, 4}, Activation::kNone, false},
        BinaryCase{OpKind::kAdd, {2, 3, 4}, {4}, {2, 3, 4}, Activation::kRelu, true},
        BinaryCase{OpKind::kAdd, {2, 1, 4}, {1, 3, 1}, {2, 3, 4}, Activation::kRelu6, false},
        BinaryCase{OpKind::kSub, {2, 3, 4}, {3, 1}, {2, 3, 4}, Activation::kNone, false},
        BinaryCase{OpKind::kSub, {1}, {2, 5}, {2, 5}, Activation::kRelu6, true},
        BinaryCase{OpKind::kMul, {2, 3, 4}, {2, 3, 4}, {2, 3, 4}, Activation::kNone, false},
        BinaryCase{OpKind::kMul, {2, 3, 4}, {1, 3, 4}, {2, 3, 4}, Activation::kReluN1To1, true},
        BinaryCase{OpKind::kMul, {3, 1}, {1, 4}, {3, 4}, Activation::kNone, false},
        BinaryCase{OpKind::kDiv, {2, 3, 4}, {2, 3, 4}, {2, 3, 4}, Activation::kNone, true},
        BinaryCase{OpKind::kDiv, {2, 3, 4}, {4}, {2, 3, 4}, Activation::kRelu, true}));

// A tensor used twice by one op (x * x) accumulates both contributions.
TEST(BinaryGrad, SameTensorTwice) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {3, 4});
  b.Output(b.Op(OpKind::kMul, {x, x}, "y", DType::kFloat32, {3, 4}, ir::ArithmeticOptions{}));
  ExpectGradientsMatch(m);
}

struct UnaryCase {
  OpKind kind;
  ir::OpOptions options;
};

class UnaryGradTest : public ::testing::TestWithParam<UnaryCase> {};

// Inputs spread over [-8, 8] so every piece of each activation (the
// clamps at -1, 1, 6, hard swish's -3 and 3) is hit, but kept 0.05 from
// those kinks so the finite-difference step never straddles one.
TEST_P(UnaryGradTest, MatchesFiniteDifferences) {
  const UnaryCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 5, 6});
  b.Output(b.Op(c.kind, {x}, "y", DType::kFloat32, {2, 5, 6}, c.options));
  std::vector<float> in = RandomValues(60, 51);
  for (float& v : in) {
    v *= 4.0f;
    for (float kink : {-3.0f, -1.0f, 0.0f, 1.0f, 3.0f, 6.0f}) {
      if (std::abs(v - kink) < 0.05f) v = kink + (v < kink ? -0.05f : 0.05f);
    }
  }
  ExpectGradientsMatch(m, 1e-2, 7, {in});
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UnaryGradTest,
    ::testing::Values(UnaryCase{OpKind::kRelu, std::monostate{}},
                      UnaryCase{OpKind::kRelu6, std::monostate{}},
                      UnaryCase{OpKind::kReluN1To1, std::monostate{}},
                      UnaryCase{OpKind::kLogistic, std::monostate{}},
                      UnaryCase{OpKind::kTanh, std::monostate{}},
                      UnaryCase{OpKind::kHardSwish, std::monostate{}},
                      UnaryCase{OpKind::kLeakyRelu, ir::LeakyReluOptions{0.2f}},
                      UnaryCase{OpKind::kSoftmax, ir::SoftmaxOptions{1.0f}},
                      UnaryCase{OpKind::kSoftmax, ir::SoftmaxOptions{0.5f}}),
    [](const auto& info) {
      return std::string(ir::OpKindName(info.param.kind)) + "_" + std::to_string(info.index);
    });

// PRELU with one alpha per channel (palm detection's 26 PRELUs): input and
// alpha gradients.
TEST(PreluGrad, PerChannelAlpha) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 4, 3, 5});
  const int32_t alpha = RandomConstant(b, "alpha", {1, 1, 5}, 81, 0.3f);
  b.Output(b.Op(OpKind::kPrelu, {x, alpha}, "y", DType::kFloat32, {1, 4, 3, 5}));
  std::vector<float> in = RandomValues(60, 82, 0.05f);
  ExpectGradientsMatch(m, 1e-2, 7, {in});
}

}  // namespace
}  // namespace detlite::train
