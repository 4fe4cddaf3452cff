// Data-movement gradients: RESHAPE, CONCATENATION, PAD/PADV2,
// STRIDED_SLICE, GATHER, DEPTH_TO_SPACE, against finite differences. Each
// op is followed by a MUL with a random constant so the loss weights every
// element differently.
#include <gtest/gtest.h>

#include <ostream>

#include "train/grad_test_util.h"

namespace detlite::train {
namespace {

using ir::OpKind;
using testing::ExpectGradientsMatch;
using testing::RandomConstant;

// x -> op -> y * c (so no two output elements weigh alike).
void Finish(ir::Builder& b, int32_t y, const Shape& shape) {
  const int32_t c = RandomConstant(b, "c", shape, 99);
  b.Output(b.Op(OpKind::kMul, {y, c}, "out", DType::kFloat32, shape, ir::ArithmeticOptions{}));
}

TEST(ShapeGrad, Reshape) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 3, 4});
  const int32_t s = b.ConstantI32("shape", {2}, {6, 4});
  const int32_t y = b.Op(OpKind::kReshape, {x, s}, "y", DType::kFloat32, {6, 4},
                         ir::ReshapeOptions{{6, 4}});
  Finish(b, y, {6, 4});
  ExpectGradientsMatch(m);
}

TEST(ShapeGrad, SqueezeAndExpandDims) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 1, 4});
  const int32_t s = b.Op(OpKind::kSqueeze, {x}, "s", DType::kFloat32, {2, 4}, ir::SqueezeOptions{{1}});
  const int32_t axis = b.ConstantI32("axis", {}, {0});
  const int32_t y = b.Op(OpKind::kExpandDims, {s, axis}, "y", DType::kFloat32, {1, 2, 4});
  Finish(b, y, {1, 2, 4});
  ExpectGradientsMatch(m);
}

TEST(ShapeGrad, ConcatenationNegativeAxisSameTensorTwice) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 3, 2});
  const int32_t w = RandomConstant(b, "w", {2, 3, 3}, 5);
  const int32_t y = b.Op(OpKind::kConcatenation, {x, w, x}, "y", DType::kFloat32, {2, 3, 7},
                         ir::ConcatenationOptions{-1, ir::Activation::kNone});
  Finish(b, y, {2, 3, 7});
  ExpectGradientsMatch(m);
}

TEST(ShapeGrad, ConcatenationMiddleAxis) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 3, 2});
  const int32_t w = RandomConstant(b, "w", {2, 1, 2}, 6);
  const int32_t y = b.Op(OpKind::kConcatenation, {w, x}, "y", DType::kFloat32, {2, 4, 2},
                         ir::ConcatenationOptions{1, ir::Activation::kNone});
  Finish(b, y, {2, 4, 2});
  ExpectGradientsMatch(m);
}

TEST(ShapeGrad, Pad) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 3, 4, 2});
  const int32_t p = b.ConstantI32("p", {4, 2}, {0, 0, 1, 2, 0, 1, 1, 0});
  const int32_t y = b.Op(OpKind::kPad, {x, p}, "y", DType::kFloat32, {1, 6, 5, 3});
  Finish(b, y, {1, 6, 5, 3});
  ExpectGradientsMatch(m);
}

TEST(ShapeGrad, Padv2ValueGetsTheGradientOfEveryPaddedSlot) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {3, 4});
  const int32_t p = b.ConstantI32("p", {2, 2}, {1, 0, 2, 1});
  const int32_t v = b.ConstantF32("value", {1}, {0.3f});
  const int32_t y = b.Op(OpKind::kPadv2, {x, p, v}, "y", DType::kFloat32, {4, 7});
  Finish(b, y, {4, 7});
  ExpectGradientsMatch(m);
}

struct SliceCase {
  Shape in;
  std::vector<int32_t> begin, end, strides;
  ir::StridedSliceOptions options;
  Shape out;
};
void PrintTo(const SliceCase& c, std::ostream* os) {
  *os << c.in.ToString() << " -> " << c.out.ToString() << " masks " << c.options.begin_mask << "/"
      << c.options.end_mask << "/" << c.options.shrink_axis_mask;
}


class StridedSliceGradTest : public ::testing::TestWithParam<SliceCase> {};

TEST_P(StridedSliceGradTest, MatchesFiniteDifferences) {
  const SliceCase c = GetParam();
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, c.in);
  const int32_t n = static_cast<int32_t>(c.begin.size());
  const int32_t be = b.ConstantI32("begin", {n}, c.begin);
  const int32_t en = b.ConstantI32("end", {n}, c.end);
  const int32_t st = b.ConstantI32("strides", {n}, c.strides);
  const int32_t y = b.Op(OpKind::kStridedSlice, {x, be, en, st}, "y", DType::kFloat32, c.out,
                         c.options);
  Finish(b, y, c.out);
  ExpectGradientsMatch(m);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StridedSliceGradTest,
    ::testing::Values(
        SliceCase{{4, 6}, {1, 0}, {3, 6}, {1, 2}, {}, {2, 3}},
        SliceCase{{4, 6}, {0, -1}, {4, 0}, {2, -2}, {}, {2, 3}},
        // begin_mask on dim 0, shrink on dim 1.
        SliceCase{{3, 5, 2}, {2, 3, 0}, {3, 4, 2}, {1, 1, 1}, {1, 0, 0, 0, 2}, {3, 2}},
        SliceCase{{2, 5, 3}, {0, 1, 0}, {2, 5, 3}, {1, 3, 1}, {0, 5, 0, 0, 0}, {2, 2, 3}}));

TEST(ShapeGrad, GatherRepeatedIndicesAccumulate) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {5, 3});
  const int32_t idx = b.ConstantI32("idx", {4}, {4, 0, 4, 2});
  const int32_t y = b.Op(OpKind::kGather, {x, idx}, "y", DType::kFloat32, {4, 3},
                         ir::GatherOptions{0, 0});
  Finish(b, y, {4, 3});
  ExpectGradientsMatch(m);
}

TEST(ShapeGrad, GatherInnerAxisOfConstant) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {2, 4});
  const int32_t table = RandomConstant(b, "table", {2, 5, 3}, 8);
  const int32_t idx = b.ConstantI32("idx", {2, 2}, {1, 1, 3, 0});
  const int32_t g = b.Op(OpKind::kGather, {table, idx}, "g", DType::kFloat32, {2, 2, 2, 3},
                         ir::GatherOptions{1, 0});
  const int32_t s = b.ConstantI32("shape", {2}, {2, 12});
  const int32_t r = b.Op(OpKind::kReshape, {g, s}, "r", DType::kFloat32, {2, 12},
                         ir::ReshapeOptions{{2, 12}});
  const int32_t y = b.Op(OpKind::kConcatenation, {r, x}, "y", DType::kFloat32, {2, 16},
                         ir::ConcatenationOptions{1, ir::Activation::kNone});
  Finish(b, y, {2, 16});
  ExpectGradientsMatch(m);
}

TEST(ShapeGrad, DepthToSpace) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", DType::kFloat32, {1, 2, 3, 8});
  const int32_t y = b.Op(OpKind::kDepthToSpace, {x}, "y", DType::kFloat32, {1, 4, 6, 2},
                         ir::BlockSizeOptions{2});
  Finish(b, y, {1, 4, 6, 2});
  ExpectGradientsMatch(m);
}

}  // namespace
}  // namespace detlite::train
