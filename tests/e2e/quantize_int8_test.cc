// Full-integer quantization of every float detector in ../shared/data,
// calibrated on 8 real photos (with people for the face and palm models: a
// face detector calibrated on photos without faces never sees a positive
// score logit and clips them all); the written
// model must load and run in the real TFLite runtime, which must agree with
// detlite's interpreter on it, and stay close to the float model on photos
// held back from calibration. Prints the measured agreement for the record.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/quantize.h"
#include "ir/graph.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/photos.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using testing::AsFloats;
using testing::OutputInt8Scale;

namespace fs = std::filesystem;

struct Case {
  const char* model;
  PreprocessPreset preset;
  bool people;  // calibrate on photos of people
  std::vector<const char*> held_back;  // images/ photos, not used to calibrate
  // Floor over these photos (float vs int8; measured at most 0.037, palm
  // detection's scores): the mean absolute error
  // of every output as a fraction of the float output's range.
  double max_mean_rel_error;
};

std::vector<Case> Cases() {
  return {
      {"ssd_mobilenetv2_oidv4_fp16.tflite", PreprocessPreset::kSigned, false, {"cats_and_dogs.jpg", "multi_objects.jpg"}, 0.05},
      {"face_detection_short_range.tflite", PreprocessPreset::kSigned, true, {"face.jpg", "pets.jpg"}, 0.05},
      {"face_detection_full_range.tflite", PreprocessPreset::kSigned, true, {"face.jpg", "pets.jpg"}, 0.05},
      {"face_detection_full_range_sparse.tflite", PreprocessPreset::kSigned, true, {"face.jpg", "pets.jpg"}, 0.05},
      {"palm_detection_lite.tflite", PreprocessPreset::kUnit, true, {"face.jpg", "owl.jpg"}, 0.05},
  };
}

using testing::CalibrationFolder;



TEST(QuantizeInt8E2eTest, RealDetectorsRunInTfliteAndAgree) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  if (!fs::exists(testing::DepsDir() + "/photos/opencv")) GTEST_SKIP() << "run scripts/setup.sh";
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.model);
    auto float_model = Model::Load(testing::DataPath(std::string("tflite/") + c.model));
    ASSERT_TRUE(float_model.ok()) << float_model.status().ToString();
    auto loaded = Model::Load(testing::DataPath(std::string("tflite/") + c.model));
    ASSERT_TRUE(loaded.ok());
    Model q = *loaded;
    QuantizeOptions opts;
    opts.calibration_data = CalibrationFolder(c.people);
    opts.preprocess.preset = c.preset;
    // minmax: this test bounds the error over every raw output value, and the
    // clipping methods (mse, the default) trade away precision on very
    // negative logits that no score depends on; detection agreement per
    // method is measured by bench/int8_agreement.sh.
    opts.calibration_method = CalibrationMethod::kMinMax;
    auto report = Quantize(q, opts);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->calibration_images, 8);
    // Every op has an int8 rule; a concatenation that trips the trap stays
    // float (SSD's box encodings, BlazeFace short-range's classificators),
    // and so does a RESHAPE between it and the output (a float island).
    int islands = 0;
    for (const KeptFloat& k : report->kept_float) {
      islands += k.reason == KeptFloat::Reason::kFloatIsland ? 1 : 0;
      if (k.reason == KeptFloat::Reason::kFloatIsland) std::printf("[quant] %s\n", Describe(k).c_str());
    }
    EXPECT_LE(report->ops_left_float - islands, 1);
    std::printf("[quant] %s: %d ops int8, %d float, %zu warnings\n", c.model,
                report->ops_quantized, report->ops_left_float, report->warnings.size());
    // int8 weights are half of the float16 originals (not so for the sparse
    // model: int8 values need their sparse indices too; its sizes are
    // checked in sparse_roundtrip_test.cc).
    if (std::string(c.model).find("sparse") == std::string::npos) {
      EXPECT_LT(report->quantized_bytes * 10, report->float_bytes * 6);
    }
    const std::string path = testing::TempDir() + "/" + c.model + ".int8.tflite";
    ASSERT_TRUE(q.Save(path).ok());
    auto reloaded = Model::Load(path);
    ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
    auto runner = Runner::Create(*reloaded);
    ASSERT_TRUE(runner.ok()) << runner.status().ToString();
    auto float_runner = Runner::Create(*float_model);
    ASSERT_TRUE(float_runner.ok());
    for (const char* image : c.held_back) {
      SCOPED_TRACE(image);
      PreprocessOptions pre;
      pre.preset = c.preset;
      auto input = LoadInput(testing::DataPath(std::string("images/") + image),
                             float_runner->InputInfo(0), pre);
      ASSERT_TRUE(input.ok()) << input.status().ToString();
      ASSERT_TRUE(runner->SetInput(0, input->bytes).ok());
      ASSERT_TRUE(runner->Run().ok());
      ASSERT_TRUE(float_runner->SetInput(0, input->bytes).ok());
      ASSERT_TRUE(float_runner->Run().ok());
      auto oracle = testing::RunInRealTflite(path, {input->bytes});
      ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
      ASSERT_EQ(oracle->outputs.size(), static_cast<size_t>(runner->num_outputs()));
      for (int i = 0; i < runner->num_outputs(); ++i) {
        const std::vector<float> ours = AsFloats(runner->Output(i).bytes);
        const std::vector<float> real = AsFloats(oracle->outputs[static_cast<size_t>(i)].bytes);
        const std::vector<float> ref = AsFloats(float_runner->Output(i).bytes);
        ASSERT_EQ(ours.size(), real.size());
        ASSERT_EQ(ours.size(), ref.size());
        // Outputs of a float concatenation (trap) have no int8 scale: judge
        // them as float (1e-5 of the range).
        float scale = OutputInt8Scale(*reloaded, i);
        if (scale == 0) {
          const auto [mn, mx] = std::minmax_element(ref.begin(), ref.end());
          scale = 1e-5f * (*mx - *mn);
        }
        double lsb = 0, abs_sum = 0;
        int64_t float_pos = 0, int8_pos = 0, both_pos = 0;  // score logits > 0
        float lo = ref[0], hi = ref[0];
        for (size_t k = 0; k < ours.size(); ++k) {
          lsb = std::max(lsb, std::fabs(double(ours[k]) - real[k]) / scale);
          abs_sum += std::fabs(double(ours[k]) - ref[k]);
          float_pos += ref[k] > 0;
          int8_pos += ours[k] > 0;
          both_pos += ref[k] > 0 && ours[k] > 0;
          lo = std::min(lo, ref[k]);
          hi = std::max(hi, ref[k]);
        }
        const double mean_rel = abs_sum / ours.size() / std::max(1e-6f, hi - lo);
        std::printf("[quant] %s %s output %d: detlite vs TFLite %.0f LSB; int8 vs float mean |err| "
                    "%.4f of range [%.3g, %.3g]; > 0: float %lld int8 %lld both %lld\n",
                    c.model, image, i, lsb, mean_rel, lo, hi, static_cast<long long>(float_pos),
                    static_cast<long long>(int8_pos), static_cast<long long>(both_pos));
        EXPECT_LE(lsb, 1.0) << "output " << i;
        EXPECT_LE(mean_rel, c.max_mean_rel_error) << "output " << i;
      }
    }
  }
}

}  // namespace
}  // namespace detlite
