// The op audit's rearrangements (issue 10): SpaceToBatchND / BatchToSpaceND
// (TensorFlow's atrous convolution), ReverseV2, BroadcastTo, GatherNd and
// Range, each from a GraphDef built here, checked against the op's
// definition and run by the real TFLite runtime to the same bytes.
#include <gtest/gtest.h>

#include <vector>

#include "tf_graph_builder.h"
#include "tf_op_runner.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddIntConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::ExpectSameInTflite;
using testing::RunGraph;
using testing::SetType;

std::vector<float> Iota(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * 0.5f - 3;
  return v;
}

// x [1, 5, 6, 2] padded to 6x6 and split into 2x2 blocks: out[(by*2+bx), y,
// x, c] = padded[y*2+by, x*2+bx, c] (padding: 1 row on top).
TEST(TfOpsRearrange, SpaceToBatchNdMatchesItsDefinition) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 5, 6, 2});
  AddIntConst(g, "block", {2}, {2, 2});
  AddIntConst(g, "pads", {2, 2}, {1, 0, 0, 0});
  SetType(AddNode(g, "y", "SpaceToBatchND", {"x", "block", "pads"}));
  const std::vector<float> x = Iota(60);
  auto r = RunGraph(g, x, {"y"}, "s2b.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->shape, (std::vector<int32_t>{4, 3, 3, 2}));
  for (int by = 0; by < 2; ++by) for (int bx = 0; bx < 2; ++bx)
    for (int y = 0; y < 3; ++y) for (int xx = 0; xx < 3; ++xx) for (int c = 0; c < 2; ++c) {
      const int iy = y * 2 + by - 1, ix = xx * 2 + bx;
      const float want = iy < 0 ? 0.0f : x[static_cast<size_t>((iy * 6 + ix) * 2 + c)];
      EXPECT_EQ(r->out[static_cast<size_t>(((((by * 2 + bx) * 3 + y) * 3) + xx) * 2 + c)], want);
    }
  ExpectSameInTflite(*r, "s2b");
}

// Atrous convolution as TensorFlow writes it: SpaceToBatchND -> Conv2D
// (VALID) -> BatchToSpaceND with a 3x3 kernel and block 2. When paddings
// minus crops are SAME's (2 and 2 for the dilated kernel; TensorFlow pads
// further to a multiple of the block and crops that back) or VALID's, the
// three ops become one CONV_2D with dilation 2 (passes/tf_fuse_atrous); any
// other padding stays as three ops. Every form must compute the dilated
// convolution over the padded input.
struct AtrousCase {
  std::vector<int32_t> pads, crops;
  bool fused;
};

class TfOpsAtrous : public ::testing::TestWithParam<AtrousCase> {};

TEST_P(TfOpsAtrous, AtrousConvolutionIsTheDilatedConvolution) {
  const AtrousCase& ac = GetParam();
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 6, 6, 1});
  AddIntConst(g, "block", {2}, {2, 2});
  AddIntConst(g, "pads", {2, 2}, ac.pads);
  AddIntConst(g, "crops", {2, 2}, ac.crops);
  std::vector<float> w(9);
  for (size_t i = 0; i < 9; ++i) w[i] = static_cast<float>(i) - 4;
  AddFloatConst(g, "w", {3, 3, 1, 1}, w);
  SetType(AddNode(g, "s2b", "SpaceToBatchND", {"x", "block", "pads"}));
  tf::NodeDef* conv = AddNode(g, "conv", "Conv2D", {"s2b", "w"});
  SetType(conv);
  (*conv->mutable_attr())["padding"].set_s("VALID");
  testing::SetInts(conv, "strides", {1, 1, 1, 1});
  SetType(AddNode(g, "y", "BatchToSpaceND", {"conv", "block", "crops"}));
  const std::vector<float> x = Iota(36);
  auto r = RunGraph(g, x, {"y"}, "atrous.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  if (ac.fused) {
    EXPECT_EQ(r->ops, (std::map<std::string, int>{{"CONV_2D", 1}}));
  } else {
    EXPECT_EQ(r->ops.count("SPACE_TO_BATCH_ND"), 1u);
  }
  // Output rows / columns: the padded input less the dilated kernel, less
  // the crops; the window starts pads - crops before the input.
  const int before = ac.pads[0] - ac.crops[0];
  const int out = 6 + ac.pads[0] + ac.pads[1] - 4 - ac.crops[0] - ac.crops[1];
  ASSERT_EQ(r->shape, (std::vector<int32_t>{1, out, out, 1}));
  for (int y = 0; y < out; ++y) for (int xx = 0; xx < out; ++xx) {
    float want = 0;
    for (int ky = 0; ky < 3; ++ky) for (int kx = 0; kx < 3; ++kx) {
      const int iy = y - before + ky * 2, ix = xx - before + kx * 2;
      if (iy >= 0 && iy < 6 && ix >= 0 && ix < 6) want += x[static_cast<size_t>(iy * 6 + ix)] * w[static_cast<size_t>(ky * 3 + kx)];
    }
    EXPECT_FLOAT_EQ(r->out[static_cast<size_t>(y * out + xx)], want) << y << "," << xx;
  }
  ExpectSameInTflite(*r, "atrous");
}

INSTANTIATE_TEST_SUITE_P(
    Paddings, TfOpsAtrous,
    ::testing::Values(AtrousCase{{2, 2, 2, 2}, {0, 0, 0, 0}, true},    // SAME
                      AtrousCase{{2, 4, 2, 4}, {0, 2, 0, 2}, true},    // SAME, extra cropped
                      AtrousCase{{0, 0, 0, 0}, {0, 0, 0, 0}, true},    // VALID
                      AtrousCase{{2, 0, 2, 0}, {0, 0, 0, 0}, false}));  // neither

TEST(TfOpsRearrange, ReverseV2BroadcastToAndGatherNd) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {3, 4});
  AddIntConst(g, "axis", {1}, {1});
  AddIntConst(g, "shape", {3}, {2, 3, 4});
  AddIntConst(g, "idx", {2, 2}, {2, 1, 0, 3});  // x[2,1], x[0,3] after the reverse
  SetType(AddNode(g, "rev", "ReverseV2", {"x", "axis"}));
  SetType(AddNode(g, "bc", "BroadcastTo", {"rev", "shape"}));
  tf::NodeDef* gn = AddNode(g, "y", "GatherNd", {"rev", "idx"});
  (*gn->mutable_attr())["Tparams"].set_type(tf::DT_FLOAT);
  const std::vector<float> x = Iota(12);
  auto rev = [&](int i, int j) { return x[static_cast<size_t>(i * 4 + (3 - j))]; };
  auto r = RunGraph(g, x, {"y"}, "gather_nd.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->shape, (std::vector<int32_t>{2}));
  EXPECT_EQ(r->out[0], rev(2, 1));
  EXPECT_EQ(r->out[1], rev(0, 3));
  ExpectSameInTflite(*r, "gather_nd");
  auto b = RunGraph(g, x, {"bc"}, "broadcast_to.pb");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_EQ(b->shape, (std::vector<int32_t>{2, 3, 4}));
  for (int k = 0; k < 2; ++k) for (int i = 0; i < 3; ++i) for (int j = 0; j < 4; ++j) {
    EXPECT_EQ(b->out[static_cast<size_t>((k * 3 + i) * 4 + j)], rev(i, j));
  }
  ExpectSameInTflite(*b, "broadcast_to");
}

TEST(TfOpsRearrange, ConstantRangeFoldsAndAComputedOneIsRefused) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {4});
  AddFloatConst(g, "start", {}, {1});
  AddFloatConst(g, "limit", {}, {3});
  AddFloatConst(g, "delta", {}, {0.5f});
  SetType(AddNode(g, "range", "Range", {"start", "limit", "delta"}), "Tidx");
  SetType(AddNode(g, "y", "AddV2", {"x", "range"}));
  auto r = RunGraph(g, {10, 20, 30, 40}, {"y"}, "range.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ops, (std::map<std::string, int>{{"ADD", 1}}));
  EXPECT_EQ(r->out, (std::vector<float>{11, 21.5f, 32, 42.5f}));  // + 1, 1.5, 2, 2.5
  tf::GraphDef bad;
  AddPlaceholder(bad, "x", {});
  AddFloatConst(bad, "start", {}, {0});
  AddFloatConst(bad, "delta", {}, {1});
  SetType(AddNode(bad, "y", "Range", {"start", "x", "delta"}), "Tidx");
  auto e = RunGraph(bad, {3}, {"y"}, "range_bad.pb");
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("no static shape"), std::string::npos) << e.status().message();
}

TEST(TfOpsRearrange, SpaceToBatchNdWithAnUnevenPaddedSizeIsAnError) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 5, 6, 2});
  AddIntConst(g, "block", {2}, {2, 2});
  AddIntConst(g, "pads", {2, 2}, {0, 0, 0, 0});
  SetType(AddNode(g, "y", "SpaceToBatchND", {"x", "block", "pads"}));
  auto r = RunGraph(g, Iota(60), {"y"}, "s2b_bad.pb");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a multiple of the block"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace detlite
