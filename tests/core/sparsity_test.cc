// EncodeSparse is DENSIFY's inverse: random tensors in plain CSR and block
// layouts come back unchanged through the reference Densify, and every
// sparse weight of the real sparse BlazeFace model re-encodes to exactly the
// arrays (and array widths) TFLite's converter wrote.
#include "core/sparsity.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "importers/tflite/tflite_reader.h"
#include "kernels/reference/densify.h"
#include "support/paths.h"

namespace detlite {
namespace {

namespace ref = kernels::reference;

std::vector<uint8_t> Densified(const Shape& shape, const SparsityParams& sp,
                               const std::vector<uint8_t>& values, size_t elem) {
  ref::DensifyPlan plan;
  Status s = ref::PlanDensify(shape, sp, &plan);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(static_cast<size_t>(plan.stored_values) * elem, values.size());
  std::vector<uint8_t> dense(static_cast<size_t>(shape.NumElements()) * elem);
  ref::Densify(plan, sp, values.data(), elem, dense.data());
  return dense;
}

TEST(SparsityTest, RandomTensorsRoundTripThroughDensify) {
  std::mt19937 rng(7);
  struct Case {
    Shape shape;
    SparseLayout layout;
  };
  const std::vector<Case> cases = {
      {Shape{16, 1, 1, 24}, PlainCsrLayout(4)},
      {Shape{8, 3, 3, 12}, PlainCsrLayout(4)},
      {Shape{12, 40}, PlainCsrLayout(2)},
      {Shape{8, 1, 1, 16}, BlockCsrLayout(4, 3, 4)},
      {Shape{8, 3, 3, 4}, BlockCsrLayout(4, 0, 4)},
      {Shape{12, 300}, BlockCsrLayout(2, 1, 4)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.shape.ToString());
    for (float zero_share : {0.0f, 0.5f, 0.9f, 1.0f}) {
      std::bernoulli_distribution zero(zero_share);
      std::vector<float> v(static_cast<size_t>(c.shape.NumElements()));
      for (size_t i = 0; i < v.size(); ++i) v[i] = zero(rng) ? 0.0f : static_cast<float>(i + 1);
      std::vector<uint8_t> bytes(v.size() * 4);
      std::memcpy(bytes.data(), v.data(), bytes.size());
      auto enc = EncodeSparse(c.shape, c.layout, bytes.data(), 4);
      ASSERT_TRUE(enc.ok()) << enc.status().ToString();
      EXPECT_EQ(Densified(c.shape, enc->params, enc->values, 4), bytes);
      if (zero_share == 1.0f && c.layout.block_map.empty()) {
        EXPECT_TRUE(enc->values.empty());
      }
      if (zero_share == 0.0f) {
        EXPECT_EQ(enc->values.size(), bytes.size());
      }
    }
  }
}

TEST(SparsityTest, BlocksAreStoredWhole) {
  // Blocks of 4 along the last dimension: one nonzero stores its block of 4.
  std::vector<float> v(2 * 8, 0.0f);
  v[5] = 1.0f;
  std::vector<uint8_t> bytes(v.size() * 4);
  std::memcpy(bytes.data(), v.data(), bytes.size());
  auto enc = EncodeSparse(Shape{2, 8}, BlockCsrLayout(2, 1, 4), bytes.data(), 4);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(enc->values.size(), 4u * 4u);
  ASSERT_EQ(enc->params.dim_metadata.size(), 3u);
  EXPECT_EQ(enc->params.dim_metadata[1].array_indices, std::vector<int32_t>{1});
  EXPECT_EQ(enc->params.dim_metadata[1].array_segments, (std::vector<int32_t>{0, 1, 1}));
}

TEST(SparsityTest, RefusesABlockThatDoesNotDivide) {
  std::vector<uint8_t> bytes(6 * 4, 0);
  auto enc = EncodeSparse(Shape{1, 6}, BlockCsrLayout(2, 1, 4), bytes.data(), 4);
  ASSERT_FALSE(enc.ok());
  EXPECT_NE(enc.status().message().find("does not divide"), std::string::npos);
}

TEST(SparsityTest, ReencodesTheSparseBlazeFaceWeightsExactly) {
  auto model = ReadTfliteFile(testing::DataPath("tflite/face_detection_full_range_sparse.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  int checked = 0;
  for (const ir::Tensor& t : model->subgraphs[0].tensors) {
    if (!t.sparsity) continue;
    SCOPED_TRACE(t.name);
    const size_t elem = DTypeSize(t.dtype);
    const std::vector<uint8_t> dense = Densified(t.shape, *t.sparsity, *t.data, elem);
    auto enc = EncodeSparse(t.shape, LayoutOf(*t.sparsity), dense.data(), elem);
    ASSERT_TRUE(enc.ok()) << enc.status().ToString();
    EXPECT_EQ(enc->params, *t.sparsity);
    EXPECT_EQ(enc->values, *t.data);
    ++checked;
  }
  EXPECT_EQ(checked, 46);
}

}  // namespace
}  // namespace detlite
