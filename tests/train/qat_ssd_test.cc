// Quantization-aware training with the SSD loss on labels (`detlite train
// --qat --loss ssd`, the default of --qat on a labelled dataset), on the
// real SSDLite MobileNetV2 COCO and labelled COCO train2017 photos: steps on
// one batch lower the SSD loss of the fake-quant student; through the
// public API a labelled dataset picks the SSD loss, and the int8 file it
// writes gives the same detections in detlite and in the real TFLite
// runtime; a folder of images picks distillation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "detlite/dataset.h"
#include "detlite/detection.h"
#include "detlite/train.h"
#include "quant/calibrate.h"
#include "quant/fold_float_weights.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"
#include "train/qat.h"
#include "train/ssdlite_fixture.h"

namespace detlite {
namespace {

const char* const kTrain = testing::kCocoTrain;


TEST(QatSsd, StepsOnOneBatchLowerTheStudentsSsdLoss) {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  auto ds = LoadDataset(testing::DataPath(kTrain), {2, ""});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  auto runner = Runner::Create(*model);
  ASSERT_TRUE(runner.ok());
  const std::vector<train::SsdSample> batch = {testing::SsdSampleOf(*ds, 0, runner->InputInfo(0)),
                                               testing::SsdSampleOf(*ds, 1, runner->InputInfo(0))};
  ir::Model m = model->ir();
  int folded = 0;
  ASSERT_TRUE(quant::FoldFloatWeights(m, &folded).ok());
  quant::SampleLoader load = [&batch](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    const std::vector<float>& v = batch[static_cast<size_t>(i)].input;
    std::vector<uint8_t> b(v.size() * sizeof(float));
    std::memcpy(b.data(), v.data(), b.size());
    return std::vector<std::vector<uint8_t>>{std::move(b)};
  };
  quant::CalibrationOptions copts;
  copts.histograms = true;
  auto observers = quant::Calibrate(m, 2, load, copts);
  ASSERT_TRUE(observers.ok()) << observers.status().ToString();
  train::QatOptions o;
  o.steps = 5;
  o.lr = 1e-4f;
  o.warmup_steps = 0;
  o.threads = 2;
  o.ssd_loss = true;
  auto session = train::QatSession::Create(m, std::move(*observers), o);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  std::vector<double> loss;
  for (int s = 0; s < o.steps; ++s) {
    auto step = (*session)->StepSsd(batch);
    ASSERT_TRUE(step.ok()) << step.status().ToString();
    EXPECT_GT(step->matches, 0);
    ASSERT_TRUE(std::isfinite(step->loss.total()));
    std::printf("step %d: box %.4f class %.4f (%d matches)\n", step->step, step->loss.box,
                step->loss.cls, step->matches);
    loss.push_back(step->loss.total());
  }
  // Each step's loss is taken before its update: the last saw 4 updates.
  EXPECT_LT(loss.back(), 0.9 * loss.front());
}

TEST(QatSsd, LabelledDataPicksTheSsdLossAndTheInt8FileRunsInTheRealRuntime) {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  Model m = *model;
  TrainOptions o;
  o.data = testing::DataPath(kTrain);
  o.steps = 2;
  o.batch = 2;
  o.calibration_size = 4;
  o.learning_rate = 1e-4f;
  o.warmup_steps = 0;
  auto r = TrainQat(m, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->loss, "ssd");
  EXPECT_GT(r->training_boxes, 0);
  ASSERT_EQ(r->steps.size(), 2u);
  for (const TrainProgress& s : r->steps) {
    EXPECT_TRUE(s.ssd_loss);
    EXPECT_GT(s.matches, 0);
    EXPECT_GT(s.box_loss + s.class_loss, 0);
  }
  EXPECT_GT(r->quantize.ops_quantized, 50);
  const std::string path = testing::TempDir() + "/ssdlite_qat_ssd.tflite";
  ASSERT_TRUE(m.Save(path).ok());
  auto loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto ours = Runner::Create(*loaded);
  ASSERT_TRUE(ours.ok());
  auto ds = LoadDataset(testing::DataPath(testing::kCocoVal), {1, ""});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  auto img = LoadSampleImage(ds->samples[0]);
  ASSERT_TRUE(img.ok());
  auto in = ImageToInput(*img, ours->InputInfo(0), {});
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(ours->SetInput(0, in->bytes).ok());
  ASSERT_TRUE(ours->Run().ok());
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  auto real = testing::RunInRealTflite(path, {in->bytes});
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  ASSERT_EQ(real->outputs.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const testing::Diff d = testing::CompareBuffers("float32", ours->Output(i).bytes, real->outputs[i].bytes);
    ASSERT_GE(d.count, 0);
    EXPECT_EQ(d.max_abs, 0) << "output " << i;  // int8 end to end: the same detections
  }
}

TEST(QatSsd, AFolderOfImagesPicksDistillation) {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  Model m = *model;
  TrainOptions o;
  o.data = testing::DataPath(std::string(kTrain) + "/images");
  o.steps = 1;
  o.batch = 1;
  o.calibration_size = 1;
  auto r = TrainQat(m, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->loss, "distill");
  ASSERT_EQ(r->steps.size(), 1u);
  EXPECT_FALSE(r->steps[0].ssd_loss);
  EXPECT_EQ(r->training_boxes, 0);
}

}  // namespace
}  // namespace detlite
