// FULLY_CONNECTED and BATCH_MATMUL gradients against finite differences.
#include <gtest/gtest.h>

#include <ostream>

#include "train/grad_test_util.h"

namespace detlite::train {
namespace {

using ir::Activation;
using ir::OpKind;
using testing::ExpectGradientsMatch;
using testing::RandomConstant;

struct FcCase {
  Shape in;
  int units;
  bool bias;
  Activation act;
  bool keep_num_dims;
  Shape out;
};
void PrintTo(const FcCase& c, std::ostream* os) {
  *os << c.in.ToString() << " units " << c.units << (c.bias ? " bias" : "") << " act"
      << static_cast<int>(c.act) << (c.keep_num_dims ? " keep_num_dims" : "");
}


class FullyConnectedGradTest : public ::testing::TestWithParam<FcCase> {};

TEST_P(FullyConnectedGradTest, MatchesFiniteDifferences) {
  const FcCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, c.in);
  const int32_t depth = c.in.dim(c.in.rank() - 1);
  std::vector<int32_t> inputs = {x, RandomConstant(b, "w", {c.units, depth}, 61, 0.5f)};
  inputs.push_back(c.bias ? RandomConstant(b, "b", {c.units}, 62) : -1);
  ir::FullyConnectedOptions o;
  o.activation = c.act;
  o.keep_num_dims = c.keep_num_dims;
  b.Output(b.Op(OpKind::kFullyConnected, inputs, "y", DType::kFloat32, c.out, o));
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FullyConnectedGradTest,
    ::testing::Values(FcCase{{3, 5}, 4, true, Activation::kNone, false, {3, 4}},
                      FcCase{{2, 3, 5}, 4, true, Activation::kRelu, false, {6, 4}},
                      FcCase{{2, 3, 5}, 6, false, Activation::kRelu6, true, {2, 3, 6}},
                      FcCase{{1, 8}, 3, true, Activation::kReluN1To1, false, {1, 3}}));

struct MatMulCase {
  Shape lhs, rhs;
  bool adj_x, adj_y, rhs_constant;
  Shape out;
};
void PrintTo(const MatMulCase& c, std::ostream* os) {
  *os << c.lhs.ToString() << (c.adj_x ? "^T" : "") << " x " << c.rhs.ToString() << (c.adj_y ? "^T" : "");
}


class BatchMatMulGradTest : public ::testing::TestWithParam<MatMulCase> {};

TEST_P(BatchMatMulGradTest, MatchesFiniteDifferences) {
  const MatMulCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t l = b.Input("lhs", DType::kFloat32, c.lhs);
  const int32_t r = c.rhs_constant ? RandomConstant(b, "rhs", c.rhs, 71)
                                   : b.Input("rhs", DType::kFloat32, c.rhs);
  ir::BatchMatMulOptions o;
  o.adj_x = c.adj_x;
  o.adj_y = c.adj_y;
  b.Output(b.Op(OpKind::kBatchMatmul, {l, r}, "y", DType::kFloat32, c.out, o));
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BatchMatMulGradTest,
    ::testing::Values(MatMulCase{{2, 3, 4}, {2, 4, 5}, false, false, false, {2, 3, 5}},
                      MatMulCase{{2, 4, 3}, {2, 5, 4}, true, true, false, {2, 3, 5}},
                      MatMulCase{{2, 3, 4}, {4, 5}, false, false, true, {2, 3, 5}},
                      MatMulCase{{3, 1, 3, 4}, {1, 2, 5, 4}, false, true, false, {3, 2, 3, 5}}));

}  // namespace
}  // namespace detlite::train
