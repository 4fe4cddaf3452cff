// The sparse 1x1 kernels (runtime/ops/conv_sparse.h) on real sparse models,
// on every instruction set level this machine runs: the sparse BlazeFace as
// published (float16 weights behind DENSIFY and DEQUANTIZE) and quantized
// to int8, and the SSDLite (TF.js, raw head outputs) pruned to 75% and
// quantized to int8. With DETLITE_SPARSE=on every eligible op takes the
// sparse kernel (at least 20 do); against detlite's dense kernels
// (DETLITE_SPARSE=off) and the real TFLite runtime on a photo: float within
// 1e-4 of each output's range, int8 identical (0 LSB).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "detlite/import.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/prune.h"
#include "detlite/quantize.h"
#include "kernels/optimized/cpu.h"
#include "runtime/interpreter.h"
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

// Saves `m`, runs it in TFLite and in detlite (sparse and dense) on every
// ISA level; int8 outputs must be identical everywhere.
void CheckModel(const Model& m, const std::string& name, bool int8,
                PreprocessPreset preset) {
  const std::string path = testing::TempDir() + "/" + name + ".tflite";
  ASSERT_TRUE(m.Save(path).ok());
  auto saved = Model::Load(path);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  auto runner = Runner::Create(*saved);
  ASSERT_TRUE(runner.ok());
  PreprocessOptions pre;
  pre.preset = preset;
  auto input = LoadInput(testing::DataPath("images/face.jpg"), runner->InputInfo(0), pre);
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  auto real = testing::RunInRealTflite(path, {input->bytes});
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  for (opt::Isa isa : opt::SupportedIsas()) {
    opt::ScopedIsa scope(isa);
    SCOPED_TRACE(name + " at " + opt::IsaName(isa));
    const Run sparse = RunWithSparseMode(*saved, input->bytes, "on");
    const Run dense = RunWithSparseMode(*saved, input->bytes, "off");
    EXPECT_GE(sparse.sparse_ops, 20);
    EXPECT_EQ(dense.sparse_ops, 0);
    ASSERT_EQ(sparse.outputs.size(), real->outputs.size());
    ASSERT_EQ(dense.outputs.size(), real->outputs.size());
    for (size_t i = 0; i < sparse.outputs.size(); ++i) {
      if (int8) {
        EXPECT_EQ(sparse.outputs[i], dense.outputs[i]) << "output " << i;
        EXPECT_EQ(sparse.outputs[i], real->outputs[i].bytes) << "output " << i;
        continue;
      }
      const double vs_real = RelativeToRange(sparse.outputs[i], real->outputs[i].bytes);
      const double vs_dense = RelativeToRange(sparse.outputs[i], dense.outputs[i]);
      std::printf("[sparse kernels] %s %s output %zu: %d sparse ops; vs TFLite %.2g, "
                  "vs dense %.2g of the range\n",
                  name.c_str(), opt::IsaName(isa), i, sparse.sparse_ops, vs_real, vs_dense);
      EXPECT_LE(vs_real, 1e-4) << "output " << i;
      EXPECT_LE(vs_dense, 1e-4) << "output " << i;
    }
  }
}

Status QuantizeInt8(Model& m, PreprocessPreset preset) {
  QuantizeOptions q;
  q.calibration_data = testing::CalibrationFolder(true);
  q.calibration_size = 4;
  q.preprocess.preset = preset;
  return Quantize(m, q).status();
}

class SparseKernelsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
    if (testing::CalibrationFolder(true).empty()) GTEST_SKIP() << "run scripts/setup.sh";
  }
};

TEST_F(SparseKernelsE2eTest, SparseBlazeFaceFloatAndInt8) {
  auto m = Model::Load(testing::DataPath("tflite/face_detection_full_range_sparse.tflite"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  CheckModel(*m, "blazeface_sparse", false, PreprocessPreset::kSigned);
  ASSERT_TRUE(QuantizeInt8(*m, PreprocessPreset::kSigned).ok());
  CheckModel(*m, "blazeface_sparse_int8", true, PreprocessPreset::kSigned);
}

TEST_F(SparseKernelsE2eTest, PrunedSsdliteFloatAndInt8) {
  const std::string src = testing::DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json");
  auto m = ImportModel(src);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  PruneOptions po;
  po.sparsity = 0.75f;  // no photos: levels from the weights' energy
  auto pr = Prune(*m, po);
  ASSERT_TRUE(pr.ok()) << pr.status().ToString();
  CheckModel(*m, "ssdlite_p75", false, PreprocessPreset::kSigned);
  ASSERT_TRUE(QuantizeInt8(*m, PreprocessPreset::kSigned).ok());
  CheckModel(*m, "ssdlite_p75_int8", true, PreprocessPreset::kSigned);
}

}  // namespace
}  // namespace detlite
