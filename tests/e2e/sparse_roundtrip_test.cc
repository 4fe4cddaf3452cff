// Sparse in, sparse out: the sparse BlazeFace (46 float16 weights in TFLite's
// sparse format behind DENSIFY) written as is and in every quantization mode
// keeps its weights sparse, is smaller than the same model written dense,
// computes exactly what the dense copy computes in detlite, and the real
// TFLite runtime loads it and agrees with detlite (int8: 0 LSB; float:
// within 1e-5 of the output range). Prints sizes and agreement.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/quantize.h"
#include "ir/graph.h"
#include "quant/fold_float_weights.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/photos.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::AsFloats;

struct Mode {
  const char* name;
  bool quantize;
  QuantizeMode mode;
  bool integer;  // outputs come from int8/int16 tensors
  // Hybrid kernels: TFLite's and detlite's differ by up to a few % of the
  // range on this model whether the weights are sparse or dense
  // (tests/e2e/quantize_dynamic_test.cc bounds that); the sparse file must
  // then give TFLite exactly what the dense file gives it.
  bool hybrid;
};

int CountSparse(const Model& m) {
  int n = 0;
  for (const ir::Tensor& t : m.ir().subgraphs[0].tensors) n += t.sparsity ? 1 : 0;
  return n;
}

std::vector<std::vector<float>> RunDetlite(const Model& m, const std::vector<uint8_t>& input) {
  auto r = Runner::Create(m);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  EXPECT_TRUE(r->SetInput(0, input).ok());
  EXPECT_TRUE(r->Run().ok());
  std::vector<std::vector<float>> out;
  for (int i = 0; i < r->num_outputs(); ++i) out.push_back(AsFloats(r->Output(i).bytes));
  return out;
}

TEST(SparseRoundTripE2eTest, SparseBlazeFaceStaysSparseInEveryMode) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  if (testing::CalibrationFolder(true).empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string src = testing::DataPath("tflite/face_detection_full_range_sparse.tflite");
  const std::vector<Mode> modes = {
      {"none", false, QuantizeMode::kFloat16, false, false},
      {"float16", true, QuantizeMode::kFloat16, false, false},
      {"dynamic", true, QuantizeMode::kDynamic, false, true},
      {"int8", true, QuantizeMode::kInt8, true, false},
      {"int16x8", true, QuantizeMode::kInt16x8, true, false},
  };
  for (const Mode& mode : modes) {
    SCOPED_TRACE(mode.name);
    auto loaded = Model::Load(src);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    Model m = *loaded;
    if (mode.quantize) {
      QuantizeOptions opts;
      opts.mode = mode.mode;
      opts.calibration_data = testing::CalibrationFolder(true);
      opts.preprocess.preset = PreprocessPreset::kSigned;
      opts.calibration_method = CalibrationMethod::kMinMax;
      auto report = Quantize(m, opts);
      ASSERT_TRUE(report.ok()) << report.status().ToString();
    }
    const std::string path = testing::TempDir() + "/sparse_" + mode.name + ".tflite";
    ASSERT_TRUE(m.Save(path).ok());
    auto written = Model::Load(path);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    // The same model with every weight dense, for size and values.
    auto dense_ir = std::make_shared<ir::Model>(written->ir());
    int folded = 0;
    ASSERT_TRUE(quant::FoldSparseWeights(*dense_ir, &folded).ok());
    const std::string dense_path = testing::TempDir() + "/dense_" + mode.name + ".tflite";
    ASSERT_TRUE(Model(dense_ir).Save(dense_path).ok());
    const auto sparse_bytes = static_cast<double>(fs::file_size(path));
    const auto dense_bytes = static_cast<double>(fs::file_size(dense_path));
    std::printf("[sparse] %-8s %d sparse tensors, %.3f MiB (dense %.3f MiB)\n", mode.name,
                CountSparse(*written), sparse_bytes / (1 << 20), dense_bytes / (1 << 20));
    EXPECT_EQ(folded, CountSparse(*written));
    EXPECT_GE(CountSparse(*written), 40);
    EXPECT_LT(sparse_bytes, dense_bytes);

    auto input = LoadInput(testing::DataPath("images/face.jpg"),
                           Runner::Create(*written)->InputInfo(0), [] {
                             PreprocessOptions p;
                             p.preset = PreprocessPreset::kSigned;
                             return p;
                           }());
    ASSERT_TRUE(input.ok()) << input.status().ToString();
    const auto ours = RunDetlite(*written, input->bytes);
    const auto dense = RunDetlite(Model(dense_ir), input->bytes);
    ASSERT_EQ(ours.size(), dense.size());
    for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], dense[i]) << "output " << i;
    auto real = testing::RunInRealTflite(path, {input->bytes});
    ASSERT_TRUE(real.ok()) << real.status().ToString();
    ASSERT_EQ(real->outputs.size(), ours.size());
    auto real_dense = testing::RunInRealTflite(dense_path, {input->bytes});
    ASSERT_TRUE(real_dense.ok()) << real_dense.status().ToString();
    for (size_t i = 0; i < ours.size(); ++i) {
      const std::vector<float> r = AsFloats(real->outputs[i].bytes);
      ASSERT_EQ(r.size(), ours[i].size());
      const auto [lo, hi] = std::minmax_element(ours[i].begin(), ours[i].end());
      const double range = std::max(1e-6f, *hi - *lo);
      double worst = 0;
      for (size_t k = 0; k < r.size(); ++k) worst = std::max(worst, std::fabs(double(r[k]) - ours[i][k]));
      const float scale = mode.integer ? testing::OutputInt8Scale(*written, static_cast<int>(i)) : 0;
      std::printf("[sparse] %-8s output %zu: detlite vs TFLite max |diff| %.3g (%.3g of range%s)\n",
                  mode.name, i, worst, worst / range,
                  scale > 0 ? (", " + std::to_string(worst / scale) + " LSB").c_str() : "");
      const std::vector<float> rd = AsFloats(real_dense->outputs[i].bytes);
      double sparse_vs_dense = 0;
      for (size_t k = 0; k < r.size(); ++k) {
        sparse_vs_dense = std::max(sparse_vs_dense, std::fabs(double(r[k]) - rd[k]));
      }
      std::printf("[sparse] %-8s output %zu: TFLite sparse vs dense file max |diff| %.3g\n",
                  mode.name, i, sparse_vs_dense);
      if (scale > 0 || mode.hybrid) {
        EXPECT_EQ(sparse_vs_dense, 0.0) << "output " << i;
      } else {
        EXPECT_LE(sparse_vs_dense / range, 1e-5) << "output " << i;
      }
      if (scale > 0) {
        EXPECT_EQ(worst, 0.0) << "output " << i;
      } else if (mode.hybrid) {
        EXPECT_LE(worst / range, 0.1) << "output " << i;
      } else {
        EXPECT_LE(worst / range, 1e-5) << "output " << i;
      }
    }
  }
}

}  // namespace
}  // namespace detlite
