// Equalization and bias correction in int8 quantization of real detectors,
// calibrated on 8 real photos (minmax, so every output value is judged):
// bias correction must lower the mean output error against the float model
// on those photos, and the int8 model with both techniques must run in the
// real TFLite runtime with the same outputs as detlite's interpreter
// (at most 1 LSB, as quantize_int8_test.cc). Prints the errors for the record.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/quantize.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/photos.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::AsFloats;

struct Case {
  const char* model;
  bool people;
};

std::vector<std::vector<uint8_t>> Inputs(const Runner& r, const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(folder)) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<std::vector<uint8_t>> out;
  for (const std::string& f : files) {
    PreprocessOptions pre;
    pre.preset = PreprocessPreset::kSigned;
    auto t = LoadInput(f, r.InputInfo(0), pre);
    if (t.ok()) out.push_back(t->bytes);
  }
  return out;
}

// Mean |int8 - float| over all outputs and inputs, each output as a fraction
// of its float range.
double MeanError(Runner& q, Runner& f, const std::vector<std::vector<uint8_t>>& inputs) {
  double sum = 0;
  int n = 0;
  for (const auto& in : inputs) {
    EXPECT_TRUE(q.SetInput(0, in).ok() && q.Run().ok());
    EXPECT_TRUE(f.SetInput(0, in).ok() && f.Run().ok());
    for (int i = 0; i < f.num_outputs(); ++i) {
      const std::vector<float> a = AsFloats(q.Output(i).bytes), b = AsFloats(f.Output(i).bytes);
      const auto [lo, hi] = std::minmax_element(b.begin(), b.end());
      double s = 0;
      for (size_t k = 0; k < a.size(); ++k) s += std::fabs(double(a[k]) - b[k]);
      sum += s / a.size() / std::max(1e-6f, *hi - *lo);
      ++n;
    }
  }
  return sum / std::max(1, n);
}

// Saves `q`, reloads it, and checks that the real TFLite runtime gives
// detlite's outputs on `input` to at most 1 LSB of each int8 output (1e-5
// of the range of a float output).
void ExpectSameInRealTflite(const Model& q, const std::string& path, const std::vector<uint8_t>& input) {
  ASSERT_TRUE(q.Save(path).ok());
  auto reloaded = Model::Load(path);
  ASSERT_TRUE(reloaded.ok());
  auto ours = Runner::Create(*reloaded);
  ASSERT_TRUE(ours.ok());
  ASSERT_TRUE(ours->SetInput(0, input).ok() && ours->Run().ok());
  auto oracle = testing::RunInRealTflite(path, {input});
  ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
  for (int i = 0; i < ours->num_outputs(); ++i) {
    const std::vector<float> a = AsFloats(ours->Output(i).bytes);
    const std::vector<float> b = AsFloats(oracle->outputs[static_cast<size_t>(i)].bytes);
    ASSERT_EQ(a.size(), b.size());
    float scale = testing::OutputInt8Scale(*reloaded, i);
    double worst = 0;
    for (size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::fabs(double(a[k]) - b[k]));
    if (scale == 0) {  // a float output (the concatenation trap): 1e-5 of its range
      const auto [lo, hi] = std::minmax_element(a.begin(), a.end());
      scale = 1e-5f * (*hi - *lo);
    }
    EXPECT_LE(worst / scale, 1.0) << "output " << i;
  }
}

TEST(QuantizePtqE2eTest, BiasCorrectionLowersErrorAndRunsInTflite) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  if (!fs::exists(testing::DepsDir() + "/photos/opencv")) GTEST_SKIP() << "run scripts/setup.sh";
  for (const Case& c : {Case{"ssd_mobilenetv2_oidv4_fp16.tflite", false},
                        Case{"face_detection_short_range.tflite", true}}) {
    SCOPED_TRACE(c.model);
    auto float_model = Model::Load(testing::DataPath(std::string("tflite/") + c.model));
    ASSERT_TRUE(float_model.ok()) << float_model.status().ToString();
    auto float_runner = Runner::Create(*float_model);
    ASSERT_TRUE(float_runner.ok());
    const std::string folder = testing::CalibrationFolder(c.people);
    const auto inputs = Inputs(*float_runner, folder);
    ASSERT_EQ(inputs.size(), 8u);
    double err[3] = {0, 0, 0};
    for (int variant = 0; variant < 3; ++variant) {
      Model q = *float_model;
      QuantizeOptions opts;
      opts.calibration_data = folder;
      opts.preprocess.preset = PreprocessPreset::kSigned;
      opts.calibration_method = CalibrationMethod::kMinMax;
      opts.bias_correction = variant >= 1 ? BiasCorrection::kEmpirical : BiasCorrection::kNone;
      opts.equalize = variant == 2 ? Equalization::kSkipRelu6 : Equalization::kNone;
      auto report = Quantize(q, opts);
      ASSERT_TRUE(report.ok()) << report.status().ToString();
      for (const std::string& a : report->actions) std::printf("[ptq] %s: %s\n", c.model, a.c_str());
      auto runner = Runner::Create(q);
      ASSERT_TRUE(runner.ok());
      err[variant] = MeanError(*runner, *float_runner, inputs);
      if (variant != 2) continue;
      ExpectSameInRealTflite(q, testing::TempDir() + "/" + c.model + ".ptq.tflite", inputs[0]);
    }
    std::printf("[ptq] %s mean |int8 - float| / range on the calibration photos: plain %.5f, "
                "+bias correction %.5f, +equalization %.5f\n", c.model, err[0], err[1], err[2]);
    EXPECT_LT(err[1], err[0]);
  }
}

// AdaRound on BlazeFace short range: the learned rounding lowers the mean
// output error against float on the calibration photos, and the file runs
// in the real TFLite runtime with detlite's outputs.
TEST(QuantizePtqE2eTest, AdaRoundLowersErrorAndRunsInTflite) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  if (!fs::exists(testing::DepsDir() + "/photos/opencv")) GTEST_SKIP() << "run scripts/setup.sh";
  const char* name = "face_detection_short_range.tflite";
  auto float_model = Model::Load(testing::DataPath(std::string("tflite/") + name));
  ASSERT_TRUE(float_model.ok()) << float_model.status().ToString();
  auto float_runner = Runner::Create(*float_model);
  ASSERT_TRUE(float_runner.ok());
  const std::string folder = testing::CalibrationFolder(true);
  const auto inputs = Inputs(*float_runner, folder);
  double err[2] = {0, 0};
  for (int variant = 0; variant < 2; ++variant) {
    Model q = *float_model;
    QuantizeOptions opts;
    opts.calibration_data = folder;
    opts.preprocess.preset = PreprocessPreset::kSigned;
    opts.calibration_method = CalibrationMethod::kMinMax;
    opts.equalize = Equalization::kNone;  // AdaRound alone against nearest rounding
    opts.bias_correction = BiasCorrection::kNone;
    if (variant == 1) opts.weight_rounding = WeightRounding::kAdaRound;
    auto report = Quantize(q, opts);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    bool reported = false;
    for (const std::string& a : report->actions) {
      std::printf("[ptq] %s: %s\n", name, a.c_str());
      reported = reported || a.starts_with("AdaRound");
    }
    EXPECT_EQ(reported, variant == 1);
    auto runner = Runner::Create(q);
    ASSERT_TRUE(runner.ok());
    err[variant] = MeanError(*runner, *float_runner, inputs);
    if (variant == 1) ExpectSameInRealTflite(q, testing::TempDir() + "/adaround.tflite", inputs[0]);
  }
  std::printf("[ptq] %s mean |int8 - float| / range: nearest %.5f, AdaRound %.5f\n", name, err[0],
              err[1]);
  EXPECT_LT(err[1], err[0]);
}

// AdaRound leaves the float weights on their integer grid, so bias
// correction after it must measure the rounding error from the weights as
// they were before; otherwise it sees zero error and changes nothing.
TEST(QuantizePtqE2eTest, BiasCorrectionAfterAdaRoundStillCorrects) {
  if (!fs::exists(testing::DepsDir() + "/photos/opencv")) GTEST_SKIP() << "run scripts/setup.sh";
  auto float_model = Model::Load(testing::DataPath("tflite/face_detection_short_range.tflite"));
  ASSERT_TRUE(float_model.ok()) << float_model.status().ToString();
  std::vector<std::vector<uint8_t>> biases[2];
  for (int variant = 0; variant < 2; ++variant) {
    Model q = *float_model;
    QuantizeOptions opts;
    opts.calibration_data = testing::CalibrationFolder(true);
    opts.preprocess.preset = PreprocessPreset::kSigned;
    opts.calibration_method = CalibrationMethod::kMinMax;
    opts.weight_rounding = WeightRounding::kAdaRound;
    opts.adaround_iterations = 200;
    opts.equalize = Equalization::kNone;
    opts.bias_correction = variant == 1 ? BiasCorrection::kEmpirical : BiasCorrection::kNone;
    ASSERT_TRUE(Quantize(q, opts).ok());
    auto runner = Runner::Create(q);
    ASSERT_TRUE(runner.ok());
    const ModelInfo info = q.Inspect();
    for (int i = 0; i < info.tensors; ++i) {
      auto t = runner->Tensor(i);
      if (t.ok() && t->info.dtype == "int32" && t->info.shape.size() == 1 && !t->bytes.empty()) {
        biases[variant].push_back(t->bytes);
      }
    }
  }
  ASSERT_EQ(biases[0].size(), biases[1].size());
  ASSERT_FALSE(biases[0].empty());
  int changed = 0;
  for (size_t i = 0; i < biases[0].size(); ++i) changed += biases[0][i] != biases[1][i] ? 1 : 0;
  std::printf("[ptq] bias correction after AdaRound changed %d of %zu int32 biases\n", changed,
              biases[0].size());
  EXPECT_GT(changed, static_cast<int>(biases[0].size()) / 2);
}

}  // namespace
}  // namespace detlite
