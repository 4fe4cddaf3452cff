// CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV gradients (input, filter,
// bias) against finite differences, over strides, paddings, dilations,
// groups and fused activations.
#include <gtest/gtest.h>

#include <ostream>

#include "train/grad_test_util.h"

namespace detlite::train {
namespace {

using ir::Activation;
using ir::OpKind;
using ir::Padding;
using testing::ExpectGradientsMatch;
using testing::RandomConstant;

struct ConvCase {
  int in_h, in_w, in_c, out_c, k, stride, dilation;
  Padding padding;
  Activation act;
  int groups = 1;
};
void PrintTo(const ConvCase& c, std::ostream* os) {
  *os << c.in_h << "x" << c.in_w << "x" << c.in_c << "->" << c.out_c << " k" << c.k << " s" << c.stride
      << " d" << c.dilation << (c.padding == Padding::kSame ? " SAME" : " VALID") << " act"
      << static_cast<int>(c.act) << " groups" << c.groups;
}


int OutSize(const ConvCase& c, int in) {
  const int eff = (c.k - 1) * c.dilation + 1;
  return c.padding == Padding::kSame ? (in + c.stride - 1) / c.stride
                                     : (in - eff + c.stride) / c.stride;
}

class ConvGradTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvGradTest, MatchesFiniteDifferences) {
  const ConvCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, c.in_h, c.in_w, c.in_c});
  const int32_t w = RandomConstant(b, "w", {c.out_c, c.k, c.k, c.in_c / c.groups}, 11, 0.5f);
  const int32_t bias = RandomConstant(b, "b", {c.out_c}, 12);
  ir::Conv2DOptions o{c.padding, c.stride, c.stride, c.dilation, c.dilation, c.act};
  b.Output(b.Op(OpKind::kConv2D, {x, w, bias}, "y", DType::kFloat32,
                {2, OutSize(c, c.in_h), OutSize(c, c.in_w), c.out_c}, o));
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConvGradTest,
    ::testing::Values(ConvCase{5, 5, 3, 4, 3, 1, 1, Padding::kSame, Activation::kNone},
                      ConvCase{6, 7, 3, 4, 3, 2, 1, Padding::kSame, Activation::kNone},
                      ConvCase{7, 6, 2, 3, 3, 2, 1, Padding::kValid, Activation::kRelu},
                      ConvCase{7, 7, 2, 3, 3, 1, 2, Padding::kSame, Activation::kRelu6},
                      ConvCase{6, 6, 3, 2, 2, 2, 1, Padding::kSame, Activation::kReluN1To1},
                      ConvCase{4, 5, 4, 5, 1, 1, 1, Padding::kValid, Activation::kReluN1To1},
                      ConvCase{5, 5, 4, 6, 3, 1, 1, Padding::kSame, Activation::kNone, 2}));

class DepthwiseGradTest : public ::testing::TestWithParam<ConvCase> {};

// out_c = in_c * multiplier.
TEST_P(DepthwiseGradTest, MatchesFiniteDifferences) {
  const ConvCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, c.in_h, c.in_w, c.in_c});
  const int32_t w = RandomConstant(b, "w", {1, c.k, c.k, c.out_c}, 21, 0.5f);
  const int32_t bias = RandomConstant(b, "b", {c.out_c}, 22);
  ir::DepthwiseConv2DOptions o{c.padding, c.stride, c.stride, c.out_c / c.in_c,
                               c.dilation, c.dilation, c.act};
  b.Output(b.Op(OpKind::kDepthwiseConv2D, {x, w, bias}, "y", DType::kFloat32,
                {2, OutSize(c, c.in_h), OutSize(c, c.in_w), c.out_c}, o));
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DepthwiseGradTest,
    ::testing::Values(ConvCase{5, 5, 3, 3, 3, 1, 1, Padding::kSame, Activation::kNone},
                      ConvCase{7, 6, 2, 2, 3, 2, 1, Padding::kSame, Activation::kRelu6},
                      ConvCase{7, 7, 2, 4, 3, 2, 1, Padding::kValid, Activation::kRelu},
                      ConvCase{7, 7, 3, 6, 3, 1, 2, Padding::kSame, Activation::kReluN1To1}));

struct TransposeCase {
  int in_h, in_w, in_c, out_c, k, stride, out_h, out_w;
  Padding padding;
  bool bias;
};
void PrintTo(const TransposeCase& c, std::ostream* os) {
  *os << c.in_h << "x" << c.in_w << "x" << c.in_c << "->" << c.out_h << "x" << c.out_w << "x"
      << c.out_c << " k" << c.k << " s" << c.stride << (c.padding == Padding::kSame ? " SAME" : " VALID")
      << (c.bias ? " bias" : "");
}


class TransposeConvGradTest : public ::testing::TestWithParam<TransposeCase> {};

TEST_P(TransposeConvGradTest, MatchesFiniteDifferences) {
  const TransposeCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t shape = b.ConstantI32("shape", {4}, {1, c.out_h, c.out_w, c.out_c});
  const int32_t w = RandomConstant(b, "w", {c.out_c, c.k, c.k, c.in_c}, 31, 0.5f);
  const int32_t x = b.Input("x", DType::kFloat32, {1, c.in_h, c.in_w, c.in_c});
  std::vector<int32_t> inputs = {shape, w, x};
  if (c.bias) inputs.push_back(RandomConstant(b, "b", {c.out_c}, 32));
  ir::TransposeConvOptions o{c.padding, c.stride, c.stride, Activation::kNone};
  b.Output(b.Op(OpKind::kTransposeConv, inputs, "y", DType::kFloat32,
                {1, c.out_h, c.out_w, c.out_c}, o));
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TransposeConvGradTest,
    ::testing::Values(TransposeCase{3, 3, 2, 3, 3, 2, 6, 6, Padding::kSame, true},
                      TransposeCase{3, 4, 3, 2, 3, 2, 7, 9, Padding::kValid, false},
                      TransposeCase{4, 4, 2, 2, 2, 1, 4, 4, Padding::kSame, true}));

}  // namespace
}  // namespace detlite::train
