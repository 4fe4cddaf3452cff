// MAX_POOL_2D, AVERAGE_POOL_2D, MEAN, RESIZE_BILINEAR and
// RESIZE_NEAREST_NEIGHBOR gradients against finite differences.
#include <gtest/gtest.h>

#include <ostream>

#include "train/grad_test_util.h"

namespace detlite::train {
namespace {

using ir::OpKind;
using ir::Padding;
using testing::ExpectGradientsMatch;
using testing::RandomConstant;

void Finish(ir::Builder& b, int32_t y, const Shape& shape) {
  const int32_t c = RandomConstant(b, "c", shape, 98);
  b.Output(b.Op(OpKind::kMul, {y, c}, "out", DType::kFloat32, shape, ir::ArithmeticOptions{}));
}

struct PoolCase {
  OpKind kind;
  int in_h, in_w, filter, stride;
  Padding padding;
  int out_h, out_w;
  ir::Activation act = ir::Activation::kNone;
};
void PrintTo(const PoolCase& c, std::ostream* os) {
  *os << ir::OpKindName(c.kind) << " " << c.in_h << "x" << c.in_w << " f" << c.filter << " s" << c.stride
      << (c.padding == Padding::kSame ? " SAME" : " VALID") << " act" << static_cast<int>(c.act);
}


class PoolGradTest : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolGradTest, MatchesFiniteDifferences) {
  const PoolCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, c.in_h, c.in_w, 3});
  ir::Pool2DOptions o{c.padding, c.stride, c.stride, c.filter, c.filter, c.act};
  const int32_t y = b.Op(c.kind, {x}, "y", DType::kFloat32, {2, c.out_h, c.out_w, 3}, o);
  Finish(b, y, {2, c.out_h, c.out_w, 3});
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PoolGradTest,
    ::testing::Values(PoolCase{OpKind::kMaxPool2D, 6, 6, 2, 2, Padding::kValid, 3, 3},
                      PoolCase{OpKind::kMaxPool2D, 5, 7, 3, 2, Padding::kSame, 3, 4},
                      PoolCase{OpKind::kMaxPool2D, 5, 5, 3, 1, Padding::kSame, 5, 5,
                               ir::Activation::kRelu},
                      PoolCase{OpKind::kAveragePool2D, 6, 6, 2, 2, Padding::kValid, 3, 3},
                      PoolCase{OpKind::kAveragePool2D, 5, 7, 3, 2, Padding::kSame, 3, 4},
                      PoolCase{OpKind::kAveragePool2D, 4, 4, 4, 1, Padding::kValid, 1, 1}));

struct MeanCase {
  std::vector<int32_t> axes;
  bool keep_dims;
  Shape out;
};
void PrintTo(const MeanCase& c, std::ostream* os) {
  *os << "axes";
  for (int32_t a : c.axes) *os << " " << a;
  *os << (c.keep_dims ? " keep_dims" : "");
}


class MeanGradTest : public ::testing::TestWithParam<MeanCase> {};

TEST_P(MeanGradTest, MatchesFiniteDifferences) {
  const MeanCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 3, 4, 5});
  const int32_t axes = b.ConstantI32("axes", {static_cast<int32_t>(c.axes.size())}, c.axes);
  const int32_t y = b.Op(OpKind::kMean, {x, axes}, "y", DType::kFloat32, c.out,
                         ir::ReducerOptions{c.keep_dims});
  Finish(b, y, c.out);
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(Cases, MeanGradTest,
                         ::testing::Values(MeanCase{{1, 2}, true, {2, 1, 1, 5}},
                                           MeanCase{{-1}, false, {2, 3, 4}},
                                           MeanCase{{0, 3}, false, {3, 4}}));

struct ResizeCase {
  OpKind kind;
  int in_h, in_w, out_h, out_w;
  bool align_corners, half_pixel;
};
void PrintTo(const ResizeCase& c, std::ostream* os) {
  *os << ir::OpKindName(c.kind) << " " << c.in_h << "x" << c.in_w << "->" << c.out_h << "x" << c.out_w
      << (c.align_corners ? " align_corners" : "") << (c.half_pixel ? " half_pixel" : "");
}


class ResizeGradTest : public ::testing::TestWithParam<ResizeCase> {};

TEST_P(ResizeGradTest, MatchesFiniteDifferences) {
  const ResizeCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, c.in_h, c.in_w, 2});
  const int32_t size = b.ConstantI32("size", {2}, {c.out_h, c.out_w});
  const int32_t y = b.Op(c.kind, {x, size}, "y", DType::kFloat32, {2, c.out_h, c.out_w, 2},
                         ir::ResizeOptions{c.align_corners, c.half_pixel});
  Finish(b, y, {2, c.out_h, c.out_w, 2});
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ResizeGradTest,
    ::testing::Values(ResizeCase{OpKind::kResizeBilinear, 3, 4, 6, 8, false, false},
                      ResizeCase{OpKind::kResizeBilinear, 3, 4, 7, 5, false, true},
                      ResizeCase{OpKind::kResizeBilinear, 4, 3, 7, 8, true, false},
                      ResizeCase{OpKind::kResizeBilinear, 6, 6, 4, 3, false, false},
                      ResizeCase{OpKind::kResizeNearestNeighbor, 3, 4, 6, 8, false, false},
                      ResizeCase{OpKind::kResizeNearestNeighbor, 3, 4, 7, 5, false, true},
                      ResizeCase{OpKind::kResizeNearestNeighbor, 4, 3, 7, 8, true, false}));

}  // namespace
}  // namespace detlite::train
