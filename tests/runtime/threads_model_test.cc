// Threads change where work runs, never what it computes: on the real SSD
// MobileNetV2 (float, fp16 weights) and the real uint8 SSD MobileNetV2 COCO,
// 2 and 3 threads give the outputs of 1 thread bit for bit on every
// instruction set level. The SSD covers every way the pool splits an op:
// rows of large layers, panels of the weight-heavy 19x19 and 10x10 layers
// (gemm_partition.h), and depthwise channels after them.
#include <gtest/gtest.h>

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

std::vector<std::vector<uint8_t>> RunWith(const ir::Model& model,
                                      const std::vector<uint8_t>& input,
                                      int threads) {
  InterpreterOptions o;
  o.num_threads = threads;
  auto interp = Interpreter::Create(model, o);
  EXPECT_TRUE(interp.ok()) << interp.status().ToString();
  std::vector<std::vector<uint8_t>> out;
  if (!interp.ok()) return out;
  Interpreter& in = **interp;
  EXPECT_TRUE(in.SetInput(0, input.data(), input.size()).ok());
  EXPECT_TRUE(in.Invoke().ok());
  for (int i = 0; i < in.num_outputs(); ++i) {
    const TensorRef& t = in.output(i);
    out.emplace_back(t.data, t.data + t.bytes);
  }
  return out;
}

class ThreadsOnRealModels : public ::testing::TestWithParam<const char*> {};

TEST_P(ThreadsOnRealModels, SameBitsAsOneThreadOnEveryIsa) {
  auto model = ReadTfliteFile(
      testing::DataPath(std::string("tflite/") + GetParam() + ".tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ir::Subgraph& sg = model->subgraphs[0];
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  const int64_t elements = in.shape.NumElements();
  std::vector<uint8_t> input;
  std::mt19937 rng(9);
  if (in.dtype == DType::kFloat32) {
    std::vector<float> v(static_cast<size_t>(elements));
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    for (float& x : v) x = d(rng);
    input.assign(reinterpret_cast<const uint8_t*>(v.data()),
                 reinterpret_cast<const uint8_t*>(v.data() + v.size()));
  } else {
    input.resize(static_cast<size_t>(elements));
    for (uint8_t& x : input) x = static_cast<uint8_t>(rng());
  }
  for (opt::Isa isa : opt::SupportedIsas()) {
    opt::ScopedIsa scope(isa);
    SCOPED_TRACE(std::string(GetParam()) + " at " + opt::IsaName(isa));
    const auto one = RunWith(*model, input, 1);
    ASSERT_FALSE(one.empty());
    for (int threads : {2, 3}) {
      const auto many = RunWith(*model, input, threads);
      ASSERT_EQ(many.size(), one.size());
      for (size_t i = 0; i < one.size(); ++i) {
        EXPECT_TRUE(many[i] == one[i]) << threads << " threads, output " << i;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Models, ThreadsOnRealModels,
    ::testing::Values("ssd_mobilenetv2_oidv4_fp16",
                      "mobilenet_ssd_v2_coco_quant_postprocess"),
    [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace detlite::runtime
