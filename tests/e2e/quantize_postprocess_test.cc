// Default int8 quantization of BlazeFace with detlite's attached
// post-processing (the model bench/ptq_techniques.sh scores): the box
// re-encoding's CONCATENATION, between float LOG/GATHER and the float
// TFLite_Detection_PostProcess, stays float (quant/float_islands.h); box
// heads are calibrated where scores pass (quant/box_rows.h); each file
// gives the real TFLite runtime's detections.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "detlite/quantize.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/photos.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using testing::AsFloats;

// Runs `path` in detlite and in the real runtime on three photos with faces:
// the same detections (integer layers agree to 0 LSB, so the same anchors
// survive NMS; the float LOG and sigmoid may differ by an ulp). Returns how
// many there were.
int ExpectSameDetections(const std::string& path) {
  auto reloaded = Model::Load(path);
  EXPECT_TRUE(reloaded.ok());
  if (!reloaded.ok()) return 0;
  auto runner = Runner::Create(*reloaded);
  EXPECT_TRUE(runner.ok());
  if (!runner.ok()) return 0;
  int detections = 0;
  for (const char* photo : {"sergey.png", "face.jpg", "grace_hopper.bmp"}) {
    SCOPED_TRACE(photo);
    PreprocessOptions pre;
    pre.preset = PreprocessPreset::kSigned;
    auto input = LoadInput(testing::DataPath(std::string("images/") + photo),
                           runner->InputInfo(0), pre);
    EXPECT_TRUE(input.ok()) << input.status().ToString();
    if (!input.ok()) continue;
    EXPECT_TRUE(runner->SetInput(0, input->bytes).ok() && runner->Run().ok());
    auto oracle = testing::RunInRealTflite(path, {input->bytes});
    EXPECT_TRUE(oracle.ok()) << oracle.status().ToString();
    if (!oracle.ok() || oracle->outputs.size() != 4) continue;
    std::vector<std::vector<float>> ours(4), real(4);
    for (size_t i = 0; i < 4; ++i) {
      ours[i] = AsFloats(runner->Output(static_cast<int>(i)).bytes);
      real[i] = AsFloats(oracle->outputs[i].bytes);
    }
    EXPECT_EQ(ours[3], real[3]) << "detection count";
    if (ours[3] != real[3] || ours[3].size() != 1) continue;
    const size_t n = static_cast<size_t>(ours[3][0]);
    double box = 0, score = 0;
    for (size_t d = 0; d < n; ++d) {
      EXPECT_EQ(ours[1][d], real[1][d]);
      score = std::max(score, std::fabs(double(ours[2][d]) - real[2][d]));
      for (size_t c = 0; c < 4; ++c) {
        box = std::max(box, std::fabs(double(ours[0][4 * d + c]) - real[0][4 * d + c]));
      }
    }
    std::printf("[agreement] %s: %zu detections, max |score diff| %g, max |box diff| %g\n", photo,
                n, score, box);
    EXPECT_LE(score, 1e-6);
    EXPECT_LE(box, 1e-5);
    detections += static_cast<int>(n);
  }
  return detections;
}

StatusOr<Model> FaceWithPostprocess(const char* kind, AnchorPreset anchors) {
  ASSIGN_OR_RETURN(Model m, Model::Load(testing::DataPath(std::string("tflite/face_detection_") +
                                                          kind + "_range.tflite")));
  PostprocessOptions pp;
  pp.anchors = anchors;
  pp.score_threshold = 0.01f;
  RETURN_IF_ERROR(AddPostprocess(m, pp).status());
  return m;
}

TEST(QuantizePostprocessE2E, BlazeFaceFullBoxEncodingsStayFloatAndMatchRealTflite) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  auto m = FaceWithPostprocess("full", AnchorPreset::kBlazefaceFull);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  QuantizeOptions opts;  // the defaults, as `detlite convert --quantize int8`
  opts.calibration_data = photos;
  opts.preprocess.preset = PreprocessPreset::kSigned;
  auto report = Quantize(*m, opts);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  bool island = false;
  for (const KeptFloat& k : report->kept_float) {
    if (k.reason == KeptFloat::Reason::kFloatIsland) {
      EXPECT_EQ(k.tensor, "postprocess/box_encodings");
      island = true;
    }
  }
  EXPECT_TRUE(island);
  const std::string path = testing::TempDir() + "/face_full_pp_int8.tflite";
  ASSERT_TRUE(m->Save(path).ok());
  EXPECT_GT(ExpectSameDetections(path), 0);
}

// The 8x8 box head of short range spans [-1285, 4193] on these 100 COCO
// photos (two of them reach 1143 and 4193), at passing anchors [-16, 115]:
// calibrated over every anchor its int8 step was 16.1 pixels.
TEST(QuantizePostprocessE2E, BlazeFaceShortBoxHeadCalibratedWhereScoresPass) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string coco = testing::DataPath("datasets/coco_train2017_288/images");
  if (!std::filesystem::exists(coco)) GTEST_SKIP() << "no " << coco;
  auto m = FaceWithPostprocess("short", AnchorPreset::kBlazefaceShort);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  QuantizeOptions opts;
  opts.calibration_data = coco;
  opts.preprocess.preset = PreprocessPreset::kSigned;
  auto report = Quantize(*m, opts);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  float scale = -1;
  for (const TensorRange& r : report->ranges) {
    if (r.name == "regressor_16") scale = r.scale;
  }
  std::printf("[box head] regressor_16 scale %g\n", scale);
  EXPECT_GT(scale, 0);
  EXPECT_LT(scale, 1.0f);
  const std::string path = testing::TempDir() + "/face_short_pp_int8.tflite";
  ASSERT_TRUE(m->Save(path).ok());
  EXPECT_GT(ExpectSameDetections(path), 0);
}

}  // namespace
}  // namespace detlite
