// The 4x1-block sparse kernel (kernels/optimized/spmm_block.inc) on a real
// model: the SSDLite (TF.js, raw head outputs) pruned to 75% in 4x1 blocks
// (`--block 4x1`, levels from the weights' energy), float and int8, on
// every instruction set level this machine runs. DETLITE_SPARSE=block puts
// every 1x1 op on the block kernel, auto lets the prepare-time choice pick
// it; against detlite's dense kernels (DETLITE_SPARSE=off) and the real
// TFLite runtime on a photo: float within 1e-4 of each output's range, int8
// identical (0 LSB). Also the choice itself (runtime/ops/conv_sparse.h):
// zeros in 4x1 blocks take the block kernel, the same share unblocked does
// not, judged from the values alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "detlite/import.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/prune.h"
#include "detlite/quantize.h"
#include "kernels/optimized/cpu.h"
#include "runtime/interpreter.h"
#include "runtime/ops/conv_sparse.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/photos.h"
#include "support/sparse_run.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

namespace opt = kernels::optimized;

using testing::RelativeToRange;
using testing::RunWithSparseMode;
using Run = testing::SparseRun;

void CheckModel(const Model& m, const std::string& name, bool int8) {
  const std::string path = testing::TempDir() + "/" + name + ".tflite";
  ASSERT_TRUE(m.Save(path).ok());
  auto saved = Model::Load(path);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  auto runner = Runner::Create(*saved);
  ASSERT_TRUE(runner.ok());
  PreprocessOptions pre;
  pre.preset = PreprocessPreset::kSigned;
  auto input = LoadInput(testing::DataPath("images/face.jpg"), runner->InputInfo(0), pre);
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  auto real = testing::RunInRealTflite(path, {input->bytes});
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  for (opt::Isa isa : opt::SupportedIsas()) {
    opt::ScopedIsa scope(isa);
    const Run dense = RunWithSparseMode(*saved, input->bytes, "off");
    ASSERT_EQ(dense.outputs.size(), real->outputs.size());
    for (const char* mode : {"block", "auto"}) {
      SCOPED_TRACE(name + " at " + opt::IsaName(isa) + ", DETLITE_SPARSE=" + mode);
      const Run sparse = RunWithSparseMode(*saved, input->bytes, mode);
      // Every 1x1 op when forced; auto: the ones past the level's threshold.
      if (std::string(mode) == "block") {
        EXPECT_GE(sparse.sparse_ops, 40);
      }
      ASSERT_EQ(sparse.outputs.size(), real->outputs.size());
      for (size_t i = 0; i < sparse.outputs.size(); ++i) {
        if (int8) {
          EXPECT_EQ(sparse.outputs[i], dense.outputs[i]) << "output " << i;
          EXPECT_EQ(sparse.outputs[i], real->outputs[i].bytes) << "output " << i;
          continue;
        }
        const double vs_real = RelativeToRange(sparse.outputs[i], real->outputs[i].bytes);
        const double vs_dense = RelativeToRange(sparse.outputs[i], dense.outputs[i]);
        std::printf("[sparse 4x1] %s %s %s output %zu: %d sparse ops; vs TFLite %.2g, "
                    "vs dense %.2g of the range\n",
                    name.c_str(), opt::IsaName(isa), mode, i, sparse.sparse_ops, vs_real,
                    vs_dense);
        EXPECT_LE(vs_real, 1e-4) << "output " << i;
        EXPECT_LE(vs_dense, 1e-4) << "output " << i;
      }
    }
  }
}

TEST(SparseBlockChoice, BlocksOfZerosTakeTheBlockKernelFromTheValues) {
  opt::ScopedIsa scope(opt::Isa::kAvx2);  // on every x86 machine this suite runs
  const int out_c = 64, in_c = 96;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0.1f, 1.0f);
  std::bernoulli_distribution zero(0.75);
  std::vector<float> blocked(static_cast<size_t>(out_c) * in_c), scattered(blocked.size());
  for (int g = 0; g < out_c; g += 4) {
    for (int ic = 0; ic < in_c; ++ic) {
      const bool z = zero(rng);
      for (int oc = g; oc < g + 4; ++oc) blocked[static_cast<size_t>(oc) * in_c + ic] = z ? 0 : u(rng);
    }
  }
  for (float& w : scattered) w = zero(rng) ? 0 : u(rng);
  auto choose = [&](std::vector<float>& w) {
    runtime::TensorRef filter;
    filter.dtype = DType::kFloat32;
    filter.shape = Shape{out_c, 1, 1, in_c};
    filter.data = reinterpret_cast<uint8_t*>(w.data());
    filter.bytes = w.size() * sizeof(float);
    filter.is_constant = true;
    runtime::conv::QuantSetup q;
    q.float_act_min = -1e9f;
    q.float_act_max = 1e9f;
    runtime::conv::SparseConv s;
    s.Prepare(q, DType::kFloat32, out_c, in_c, 361, &filter, nullptr);
    return s;
  };
  const auto b = choose(blocked);
  EXPECT_TRUE(b.enabled);
  EXPECT_EQ(b.block, 4);
  EXPECT_EQ(b.packed.block, 4);
  EXPECT_NEAR(b.block_zero_share, 0.75, 0.05);
  // The same share of zeros, scattered: about 0.75^4 of the blocks are all
  // zero, under the block threshold (40% at avx2), so the unblocked kernel
  // (its threshold at avx2 is 70%).
  const auto s = choose(scattered);
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.block, 1);
  EXPECT_NEAR(s.block_zero_share, 0.316, 0.06);
}

class SparseBlockE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
    if (testing::CalibrationFolder(true).empty()) GTEST_SKIP() << "run scripts/setup.sh";
  }
};

TEST_F(SparseBlockE2eTest, SsdlitePrunedIn4x1BlocksFloatAndInt8) {
  auto m = ImportModel(testing::DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  PruneOptions po;
  po.sparsity = 0.75f;
  po.block = PruneBlock::k4x1;
  auto pr = Prune(*m, po);
  ASSERT_TRUE(pr.ok()) << pr.status().ToString();
  CheckModel(*m, "ssdlite_b75", false);
  QuantizeOptions q;
  q.calibration_data = testing::CalibrationFolder(true);
  q.calibration_size = 4;
  q.preprocess.preset = PreprocessPreset::kSigned;
  ASSERT_TRUE(Quantize(*m, q).ok());
  CheckModel(*m, "ssdlite_b75_int8", true);
}

}  // namespace
}  // namespace detlite
