// STRIDED_SLICE and SLICE glue: masks, negative indices and strides,
// ellipsis, new axes (each case agrees with the real TFLite runtime and with
// the equivalent NumPy indexing named in its comment).
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/reference/strided_slice.h"
#include "kernels/shape_op_harness.h"

namespace detlite {
namespace {

using testing::OpHarness;

std::vector<float> Iota(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
  return v;
}

struct Case {
  std::vector<int32_t> begin, end, strides;
  ir::StridedSliceOptions options;
};

StatusOr<std::pair<Shape, std::vector<float>>> Slice(const Case& c, bool runtime_indices = false,
                                                     Shape declared = {}) {
  OpHarness t(ir::OpKind::kStridedSlice, c.options);
  t.Input<float>(DType::kFloat32, Shape({3, 4, 5}), Iota(60));
  const Shape n({static_cast<int32_t>(c.begin.size())});
  t.Input<int32_t>(DType::kInt32, n, c.begin, !runtime_indices);
  t.Input<int32_t>(DType::kInt32, n, c.end, !runtime_indices);
  t.Input<int32_t>(DType::kInt32, n, c.strides, !runtime_indices);
  t.Output(DType::kFloat32, declared);
  RETURN_IF_ERROR(t.Run());
  return std::make_pair(t.OutputShape(), t.Out<float>());
}

ir::StridedSliceOptions Masks(int begin, int end, int ellipsis = 0, int new_axis = 0, int shrink = 0) {
  ir::StridedSliceOptions o;
  o.begin_mask = begin;
  o.end_mask = end;
  o.ellipsis_mask = ellipsis;
  o.new_axis_mask = new_axis;
  o.shrink_axis_mask = shrink;
  return o;
}

TEST(StridedSliceTest, NegativeIndicesAndStrides) {
  // x[-1:-4:-1, -3:-1, -1:0:-2]
  auto r = Slice({{-1, -3, -1}, {-4, -1, 0}, {-1, 1, -2}, {}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->first, Shape({3, 2, 2}));
  EXPECT_EQ(r->second, (std::vector<float>{49, 47, 54, 52, 29, 27, 34, 32, 9, 7, 14, 12}));
}

TEST(StridedSliceTest, BeginEndMasks) {
  // x[:, :, 3:1:-1] (dims 0 and 1 masked whatever their indices say)
  auto r = Slice({{2, 9, 3}, {0, -9, 1}, {1, 1, -1}, Masks(3, 3)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->first, Shape({3, 4, 2}));
  EXPECT_EQ(std::vector<float>(r->second.begin(), r->second.begin() + 8),
            (std::vector<float>{3, 2, 8, 7, 13, 12, 18, 17}));
  // Only dim 1's begin masked, its end -9 clamps to 0: empty.
  auto e = Slice({{2, 9, 3}, {0, -9, 1}, {1, 1, -1}, Masks(3, 1)});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->first, Shape({3, 0, 2}));
}

TEST(StridedSliceTest, ShrinkAxes) {
  // x[1, -1, 0:5:2]
  auto r = Slice({{1, -1, 0}, {2, 0, 5}, {1, 1, 2}, Masks(0, 0, 0, 0, 3)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->first, Shape({3}));
  EXPECT_EQ(r->second, (std::vector<float>{35, 37, 39}));
  // x[:, -1]
  auto n = Slice({{0, -1}, {0, 0}, {1, 1}, Masks(1, 1, 0, 0, 2)});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->first, Shape({3, 5}));
  EXPECT_EQ(std::vector<float>(n->second.begin(), n->second.begin() + 5),
            (std::vector<float>{15, 16, 17, 18, 19}));
  // Shrinking an index outside the dimension is an error.
  EXPECT_FALSE(Slice({{3}, {4}, {1}, Masks(0, 0, 0, 0, 1)}).ok());
}

TEST(StridedSliceTest, EllipsisAndNewAxis) {
  // x[..., 1:4:2]
  auto a = Slice({{0, 1}, {0, 4}, {1, 2}, Masks(0, 0, 1)});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->first, Shape({3, 4, 2}));
  EXPECT_EQ(std::vector<float>(a->second.begin(), a->second.begin() + 6),
            (std::vector<float>{1, 3, 6, 8, 11, 13}));
  // x[1:2, ..., 2:4]
  auto b = Slice({{1, 0, 2}, {2, 0, 4}, {1, 1, 1}, Masks(0, 0, 2)});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->first, Shape({1, 4, 2}));
  EXPECT_EQ(b->second, (std::vector<float>{22, 23, 27, 28, 32, 33, 37, 38}));
  // x[np.newaxis, 1:3, 0:5:2]
  auto c = Slice({{0, 1, 0}, {0, 3, 5}, {1, 1, 2}, Masks(1, 1, 0, 1)});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->first, Shape({1, 2, 2, 5}));
  EXPECT_EQ(std::vector<float>(c->second.begin(), c->second.begin() + 6),
            (std::vector<float>{20, 21, 22, 23, 24, 30}));
}

TEST(StridedSliceTest, ShortSpecCoversLeadingDims) {
  auto r = Slice({{1}, {3}, {1}, {}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, Shape({2, 4, 5}));
  EXPECT_EQ(r->second.front(), 20.0f);
}

TEST(StridedSliceTest, Offset) {
  // offset: end holds sizes.
  ir::StridedSliceOptions o;
  o.offset = true;
  auto r = Slice({{1, 1, 0}, {2, 2, 3}, {1, 1, 1}, o});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->first, Shape({2, 2, 3}));
  EXPECT_EQ(std::vector<float>(r->second.begin(), r->second.begin() + 6),
            (std::vector<float>{25, 26, 27, 30, 31, 32}));
}

TEST(StridedSliceTest, RuntimeIndicesAndZeroStride) {
  auto r = Slice({{0, 1, 1}, {3, 3, 5}, {1, 1, 2}, {}}, true, Shape({3, 2, 2}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->second.front(), 6.0f);
  EXPECT_FALSE(Slice({{0, 1, 1}, {3, 3, 5}, {1, 1, 2}, {}}, true, Shape({3, 2, 3})).ok());
  EXPECT_FALSE(Slice({{0}, {3}, {0}, {}}).ok());
}

TEST(StridedSliceTest, ReferenceNegativeStrideToBeginning) {
  kernels::reference::StridedSliceSpec s;
  s.begin = {0};
  s.end = {0};
  s.strides = {-2};
  s.begin_mask = s.end_mask = 1;
  kernels::reference::ResolvedSlice r;
  ASSERT_TRUE(kernels::reference::ResolveStridedSlice({6}, s, &r).ok());
  ASSERT_EQ(r.output_shape, std::vector<int32_t>{3});
  const int x[6] = {0, 1, 2, 3, 4, 5};
  int y[3];
  kernels::reference::StridedSlice<int>(r, x, y);
  EXPECT_EQ(std::vector<int>(y, y + 3), (std::vector<int>{5, 3, 1}));
}

TEST(SliceTest, SizeMinusOneAndBounds) {
  OpHarness t(ir::OpKind::kSlice);
  t.Input<float>(DType::kFloat32, Shape({3, 4, 5}), Iota(60));
  t.Const<int32_t>(DType::kInt32, Shape({3}), {1, 0, 2});
  t.Const<int64_t>(DType::kInt64, Shape({3}), {2, -1, 3});
  t.Output(DType::kFloat32);
  ASSERT_TRUE(t.Run().ok());
  EXPECT_EQ(t.OutputShape(), Shape({2, 4, 3}));
  const auto out = t.Out<float>();
  EXPECT_EQ(std::vector<float>(out.begin(), out.begin() + 4), (std::vector<float>{22, 23, 24, 27}));

  OpHarness bad(ir::OpKind::kSlice);
  bad.Input<float>(DType::kFloat32, Shape({3, 4, 5}), Iota(60));
  bad.Const<int32_t>(DType::kInt32, Shape({3}), {2, 0, 0});
  bad.Const<int32_t>(DType::kInt32, Shape({3}), {2, 1, 1});
  bad.Output(DType::kFloat32);
  EXPECT_FALSE(bad.Prepare().ok());
}

}  // namespace
}  // namespace detlite
