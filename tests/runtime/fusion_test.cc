// Prepare-time fusion (runtime/fusion.h) on the real BlazeFace and palm
// models: the residual ADDs, channel PADs and activations after their float
// convs are folded in, the outputs are bit for bit those of the unfused ops
// on every instruction set level, and the arena does not grow.
#include "runtime/fusion.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "importers/tflite/tflite_reader.h"
#include "kernels/optimized/cpu.h"
#include "runtime/interpreter.h"
#include "support/paths.h"

namespace detlite::runtime {
namespace {

namespace opt = kernels::optimized;

struct Result {
  std::vector<std::vector<uint8_t>> outputs;
  int fused = 0;
  size_t arena = 0;
  int skipped = 0;
  int labelled = 0;  // ops whose AbsorbedOps names an ADD
};

Result RunModel(const ir::Model& model, const std::vector<float>& input, bool fuse,
                int threads = 1) {
  InterpreterOptions o;
  o.fuse_ops = fuse;
  o.num_threads = threads;
  auto interp = Interpreter::Create(model, o);
  EXPECT_TRUE(interp.ok()) << interp.status().ToString();
  Result r;
  if (!interp.ok()) return r;
  Interpreter& in = **interp;
  EXPECT_TRUE(in.SetInput(0, input.data(), input.size() * sizeof(float)).ok());
  EXPECT_TRUE(in.Invoke().ok());
  for (int i = 0; i < in.num_outputs(); ++i) {
    const TensorRef& t = in.output(i);
    r.outputs.emplace_back(t.data, t.data + t.bytes);
  }
  r.fused = in.fused_ops();
  r.arena = in.arena_bytes();
  for (int i = 0; i < static_cast<int>(in.subgraph().ops.size()); ++i) {
    r.skipped += in.IsFusedAway(i) ? 1 : 0;
    r.labelled += in.AbsorbedOps(i).find("+ADD") != std::string::npos ? 1 : 0;
  }
  return r;
}

class FusionOnRealModels
    : public ::testing::TestWithParam<std::pair<const char*, int>> {};

TEST_P(FusionOnRealModels, SameOutputsAsUnfusedOnEveryIsa) {
  const auto [name, min_fused] = GetParam();
  auto model = ReadTfliteFile(
      testing::DataPath(std::string("tflite/") + name + ".tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ir::Subgraph& sg = model->subgraphs[0];
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  std::vector<float> input(static_cast<size_t>(in.shape.NumElements()));
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  for (float& v : input) v = d(rng);
  for (opt::Isa isa : opt::SupportedIsas()) {
    opt::ScopedIsa scope(isa);
    SCOPED_TRACE(std::string(name) + " at " + opt::IsaName(isa));
    const Result fused = RunModel(*model, input, true);
    const Result plain = RunModel(*model, input, false);
    // Threads split the fused convs across channel slices too
    // (gemm_partition.h): still the same bits.
    const Result threaded = RunModel(*model, input, true, 2);
    // Every fused residual conv is named with what it absorbed.
    EXPECT_GT(fused.labelled, 0);
    EXPECT_LE(fused.labelled, fused.fused);
    EXPECT_EQ(plain.labelled, 0);
    ASSERT_EQ(threaded.outputs.size(), plain.outputs.size());
    for (size_t i = 0; i < plain.outputs.size(); ++i) {
      EXPECT_TRUE(threaded.outputs[i] == plain.outputs[i]) << "threaded output " << i;
    }
    EXPECT_GE(fused.fused, min_fused);
    EXPECT_GE(fused.skipped, fused.fused);  // at least the ADD per conv
    EXPECT_EQ(plain.fused, 0);
    EXPECT_LE(fused.arena, plain.arena);
    ASSERT_EQ(fused.outputs.size(), plain.outputs.size());
    for (size_t i = 0; i < fused.outputs.size(); ++i) {
      EXPECT_TRUE(fused.outputs[i] == plain.outputs[i]) << "output " << i;
    }
  }
}

// Fused-conv counts as found when this test was written (every BlazeBlock).
INSTANTIATE_TEST_SUITE_P(
    Models, FusionOnRealModels,
    ::testing::Values(std::make_pair("face_detection_short_range", 16),
                      std::make_pair("face_detection_full_range", 20),
                      std::make_pair("face_detection_full_range_sparse", 15),
                      std::make_pair("palm_detection_lite", 19)),
    [](const auto& info) { return std::string(info.param.first); });

}  // namespace
}  // namespace detlite::runtime
