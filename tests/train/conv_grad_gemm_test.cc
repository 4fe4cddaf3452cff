// The GEMM-based CONV_2D backward against the plain reference loops, over
// geometries that exercise im2col/col2im (stride, dilation, odd padding,
// batches) and the pointwise shortcut.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "train/grad_test_util.h"
#include "train/conv_grad_kernels.h"

namespace detlite::train {
namespace {

using testing::RandomValues;

class ConvGemmTest : public ::testing::TestWithParam<kernels::ConvGeometry> {};

TEST_P(ConvGemmTest, MatchesReference) {
  const kernels::ConvGeometry g = GetParam();
  const int64_t nx = int64_t{g.batches} * g.in_h * g.in_w * g.in_c;
  const int64_t nw = int64_t{g.out_c} * g.filter_h * g.filter_w * g.in_c;
  const int64_t nz = int64_t{g.batches} * g.out_h * g.out_w * g.out_c;
  const auto x = RandomValues(nx, 1), w = RandomValues(nw, 2), dz = RandomValues(nz, 3);
  // Start from nonzero buffers: both must add, not overwrite.
  auto dx = RandomValues(nx, 4), dw = RandomValues(nw, 5), db = RandomValues(g.out_c, 6);
  auto rdx = dx, rdw = dw, rdb = db;
  ConvBackward(g, x.data(), w.data(), dz.data(), dx.data(), dw.data(), db.data());
  ConvBackwardReference(g, x.data(), w.data(), dz.data(), rdx.data(), rdw.data(), rdb.data());
  auto expect_close = [](const std::vector<float>& a, const std::vector<float>& b, const char* what) {
    float scale = 0, err = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      scale = std::max(scale, std::abs(b[i]));
      err = std::max(err, std::abs(a[i] - b[i]));
    }
    EXPECT_LT(err, 1e-4f * scale) << what << ": max error " << err << " of " << scale;
  };
  expect_close(dx, rdx, "input grad");
  expect_close(dw, rdw, "filter grad");
  expect_close(db, rdb, "bias grad");
}

kernels::ConvGeometry Geo(int batches, int in_h, int in_w, int in_c, int out_h, int out_w, int out_c,
                          int k, int stride, int dilation, int pad) {
  kernels::ConvGeometry g;
  g.batches = batches;
  g.in_h = in_h;
  g.in_w = in_w;
  g.in_c = in_c;
  g.out_h = out_h;
  g.out_w = out_w;
  g.out_c = out_c;
  g.filter_h = g.filter_w = k;
  g.stride_h = g.stride_w = stride;
  g.dilation_h = g.dilation_w = dilation;
  g.pad_h = g.pad_w = pad;
  return g;
}

INSTANTIATE_TEST_SUITE_P(Geometries, ConvGemmTest,
                         ::testing::Values(Geo(2, 9, 9, 5, 9, 9, 7, 1, 1, 1, 0),
                                           Geo(1, 16, 16, 3, 8, 8, 24, 3, 2, 1, 0),
                                           Geo(2, 11, 10, 8, 6, 5, 17, 3, 2, 1, 1),
                                           Geo(1, 12, 12, 6, 12, 12, 9, 3, 1, 2, 2),
                                           Geo(1, 7, 7, 33, 4, 4, 40, 1, 2, 1, 0)));

class DepthwiseFastTest : public ::testing::TestWithParam<kernels::ConvGeometry> {};

// The vectorized depthwise backward against the reference (multiplier 1;
// out_c = in_c).
TEST_P(DepthwiseFastTest, MatchesReference) {
  kernels::ConvGeometry g = GetParam();
  g.out_c = g.in_c;
  const int64_t nx = int64_t{g.batches} * g.in_h * g.in_w * g.in_c;
  const int64_t nw = int64_t{g.filter_h} * g.filter_w * g.out_c;
  const int64_t nz = int64_t{g.batches} * g.out_h * g.out_w * g.out_c;
  const auto x = RandomValues(nx, 1), w = RandomValues(nw, 2), dz = RandomValues(nz, 3);
  auto dx = RandomValues(nx, 4), dw = RandomValues(nw, 5), db = RandomValues(g.out_c, 6);
  auto rdx = dx, rdw = dw, rdb = db;
  DepthwiseBackward(g, x.data(), w.data(), dz.data(), dx.data(), dw.data(), db.data());
  DepthwiseBackwardReference(g, x.data(), w.data(), dz.data(), rdx.data(), rdw.data(), rdb.data());
  for (size_t i = 0; i < dx.size(); ++i) ASSERT_NEAR(dx[i], rdx[i], 1e-4f * (1 + std::abs(rdx[i])));
  for (size_t i = 0; i < dw.size(); ++i) ASSERT_NEAR(dw[i], rdw[i], 1e-4f * (1 + std::abs(rdw[i])));
  for (size_t i = 0; i < db.size(); ++i) ASSERT_NEAR(db[i], rdb[i], 1e-4f * (1 + std::abs(rdb[i])));
}

INSTANTIATE_TEST_SUITE_P(Geometries, DepthwiseFastTest,
                         ::testing::Values(Geo(2, 9, 9, 5, 9, 9, 5, 3, 1, 1, 1),
                                           Geo(1, 11, 10, 17, 6, 5, 17, 3, 2, 1, 1),
                                           Geo(1, 12, 12, 8, 12, 12, 8, 3, 1, 2, 2)));

}  // namespace
}  // namespace detlite::train
