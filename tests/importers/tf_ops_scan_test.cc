// The op audit's scans, segment reductions, scatters and diagonals (issue
// 10): Cumsum, Bucketize, ScatterNd, SegmentSum, UnsortedSegment*,
// MatrixDiag and MatrixSetDiag, each from a GraphDef built here, checked
// against the op's definition and run by the real TFLite runtime to the same
// bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
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

std::vector<float> Values(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>((i * 7) % 11) * 0.25f - 1.1f;
  return v;
}

TEST(TfOpsScan, CumsumPlainAndExclusiveReverse) {
  const std::vector<float> x = Values(12);  // [3, 4], summed along axis 1
  for (bool special : {false, true}) {
    tf::GraphDef g;
    AddPlaceholder(g, "x", {3, 4});
    AddIntConst(g, "axis", {}, {1});
    tf::NodeDef* n = AddNode(g, "y", "Cumsum", {"x", "axis"});
    SetType(n);
    (*n->mutable_attr())["exclusive"].set_b(special);
    (*n->mutable_attr())["reverse"].set_b(special);
    auto r = RunGraph(g, x, {"y"}, special ? "cumsum_er.pb" : "cumsum.pb");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->shape, (std::vector<int32_t>{3, 4}));
    for (int i = 0; i < 3; ++i) {
      float acc = 0;
      for (int s = 0; s < 4; ++s) {
        const int j = special ? 3 - s : s;
        const float v = x[static_cast<size_t>(i * 4 + j)];
        if (!special) acc += v;
        EXPECT_EQ(r->out[static_cast<size_t>(i * 4 + j)], acc) << i << "," << j;
        if (special) acc += v;
      }
    }
    ExpectSameInTflite(*r, special ? "cumsum exclusive reverse" : "cumsum");
  }
}

TEST(TfOpsScan, BucketizeCountsTheBoundariesAtOrBelow) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {12});
  tf::NodeDef* n = AddNode(g, "y", "Bucketize", {"x"});
  SetType(n);
  const std::vector<float> bounds = {-1.0f, -0.35f, 0.5f, 1.4f};
  for (float b : bounds) (*n->mutable_attr())["boundaries"].mutable_list()->add_f(b);
  const std::vector<float> x = Values(12);
  auto r = RunGraph(g, x, {"y"}, "bucketize.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ops, (std::map<std::string, int>{{"BUCKETIZE", 1}}));
  ASSERT_EQ(r->out.size(), 12u);
  int distinct = 0;
  for (size_t i = 0; i < 12; ++i) {
    const auto want = std::count_if(bounds.begin(), bounds.end(), [&](float b) { return b <= x[i]; });
    EXPECT_EQ(r->out[i], static_cast<float>(want)) << x[i];
    distinct |= 1 << static_cast<int>(want);
  }
  EXPECT_GE(__builtin_popcount(distinct), 4);  // the values fall in several buckets
  ExpectSameInTflite(*r, "bucketize");
}

TEST(TfOpsScan, ScatterNdAddsDuplicatesIntoZeros) {
  tf::GraphDef g;
  AddPlaceholder(g, "u", {3, 4});
  AddIntConst(g, "idx", {3, 1}, {1, 3, 1});
  AddIntConst(g, "shape", {2}, {5, 4});
  tf::NodeDef* n = AddNode(g, "y", "ScatterNd", {"idx", "u", "shape"});
  SetType(n);
  const std::vector<float> u = Values(12);
  auto r = RunGraph(g, u, {"y"}, "scatter_nd.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->shape, (std::vector<int32_t>{5, 4}));
  for (int row = 0; row < 5; ++row) for (int c = 0; c < 4; ++c) {
    float want = 0;
    if (row == 1) want = u[static_cast<size_t>(c)] + u[static_cast<size_t>(8 + c)];
    if (row == 3) want = u[static_cast<size_t>(4 + c)];
    EXPECT_EQ(r->out[static_cast<size_t>(row * 4 + c)], want) << row << "," << c;
  }
  ExpectSameInTflite(*r, "scatter_nd");
}

// TFLite's SEGMENT_SUM takes ids 0, then steps of 0 or 1; TensorFlow also
// allows gaps (zero rows), which become UNSORTED_SEGMENT_SUM.
TEST(TfOpsScan, SegmentSumWithAndWithoutSkippedSegments) {
  for (bool gap : {false, true}) {
    tf::GraphDef g;
    AddPlaceholder(g, "x", {4, 3});
    AddIntConst(g, "ids", {4}, gap ? std::vector<int32_t>{0, 0, 2, 2} : std::vector<int32_t>{0, 0, 1, 1});
    SetType(AddNode(g, "y", "SegmentSum", {"x", "ids"}));
    const std::vector<float> x = Values(12);
    auto r = RunGraph(g, x, {"y"}, gap ? "segment_gap.pb" : "segment_sum.pb");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->ops.count(gap ? "UNSORTED_SEGMENT_SUM" : "SEGMENT_SUM"), 1u);
    const int last = gap ? 2 : 1;
    ASSERT_EQ(r->shape, (std::vector<int32_t>{last + 1, 3}));
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(r->out[static_cast<size_t>(c)], x[static_cast<size_t>(c)] + x[static_cast<size_t>(3 + c)]);
      if (gap) {
        EXPECT_EQ(r->out[static_cast<size_t>(3 + c)], 0.0f);
      }
      EXPECT_EQ(r->out[static_cast<size_t>(last * 3 + c)],
                x[static_cast<size_t>(6 + c)] + x[static_cast<size_t>(9 + c)]);
    }
    ExpectSameInTflite(*r, gap ? "segment_sum with a gap" : "segment_sum");
  }
}

class TfOpsUnsortedSegment : public ::testing::TestWithParam<std::string> {};

// Rows of x [6, 2] go to segments {2, 0, 2, 1, 0, 2}; segment 3 gets none
// and holds the reduction's identity.
TEST_P(TfOpsUnsortedSegment, ReducesRowsBySegmentId) {
  const std::string op = GetParam();
  tf::GraphDef g;
  AddPlaceholder(g, "x", {6, 2});
  const std::vector<int32_t> ids = {2, 0, 2, 1, 0, 2};
  AddIntConst(g, "ids", {6}, ids);
  AddIntConst(g, "n", {}, {4});
  SetType(AddNode(g, "y", op, {"x", "ids", "n"}));
  const std::vector<float> x = Values(12);
  auto r = RunGraph(g, x, {"y"}, op + ".pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->shape, (std::vector<int32_t>{4, 2}));
  for (int s = 0; s < 4; ++s) for (int c = 0; c < 2; ++c) {
    float want = op == "UnsortedSegmentSum" ? 0.0f
                 : op == "UnsortedSegmentProd" ? 1.0f
                 : op == "UnsortedSegmentMax" ? std::numeric_limits<float>::lowest()
                                              : std::numeric_limits<float>::max();
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] != s) continue;
      const float v = x[i * 2 + static_cast<size_t>(c)];
      if (op == "UnsortedSegmentSum") want += v;
      if (op == "UnsortedSegmentProd") want *= v;
      if (op == "UnsortedSegmentMax") want = std::max(want, v);
      if (op == "UnsortedSegmentMin") want = std::min(want, v);
    }
    EXPECT_EQ(r->out[static_cast<size_t>(s * 2 + c)], want) << op << " " << s << "," << c;
  }
  ExpectSameInTflite(*r, op);
}

INSTANTIATE_TEST_SUITE_P(Reductions, TfOpsUnsortedSegment,
                         ::testing::Values("UnsortedSegmentSum", "UnsortedSegmentProd",
                                           "UnsortedSegmentMax", "UnsortedSegmentMin"));

TEST(TfOpsScan, MatrixDiagV1AndV3OnTheMainDiagonal) {
  const std::vector<float> x = Values(6);  // [2, 3]
  for (const char* op : {"MatrixDiag", "MatrixDiagV3"}) {
    tf::GraphDef g;
    AddPlaceholder(g, "x", {2, 3});
    std::vector<std::string> in = {"x"};
    if (std::string(op) == "MatrixDiagV3") {
      AddIntConst(g, "k", {}, {0});
      AddIntConst(g, "rows", {}, {-1});
      AddIntConst(g, "cols", {}, {-1});
      AddFloatConst(g, "pad", {}, {0.0f});
      in = {"x", "k", "rows", "cols", "pad"};
    }
    SetType(AddNode(g, "y", op, in));
    auto r = RunGraph(g, x, {"y"}, std::string(op) + ".pb");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->shape, (std::vector<int32_t>{2, 3, 3}));
    for (int b = 0; b < 2; ++b) for (int i = 0; i < 3; ++i) for (int j = 0; j < 3; ++j) {
      const float want = i == j ? x[static_cast<size_t>(b * 3 + i)] : 0.0f;
      EXPECT_EQ(r->out[static_cast<size_t>((b * 3 + i) * 3 + j)], want);
    }
    ExpectSameInTflite(*r, op);
  }
}

TEST(TfOpsScan, MatrixSetDiagReplacesTheDiagonal) {
  tf::GraphDef g;
  AddPlaceholder(g, "x", {2, 3, 4});
  AddFloatConst(g, "d", {2, 3}, {10, 11, 12, 13, 14, 15});
  SetType(AddNode(g, "y", "MatrixSetDiag", {"x", "d"}));
  const std::vector<float> x = Values(24);
  auto r = RunGraph(g, x, {"y"}, "matrix_set_diag.pb");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->shape, (std::vector<int32_t>{2, 3, 4}));
  for (int b = 0; b < 2; ++b) for (int i = 0; i < 3; ++i) for (int j = 0; j < 4; ++j) {
    const size_t at = static_cast<size_t>((b * 3 + i) * 4 + j);
    EXPECT_EQ(r->out[at], i == j ? static_cast<float>(10 + b * 3 + i) : x[at]);
  }
  ExpectSameInTflite(*r, "matrix_set_diag");
}

TEST(TfOpsScan, WhatTfliteCannotComputeIsRefusedNamingTheNode) {
  struct Case {
    std::string op, why;
  };
  {
    tf::GraphDef g;  // an off-diagonal band
    AddPlaceholder(g, "x", {2, 3});
    AddIntConst(g, "k", {}, {1});
    AddIntConst(g, "rows", {}, {-1});
    AddIntConst(g, "cols", {}, {-1});
    AddFloatConst(g, "pad", {}, {0.0f});
    SetType(AddNode(g, "band", "MatrixDiagV2", {"x", "k", "rows", "cols", "pad"}));
    auto r = RunGraph(g, Values(6), {"band"}, "band.pb");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("band"), std::string::npos) << r.status().ToString();
    EXPECT_NE(r.status().message().find("main diagonal"), std::string::npos) << r.status().ToString();
  }
  {
    tf::GraphDef g;  // ids that are not ascending
    AddPlaceholder(g, "x", {3, 2});
    AddIntConst(g, "ids", {3}, {1, 0, 2});
    SetType(AddNode(g, "seg", "SegmentSum", {"x", "ids"}));
    auto r = RunGraph(g, Values(6), {"seg"}, "seg_unsorted.pb");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("ascending"), std::string::npos) << r.status().ToString();
  }
  {
    tf::GraphDef g;  // a scatter index beyond the shape
    AddPlaceholder(g, "u", {1, 2});
    AddIntConst(g, "idx", {1, 1}, {7});
    AddIntConst(g, "shape", {2}, {3, 2});
    SetType(AddNode(g, "sc", "ScatterNd", {"idx", "u", "shape"}));
    auto r = RunGraph(g, Values(2), {"sc"}, "scatter_bad.pb");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("out of range"), std::string::npos) << r.status().ToString();
  }
}

}  // namespace
}  // namespace detlite
