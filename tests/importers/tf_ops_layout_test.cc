// TensorFlow ops whose layout TFLite spells differently: NCHW convolution,
// bias and pooling (transposed around the NHWC builtin), MatMul with
// transposed operands, DepthToSpace / SpaceToDepth. Each runs through
// detlite and is compared with the op's definition computed here, and the
// written model with the real TFLite runtime.
#include <gtest/gtest.h>

#include "tf_graph_builder.h"
#include "tf_op_runner.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddNode;
using testing::AddPlaceholder;
using testing::RunGraph;
using testing::SetInts;
using testing::SetType;

void SetString(tf::NodeDef* n, const char* attr, const char* v) { (*n->mutable_attr())[attr].set_s(v); }

std::vector<float> Ramp(size_t n, float scale) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = (static_cast<float>((i * 7) % 13) - 6.0f) * scale;
  return v;
}

void ExpectNear(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5f) << i;
}

void ExpectSameInRealTflite(const testing::OpRun& r) {
  bool skipped = false;
  EXPECT_TRUE(testing::SameInRealTflite(r, &skipped));
}

// x [1, C=2, 5, 5] NCHW, filter 3x3x2x4 HWIO, strides [1,1,2,2], SAME,
// then BiasAdd NCHW: out[c][y][x] = b[c] + sum w[i][j][ci][c] * x[ci][2y+i-1][2x+j-1].
TEST(TfOpsLayout, Conv2DAndBiasAddNchw) {
  const int C = 2, H = 5, W = 5, O = 4, OH = 3, OW = 3;
  const std::vector<float> x = Ramp(C * H * W, 0.5f), w = Ramp(3 * 3 * C * O, 0.25f);
  const std::vector<float> b = {0.5f, -1, 2, 0.125f};
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, C, H, W});
  AddFloatConst(g, "w", {3, 3, C, O}, w);
  AddFloatConst(g, "b", {O}, b);
  tf::NodeDef* conv = AddNode(g, "conv", "Conv2D", {"x", "w"});
  SetType(conv);
  SetString(conv, "data_format", "NCHW");
  SetString(conv, "padding", "SAME");
  SetInts(conv, "strides", {1, 1, 2, 2});
  tf::NodeDef* bias = AddNode(g, "y", "BiasAdd", {"conv", "b"});
  SetType(bias);
  SetString(bias, "data_format", "NCHW");
  auto r = RunGraph(g, x, {"y"}, "conv_nchw.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shape, (std::vector<int32_t>{1, O, OH, OW}));
  std::vector<float> want(static_cast<size_t>(O * OH * OW));
  for (int c = 0; c < O; ++c) {
    for (int oy = 0; oy < OH; ++oy) {
      for (int ox = 0; ox < OW; ++ox) {
        float s = b[static_cast<size_t>(c)];
        for (int i = 0; i < 3; ++i) {
          for (int j = 0; j < 3; ++j) {
            const int iy = oy * 2 + i - 1, ix = ox * 2 + j - 1;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            for (int ci = 0; ci < C; ++ci) {
              s += w[static_cast<size_t>(((i * 3 + j) * C + ci) * O + c)] *
                   x[static_cast<size_t>((ci * H + iy) * W + ix)];
            }
          }
        }
        want[static_cast<size_t>((c * OH + oy) * OW + ox)] = s;
      }
    }
  }
  ExpectNear(r->out, want);
  ExpectSameInRealTflite(*r);
}

TEST(TfOpsLayout, MaxPoolNchw) {
  const std::vector<float> x = Ramp(2 * 4 * 4, 1.0f);
  tf::GraphDef g;
  AddPlaceholder(g, "x", {1, 2, 4, 4});
  tf::NodeDef* p = AddNode(g, "y", "MaxPool", {"x"});
  SetType(p);
  SetString(p, "data_format", "NCHW");
  SetString(p, "padding", "VALID");
  SetInts(p, "ksize", {1, 1, 2, 2});
  SetInts(p, "strides", {1, 1, 2, 2});
  auto r = RunGraph(g, x, {"y"}, "pool_nchw.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shape, (std::vector<int32_t>{1, 2, 2, 2}));
  std::vector<float> want;
  for (int c = 0; c < 2; ++c) {
    for (int oy = 0; oy < 2; ++oy) {
      for (int ox = 0; ox < 2; ++ox) {
        float m = -1e30f;
        for (int i = 0; i < 2; ++i) {
          for (int j = 0; j < 2; ++j) m = std::max(m, x[static_cast<size_t>((c * 4 + oy * 2 + i) * 4 + ox * 2 + j)]);
        }
        want.push_back(m);
      }
    }
  }
  EXPECT_EQ(r->out, want);
  ExpectSameInRealTflite(*r);
}

// y = op(a) x op(b) for a [3, 2] read transposed and b [4, 3] read transposed.
TEST(TfOpsLayout, MatMulTransposeAAndB) {
  const std::vector<float> a = Ramp(6, 0.5f), b = Ramp(12, 0.25f);
  tf::GraphDef g;
  AddPlaceholder(g, "a", {3, 2});
  AddFloatConst(g, "b", {4, 3}, b);
  tf::NodeDef* m = AddNode(g, "y", "MatMul", {"a", "b"});
  SetType(m);
  (*m->mutable_attr())["transpose_a"].set_b(true);
  (*m->mutable_attr())["transpose_b"].set_b(true);
  auto r = RunGraph(g, a, {"y"}, "matmul_t.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shape, (std::vector<int32_t>{2, 4}));
  std::vector<float> want;
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 4; ++j) {
      float s = 0;
      for (int k = 0; k < 3; ++k) s += a[static_cast<size_t>(k * 2 + i)] * b[static_cast<size_t>(j * 3 + k)];
      want.push_back(s);
    }
  }
  ExpectNear(r->out, want);
  ExpectSameInRealTflite(*r);
}

// DepthToSpace then SpaceToDepth with block 2: [1,2,2,8] -> [1,4,4,2] -> back.
TEST(TfOpsLayout, DepthToSpaceAndBack) {
  const std::vector<float> x = Ramp(32, 1.0f);
  for (const bool round_trip : {false, true}) {
    tf::GraphDef g;
    AddPlaceholder(g, "x", {1, 2, 2, 8});
    tf::NodeDef* d = AddNode(g, "d2s", "DepthToSpace", {"x"});
    SetType(d);
    (*d->mutable_attr())["block_size"].set_i(2);
    if (round_trip) {
      tf::NodeDef* s = AddNode(g, "s2d", "SpaceToDepth", {"d2s"});
      SetType(s);
      (*s->mutable_attr())["block_size"].set_i(2);
    }
    auto r = RunGraph(g, x, {round_trip ? "s2d" : "d2s"}, round_trip ? "s2d.pb" : "d2s.pb");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    if (round_trip) {
      EXPECT_EQ(r->out, x);
      continue;
    }
    // out[y][x][c] = in[y/2][x/2][((y%2)*2 + x%2)*2 + c]
    std::vector<float> want;
    for (int y = 0; y < 4; ++y) {
      for (int xx = 0; xx < 4; ++xx) {
        for (int c = 0; c < 2; ++c) {
          want.push_back(x[static_cast<size_t>(((y / 2) * 2 + xx / 2) * 8 + ((y % 2) * 2 + xx % 2) * 2 + c)]);
        }
      }
    }
    EXPECT_EQ(r->out, want);
    ExpectSameInRealTflite(*r);
  }
}

// Conv2DBackpropInput, stride 2, VALID: every input pixel scatters its
// filter-weighted values into a 2x2 block of a [1, 6, 6, 3] output
// (out[2y+i][2x+j][o] += x[y][x][c] * w[i][j][o][c], filter 2x2).
TEST(TfOpsLayout, Conv2DBackpropInputIsTransposeConv) {
  const int H = 3, W = 3, C = 2, O = 3;
  const std::vector<float> x = Ramp(H * W * C, 0.5f), w = Ramp(2 * 2 * O * C, 0.25f);
  tf::GraphDef g;
  testing::AddIntConst(g, "sizes", {4}, {1, 2 * H, 2 * W, O});
  AddFloatConst(g, "w", {2, 2, O, C}, w);
  AddPlaceholder(g, "x", {1, H, W, C});
  tf::NodeDef* t = AddNode(g, "y", "Conv2DBackpropInput", {"sizes", "w", "x"});
  SetType(t);
  SetString(t, "padding", "VALID");
  SetInts(t, "strides", {1, 2, 2, 1});
  auto r = RunGraph(g, x, {"y"}, "deconv.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shape, (std::vector<int32_t>{1, 2 * H, 2 * W, O}));
  std::vector<float> want(static_cast<size_t>(4 * H * W * O), 0.0f);
  for (int y = 0; y < H; ++y) {
    for (int xx = 0; xx < W; ++xx) {
      for (int i = 0; i < 2; ++i) {
        for (int j = 0; j < 2; ++j) {
          for (int o = 0; o < O; ++o) {
            for (int c = 0; c < C; ++c) {
              want[static_cast<size_t>(((2 * y + i) * 2 * W + 2 * xx + j) * O + o)] +=
                  x[static_cast<size_t>((y * W + xx) * C + c)] * w[static_cast<size_t>(((i * 2 + j) * O + o) * C + c)];
            }
          }
        }
      }
    }
  }
  ExpectNear(r->out, want);
  ExpectSameInRealTflite(*r);
}

// Concat (v1, axis first) joins like ConcatV2.
TEST(TfOpsLayout, ConcatV1AxisFirst) {
  const std::vector<float> x = {1, 2, 3, 4};
  tf::GraphDef g;
  testing::AddIntConst(g, "axis", {}, {1});
  AddPlaceholder(g, "x", {2, 2});
  AddFloatConst(g, "c", {2, 1}, {9, 8});
  tf::NodeDef* c = AddNode(g, "y", "Concat", {"axis", "x", "c"});
  SetType(c);
  (*c->mutable_attr())["N"].set_i(2);
  auto r = RunGraph(g, x, {"y"}, "concat_v1.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shape, (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(r->out, (std::vector<float>{1, 2, 9, 3, 4, 8}));
}

}  // namespace
}  // namespace detlite
