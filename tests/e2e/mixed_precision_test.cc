// Accuracy-bounded mixed precision on a real detector and real labelled
// photos: BlazeFace short range (post-processing attached) loses several
// points of large-face AP at int8; with a bound of half that loss the search
// must keep some ops float, and the model it returns must, evaluated again
// independently, be within the bound. Bad options are refused before any
// work.
#include <gtest/gtest.h>

#include <cstdio>

#include "detlite/mixed_precision.h"
#include "detlite/postprocess.h"
#include "ir/graph.h"
#include "support/paths.h"

namespace detlite {
namespace {

AccuracyBoundOptions FaceOptions() {
  AccuracyBoundOptions o;
  o.quantize.mode = QuantizeMode::kInt8;
  o.quantize.calibration_data = testing::DataPath("datasets/coco_train2017_288/images");
  o.quantize.calibration_size = 16;
  o.quantize.preprocess.preset = PreprocessPreset::kSigned;
  o.eval_data = testing::DataPath("datasets/widerface_val200_416");
  o.eval.preprocess.preset = PreprocessPreset::kSigned;
  o.eval.max_images = 60;
  o.metric = "APl";
  o.ranking_samples = 4;
  return o;
}

StatusOr<Model> FaceModel() {
  ASSIGN_OR_RETURN(Model m, Model::Load(testing::DataPath("tflite/face_detection_short_range.tflite")));
  PostprocessOptions p;
  p.anchors = AnchorPreset::kBlazefaceShort;
  p.score_threshold = 0.01f;
  RETURN_IF_ERROR(AddPostprocess(m, p).status());
  return m;
}

TEST(MixedPrecision, RefusesBadOptionsBeforeAnyWork) {
  auto m = FaceModel();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  AccuracyBoundOptions o = FaceOptions();
  o.eval_data.clear();
  auto r = QuantizeWithAccuracyBound(*m, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--eval-data"), std::string::npos) << r.status().ToString();
  o = FaceOptions();
  o.metric = "mAP";
  r = QuantizeWithAccuracyBound(*m, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'mAP'"), std::string::npos) << r.status().ToString();
  o = FaceOptions();
  o.quantize.mode = QuantizeMode::kFloat16;
  EXPECT_FALSE(QuantizeWithAccuracyBound(*m, o).ok());
  o = FaceOptions();
  o.max_drop = -1;
  EXPECT_FALSE(QuantizeWithAccuracyBound(*m, o).ok());
}

TEST(MixedPrecision, KeepsFewOpsFloatToMeetTheBound) {
  auto m = FaceModel();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Model float_model(std::make_shared<ir::Model>(m->ir()));
  AccuracyBoundOptions o = FaceOptions();
  // First the plain int8 loss, with no bound that could bite.
  o.max_drop = 100;
  Model plain(std::make_shared<ir::Model>(m->ir()));
  auto loose = QuantizeWithAccuracyBound(plain, o);
  ASSERT_TRUE(loose.ok()) << loose.status().ToString();
  ASSERT_EQ(loose->tries.size(), 1u);
  EXPECT_TRUE(loose->kept_float.empty());
  const double plain_drop = loose->chosen.drop;
  std::printf("APl float %.1f, plain int8 drop %.1f\n", loose->float_value, plain_drop);
  ASSERT_GT(plain_drop, 1.0) << "int8 BlazeFace short is known to lose large-face AP";

  o.max_drop = plain_drop / 2;
  auto r = QuantizeWithAccuracyBound(*m, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const auto& t : r->tries) {
    std::printf("  %d ops float: APl %.1f drop %.1f invoke %.2f ms\n", t.float_ops, t.value,
                t.drop, t.invoke_ms);
  }
  EXPECT_TRUE(r->chosen.meets);
  EXPECT_FALSE(r->kept_float.empty());
  EXPECT_EQ(static_cast<int>(r->kept_float.size()), r->chosen.float_ops);
  EXPECT_LE(r->chosen.drop, o.max_drop + 1e-9);
  // The ops kept float write float tensors in the returned model.
  const ir::Subgraph& sg = m->ir().subgraphs.at(0);
  for (const std::string& pattern : r->kept_float) {
    bool found = false;
    for (const ir::Tensor& t : sg.tensors) {
      if ("=" + t.name == pattern) {
        found = true;
        EXPECT_EQ(t.dtype, DType::kFloat32) << t.name;
      }
    }
    EXPECT_TRUE(found) << pattern;
  }
  // Evaluated again from scratch, the model is what the report says.
  auto again = EvaluateModel(*m, o.eval_data, o.eval);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NEAR(100.0 * again->coco.stats[5], r->chosen.value, 1e-9);
  auto base = EvaluateModel(float_model, o.eval_data, o.eval);
  ASSERT_TRUE(base.ok());
  EXPECT_LE(100.0 * (base->coco.stats[5] - again->coco.stats[5]), o.max_drop + 1e-9);
}

// Before keeping ops float, the other calibration methods are tried on the
// whole int8 model, in the order given, and the best stays for the op search.
TEST(MixedPrecision, TriesOtherCalibrationsBeforeFloatOps) {
  auto m = FaceModel();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  AccuracyBoundOptions o = FaceOptions();
  o.calibration_methods = {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile};
  o.max_drop = 100;  // met at once: nothing else is tried
  Model loose_model(std::make_shared<ir::Model>(m->ir()));
  auto loose = QuantizeWithAccuracyBound(loose_model, o);
  ASSERT_TRUE(loose.ok()) << loose.status().ToString();
  ASSERT_EQ(loose->tries.size(), 1u);
  EXPECT_EQ(loose->chosen.calibration, kDefaultCalibrationMethod);
  o.max_drop = loose->chosen.drop / 2;
  auto r = QuantizeWithAccuracyBound(*m, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_GE(r->tries.size(), 2u);
  const std::vector<CalibrationMethod> order = {kDefaultCalibrationMethod,
                                                CalibrationMethod::kMinMax,
                                                CalibrationMethod::kPercentile};
  size_t whole = 0;  // tries of the whole int8 model, first
  CalibrationMethod best = kDefaultCalibrationMethod;
  double best_value = -1;
  for (; whole < r->tries.size() && r->tries[whole].float_ops == 0; ++whole) {
    const AccuracyBoundTry& t = r->tries[whole];
    std::printf("  calibration %s: APl %.1f drop %.1f\n", NameOf(t.calibration), t.value, t.drop);
    ASSERT_LT(whole, order.size());
    EXPECT_EQ(t.calibration, order[whole]);
    if (t.value > best_value) {
      best_value = t.value;
      best = t.calibration;
    }
  }
  if (r->chosen.float_ops == 0) {
    // A calibration alone met the bound: it is the last one tried.
    EXPECT_TRUE(r->chosen.meets);
    EXPECT_EQ(r->chosen.calibration, r->tries[whole - 1].calibration);
    EXPECT_EQ(whole, r->tries.size());
  } else {
    EXPECT_EQ(whole, order.size());  // every method was tried first
    for (size_t i = whole; i < r->tries.size(); ++i) {
      EXPECT_EQ(r->tries[i].calibration, best) << i;
    }
    EXPECT_EQ(r->chosen.calibration, best);
  }
  EXPECT_TRUE(r->chosen.meets);
}

}  // namespace
}  // namespace detlite
