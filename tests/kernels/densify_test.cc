// DENSIFY: hand-made CSR, CSC and block-sparse tensors (expected values
// measured in the real TFLite runtime), broken descriptions, and the sparse
// BlazeFace model's weights.
#include <cstdint>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "importers/tflite/tflite_reader.h"
#include "kernels/reference/densify.h"
#include "kernels/shape_op_harness.h"
#include "runtime/interpreter.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::OpHarness;
using Dim = SparsityParams::DimMetadata;

Dim Dense(int32_t size) {
  Dim d;
  d.dense_size = size;
  return d;
}

Dim Csr(std::vector<int32_t> segments, std::vector<int32_t> indices) {
  Dim d;
  d.sparse_csr = true;
  d.array_segments = std::move(segments);
  d.array_indices = std::move(indices);
  return d;
}

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

template <typename T>
StatusOr<std::vector<T>> RunDensify(DType dtype, Shape shape, const std::vector<T>& values,
                                    const SparsityParams& sp) {
  OpHarness t(ir::OpKind::kDensify);
  t.RawInput(dtype, shape, Bytes(values), /*constant=*/true, {}, sp);
  t.Output(dtype);
  RETURN_IF_ERROR(t.Run());
  if (t.OutputShape() != shape) return Internal("output shape " + t.OutputShape().ToString());
  return t.Out<T>();
}

TEST(DensifyTest, CsrRowMajor) {
  // [[1,0,2,0],[0,0,0,0],[0,3,0,4]]
  SparsityParams sp;
  sp.traversal_order = {0, 1};
  sp.dim_metadata = {Dense(3), Csr({0, 2, 2, 4}, {0, 2, 1, 3})};
  auto out = RunDensify<float>(DType::kFloat32, Shape({3, 4}), {1, 2, 3, 4}, sp);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, (std::vector<float>{1, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 4}));
}

TEST(DensifyTest, CsrColumnMajorTraversal) {
  SparsityParams sp;
  sp.traversal_order = {1, 0};
  sp.dim_metadata = {Dense(4), Csr({0, 1, 2, 3, 4}, {0, 2, 0, 2})};
  auto out = RunDensify<float>(DType::kFloat32, Shape({3, 4}), {1, 3, 2, 4}, sp);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, (std::vector<float>{1, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 4}));
}

TEST(DensifyTest, TwoByTwoBlocks) {
  // Block row 0 keeps block column 1, block row 1 keeps both.
  SparsityParams sp;
  sp.traversal_order = {0, 1, 2, 3};
  sp.block_map = {0, 1};
  sp.dim_metadata = {Dense(2), Csr({0, 1, 3}, {1, 0, 1}), Dense(2), Dense(2)};
  std::vector<float> values;
  for (int i = 1; i <= 12; ++i) values.push_back(static_cast<float>(i));
  auto out = RunDensify<float>(DType::kFloat32, Shape({4, 4}), values, sp);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, (std::vector<float>{0, 0, 1, 2, 0, 0, 3, 4, 5, 6, 9, 10, 7, 8, 11, 12}));
}

TEST(DensifyTest, BlocksTraversedColumnFirstInt8) {
  SparsityParams sp;
  sp.traversal_order = {0, 1, 3, 2};
  sp.block_map = {0, 1};
  sp.dim_metadata = {Dense(2), Csr({0, 1, 3}, {1, 0, 1}), Dense(2), Dense(2)};
  std::vector<int8_t> values;
  for (int i = 1; i <= 12; ++i) values.push_back(static_cast<int8_t>(i));
  auto out = RunDensify<int8_t>(DType::kInt8, Shape({4, 4}), values, sp);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, (std::vector<int8_t>{0, 0, 1, 3, 0, 0, 2, 4, 5, 7, 9, 11, 6, 8, 10, 12}));
}

TEST(DensifyTest, OneByFourBlocksFloat16) {
  SparsityParams sp;
  sp.traversal_order = {0, 1, 2};
  sp.block_map = {1};
  sp.dim_metadata = {Dense(2), Csr({0, 1, 2}, {1, 0}), Dense(4)};
  std::vector<uint16_t> values = {0x3C00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600, 0x4700, 0x4800};
  auto out = RunDensify<uint16_t>(DType::kFloat16, Shape({2, 8}), values, sp);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, (std::vector<uint16_t>{0, 0, 0, 0, 0x3C00, 0x4000, 0x4200, 0x4400,
                                         0x4500, 0x4600, 0x4700, 0x4800, 0, 0, 0, 0}));
}

TEST(DensifyTest, RejectsBrokenDescriptions) {
  SparsityParams good;
  good.traversal_order = {0, 1};
  good.dim_metadata = {Dense(3), Csr({0, 2, 2, 4}, {0, 2, 1, 3})};
  const std::vector<float> values = {1, 2, 3, 4};
  ASSERT_TRUE(RunDensify<float>(DType::kFloat32, Shape({3, 4}), values, good).ok());

  auto broken = [&](auto edit) {
    SparsityParams sp = good;
    edit(sp);
    return RunDensify<float>(DType::kFloat32, Shape({3, 4}), values, sp).ok();
  };
  EXPECT_FALSE(broken([](SparsityParams& s) { s.dim_metadata[1].array_indices[3] = 4; }));
  EXPECT_FALSE(broken([](SparsityParams& s) { s.dim_metadata[1].array_segments = {0, 2, 4}; }));
  EXPECT_FALSE(broken([](SparsityParams& s) { s.dim_metadata[1].array_segments = {0, 3, 2, 4}; }));
  EXPECT_FALSE(broken([](SparsityParams& s) { s.dim_metadata[0].dense_size = 4; }));
  EXPECT_FALSE(broken([](SparsityParams& s) { s.traversal_order = {0, 0}; }));
  EXPECT_FALSE(broken([](SparsityParams& s) { s.dim_metadata.pop_back(); }));
  EXPECT_FALSE(broken([](SparsityParams& s) { s.block_map = {5}; }));
  // Too few stored values for what the indices describe.
  EXPECT_FALSE(RunDensify<float>(DType::kFloat32, Shape({3, 4}), {1, 2, 3}, good).ok());

  // A runtime (non-constant) input cannot be densified.
  OpHarness t(ir::OpKind::kDensify);
  t.RawInput(DType::kFloat32, Shape({3, 4}), Bytes(values), /*constant=*/false, {}, good);
  t.Output(DType::kFloat32);
  EXPECT_FALSE(t.Prepare().ok());
}

// The sparse BlazeFace model: every DENSIFY expands its fp16 weights so the
// stored values land at the positions the CSR indices name (checked against
// a direct expansion of its simple layout: dense leading dims, CSR last).
TEST(DensifyTest, SparseBlazeFaceWeights) {
  auto model = ReadTfliteFile(testing::DataPath("tflite/face_detection_full_range_sparse.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  runtime::InterpreterOptions opts;
  opts.preserve_all_tensors = true;
  auto interp = runtime::Interpreter::Create(*model, opts);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  const ir::Subgraph& sg = model->subgraphs[0];
  std::vector<float> input(static_cast<size_t>((*interp)->input(0).NumElements()), 0.5f);
  ASSERT_TRUE((*interp)->SetInput(0, input.data(), input.size() * 4).ok());
  ASSERT_TRUE((*interp)->Invoke().ok());
  int checked = 0;
  for (const ir::Operator& op : sg.ops) {
    if (op.kind != ir::OpKind::kDensify) continue;
    const ir::Tensor& in = sg.tensors[static_cast<size_t>(op.inputs[0])];
    ASSERT_TRUE(in.sparsity.has_value());
    const SparsityParams& sp = *in.sparsity;
    const Dim& last = sp.dim_metadata.back();
    ASSERT_TRUE(last.sparse_csr);
    const int32_t row = in.shape.dim(in.shape.rank() - 1);
    std::vector<uint16_t> expected(static_cast<size_t>(in.shape.NumElements()), 0);
    const auto* stored = reinterpret_cast<const uint16_t*>(in.data->data());
    for (size_t p = 0; p + 1 < last.array_segments.size(); ++p) {
      for (int32_t j = last.array_segments[p]; j < last.array_segments[p + 1]; ++j) {
        expected[p * static_cast<size_t>(row) + static_cast<size_t>(last.array_indices[static_cast<size_t>(j)])] =
            stored[j];
      }
    }
    const runtime::TensorRef& out = (*interp)->tensor(op.outputs[0]);
    ASSERT_EQ(out.bytes, expected.size() * 2);
    EXPECT_EQ(std::memcmp(out.data, expected.data(), out.bytes), 0) << in.name;
    ++checked;
  }
  EXPECT_EQ(checked, 46);
}

}  // namespace
}  // namespace detlite
