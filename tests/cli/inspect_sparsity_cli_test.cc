// `detlite inspect --json` on the sparse BlazeFace: the zeros of every
// sparse constant, each convolution's skippable MACs and the summary agree
// with counts made here from the densified weights and the op shapes.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/cli_run.h"
#include "importers/tflite/tflite_reader.h"
#include "kernels/reference/densify.h"
#include "support/paths.h"

namespace detlite {
namespace {

TEST(InspectSparsityCliTest, CountsMatchTheDensifiedWeights) {
  const std::string path = testing::DataPath("tflite/face_detection_full_range_sparse.tflite");
  auto r = testing::RunCli({"inspect", path, "--json"}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  auto model = ReadTfliteFile(path);
  ASSERT_TRUE(model.ok());
  const ir::Subgraph& sg = model->subgraphs[0];
  // Zeros of each sparse constant: elements of the densified float16 tensor
  // whose value is +-0.
  std::map<std::string, int64_t> zeros_of;
  for (const ir::Tensor& t : sg.tensors) {
    if (!t.sparsity) continue;
    kernels::reference::DensifyPlan plan;
    ASSERT_TRUE(kernels::reference::PlanDensify(t.shape, *t.sparsity, &plan).ok());
    std::vector<uint16_t> dense(static_cast<size_t>(t.shape.NumElements()));
    kernels::reference::Densify(plan, *t.sparsity, t.data->data(), 2,
                                reinterpret_cast<uint8_t*>(dense.data()));
    int64_t z = 0;
    for (uint16_t h : dense) z += (h & 0x7fff) == 0;
    zeros_of[t.name] = z;
  }
  ASSERT_EQ(zeros_of.size(), 46u);
  int seen = 0;
  for (const auto& c : j["constant_sparsity"]) {
    auto it = zeros_of.find(c["name"].get<std::string>());
    if (it == zeros_of.end()) continue;
    ++seen;
    EXPECT_TRUE(c["stored_sparse"].get<bool>());
    EXPECT_EQ(c["zeros"].get<int64_t>(), it->second) << it->first;
    EXPECT_LT(c["stored_elements"].get<int64_t>(), c["elements"].get<int64_t>());
  }
  EXPECT_EQ(seen, 46);
  // Skippable MACs of a 1x1 convolution fed by a sparse weight: each zero
  // weight skips one product per output pixel.
  int64_t skippable = 0, macs = 0, weights = 0;
  int sparse_ops = 0;
  for (const auto& o : j["op_sparsity"]) {
    const auto& op = sg.ops[o["op_index"].get<size_t>()];
    const ir::Tensor& out = sg.tensors[static_cast<size_t>(op.outputs[0])];
    const ir::Tensor& w = sg.tensors[static_cast<size_t>(op.inputs[1])];
    const int64_t pixels = out.shape.NumElements() / out.shape.dim(out.shape.rank() - 1);
    int64_t expect_macs = 0;
    if (op.kind == ir::OpKind::kConv2D) expect_macs = pixels * w.shape.NumElements();
    if (op.kind == ir::OpKind::kDepthwiseConv2D) expect_macs = pixels * w.shape.NumElements();
    EXPECT_EQ(o["macs"].get<int64_t>(), expect_macs);
    auto it = zeros_of.find(o["weights"].get<std::string>());
    const int64_t zeros = it == zeros_of.end() ? o["zero_weights"].get<int64_t>() : it->second;
    if (it != zeros_of.end()) ++sparse_ops;
    EXPECT_EQ(o["skippable_macs"].get<int64_t>(), pixels * zeros);
    skippable += pixels * zeros;
    weights += w.shape.NumElements();
    macs += expect_macs;
  }
  EXPECT_EQ(sparse_ops, 46);
  EXPECT_EQ(j["sparsity"]["skippable_macs"].get<int64_t>(), skippable);
  EXPECT_EQ(j["sparsity"]["macs"].get<int64_t>(), macs);
  EXPECT_GT(skippable * 3, macs);  // about half the MACs (measured 50.2%)
  // The text summary line carries the same totals.
  auto text = testing::RunCli({"inspect", path}, 120);
  EXPECT_EQ(j["sparsity"]["weights"].get<int64_t>(), weights);
  EXPECT_NE(text.out.find("weights: " + std::to_string(weights) + ", zero: "), std::string::npos)
      << text.out;
}

}  // namespace
}  // namespace detlite
