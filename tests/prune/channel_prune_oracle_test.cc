// A channel-pruned BlazeFace short range (consumers refitted by least
// squares, one-shot and sequential), in float and in every --quantize mode
// (pruned, then quantized): the real TFLite runtime loads the smaller
// file and computes what detlite computes (float and float16: within 1e-4
// of the output range; int8 and int16x8: 0 LSB; dynamic range: within 10%,
// the bound tests/e2e/quantize_dynamic_test.cc sets for TFLite's hybrid
// kernels), and the pruned graph really has fewer MACs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/prune.h"
#include "detlite/quantize.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/photos.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using testing::AsFloats;

struct Mode {
  const char* name;
  bool quantize;
  QuantizeMode mode;
  double tolerance;  // of the output range; 0: bit-exact
};

void ExpectAgreement(const std::string& src, const std::vector<Mode>& modes, const std::string& photos,
                     ChannelReconstruct reconstruct = ChannelReconstruct::kLeastSquares) {
  for (const Mode& mode : modes) {
    const bool int8 = mode.quantize;
    SCOPED_TRACE(mode.name);
    auto m = Model::Load(src);
    ASSERT_TRUE(m.ok());
    ChannelPruneOptions co;
    co.ratio = 0.3f;
    co.calibration_data = photos;
    co.calibration_size = 2;
    co.preprocess.preset = PreprocessPreset::kSigned;
    co.reconstruct = reconstruct;  // the least-squares refit's weights are what TFLite reads
    co.reconstruct_images = 4;
    auto pr = PruneChannels(*m, co);
    ASSERT_TRUE(pr.ok()) << pr.status().ToString();
    if (reconstruct != ChannelReconstruct::kNone) {
      EXPECT_GT(pr->reconstructed_layers, 0);
      EXPECT_LT(pr->reconstruction_error_after, pr->reconstruction_error_before);
    }
    EXPECT_NEAR(double(pr->removed_channels) / pr->prunable_channels, 0.3, 0.05);
    EXPECT_LT(double(pr->macs_after), 0.95 * double(pr->macs_before));
    if (int8) {
      QuantizeOptions qo;
      qo.mode = mode.mode;
      qo.calibration_data = photos;
      qo.calibration_size = 2;
      qo.preprocess.preset = PreprocessPreset::kSigned;
      auto qr = Quantize(*m, qo);
      ASSERT_TRUE(qr.ok()) << qr.status().ToString();
    }
    const std::string path = testing::TempDir() + "/chpruned_" + std::filesystem::path(src).stem().string() +
                             "_" + mode.name + ".tflite";
    ASSERT_TRUE(m->Save(path).ok());
    if (!mode.quantize) {
      EXPECT_LT(std::filesystem::file_size(path), std::filesystem::file_size(src));
    }
    auto written = Model::Load(path);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    auto runner = Runner::Create(*written);
    ASSERT_TRUE(runner.ok()) << runner.status().ToString();
    auto real = testing::RunPhotoInBoth(*runner, path, testing::DataPath("images/face.jpg"),
                                        PreprocessPreset::kSigned);
    ASSERT_TRUE(real.ok()) << real.status().ToString();
    ASSERT_EQ(real->outputs.size(), static_cast<size_t>(runner->num_outputs()));
    for (int i = 0; i < runner->num_outputs(); ++i) {
      const auto ours = AsFloats(runner->Output(i).bytes);
      const auto r = AsFloats(real->outputs[static_cast<size_t>(i)].bytes);
      ASSERT_EQ(ours.size(), r.size());
      const auto [lo, hi] = std::minmax_element(ours.begin(), ours.end());
      double worst = 0;
      for (size_t k = 0; k < r.size(); ++k) worst = std::max(worst, std::fabs(double(r[k]) - ours[k]));
      std::printf("[channels] %s: %d of %d channels removed, MACs %.1f M -> %.1f M, output %d max |diff| %.3g (%.3g of range)\n",
                  mode.name, pr->removed_channels, pr->prunable_channels, pr->macs_before / 1e6,
                  pr->macs_after / 1e6, i, worst, worst / std::max(1e-6f, *hi - *lo));
      if (mode.tolerance == 0) {
        EXPECT_EQ(worst, 0.0);
      } else {
        EXPECT_LE(worst / std::max(1e-6f, *hi - *lo), mode.tolerance);
      }
    }
  }
}

TEST(ChannelPruneOracleTest, PrunedBlazeFaceAgreesWithRealTfliteInEveryMode) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  ExpectAgreement(testing::DepsDir() + "/npm/node_modules/@mediapipe/face_detection/face_detection_short_range.tflite",
                  {Mode{"float", false, QuantizeMode::kInt8, 1e-4}, Mode{"float16", true, QuantizeMode::kFloat16, 1e-4},
                   Mode{"dynamic", true, QuantizeMode::kDynamic, 0.1}, Mode{"int8", true, QuantizeMode::kInt8, 0},
                   Mode{"int16x8", true, QuantizeMode::kInt16x8, 0}},
                  photos);
}

TEST(ChannelPruneOracleTest, SequentiallyRefittedBlazeFaceAgreesWithRealTflite) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  ExpectAgreement(testing::DepsDir() + "/npm/node_modules/@mediapipe/face_detection/face_detection_short_range.tflite",
                  {Mode{"float", false, QuantizeMode::kInt8, 1e-4}}, photos,
                  ChannelReconstruct::kLeastSquaresSequential);
}

// Palm detection lite: PRELU alphas sliced behind DEQUANTIZE, biases shared
// by several convs, RESIZE_BILINEAR in the feature pyramid.
TEST(ChannelPruneOracleTest, PrunedPalmDetectionAgreesWithRealTflite) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  ExpectAgreement(testing::DataPath("tflite/palm_detection_lite.tflite"),
                  {Mode{"float", false, QuantizeMode::kInt8, 1e-4}, Mode{"int8", true, QuantizeMode::kInt8, 0}}, photos);
}

}  // namespace
}  // namespace detlite
