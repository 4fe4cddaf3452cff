// A run whose learning rate is so large it diverges stops naming the step
// and the batch's photos, and keeps its last good checkpoint (finite weights,
// an earlier step) on disk; periodic COCO AP on a held-out labelled dataset
// gives one point per evaluation, and the HTML report plots loss and AP.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "detlite/dataset.h"
#include "detlite/train.h"
#include "support/paths.h"
#include "train/checkpoint.h"
#include "train/ssdlite_fixture.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

// Trains the SSDLite with SGD at `lr` (linear warmup over `warmup` steps),
// a checkpoint every step, until it fails; returns the message.
std::string Diverge(const Model& model, float lr, int warmup, const std::string& expected_problem) {
  Model m = model;
  TrainOptions o;
  o.data = DataPath(testing::kCocoTrain);
  o.steps = 8;
  o.batch = 2;
  o.optimizer = TrainOptimizer::kSgd;
  o.learning_rate = lr;
  o.warmup_steps = warmup;
  o.checkpoint = TempDir() + "/diverge.ckpt";
  std::remove(o.checkpoint.c_str());
  o.checkpoint_every = 1;
  std::vector<int> saved;
  o.on_checkpoint = [&saved](int step, const std::string&) { saved.push_back(step); };
  auto r = FineTuneSsd(m, o);
  EXPECT_FALSE(r.ok()) << "lr " << lr << " did not diverge in 8 steps";
  if (r.ok()) return "";
  const std::string msg = r.status().message();
  std::printf("%s\n", msg.c_str());
  EXPECT_EQ(msg.find('\n'), std::string::npos);
  EXPECT_NE(msg.find(expected_problem), std::string::npos) << msg;
  EXPECT_FALSE(saved.empty()) << msg;
  if (saved.empty()) return msg;
  const int failed = saved.back() + 1;
  EXPECT_EQ(msg.rfind("step " + std::to_string(failed) + ": ", 0), 0u) << msg;
  EXPECT_NE(msg.find("; the last good checkpoint (step " + std::to_string(saved.back()) + ") is kept: " +
                     o.checkpoint), std::string::npos) << msg;
  // The kept checkpoint is the good state: its step, and finite weights.
  auto ck = train::Checkpoint::Read(o.checkpoint);
  EXPECT_TRUE(ck.ok()) << ck.status().ToString();
  if (!ck.ok()) return msg;
  EXPECT_EQ(*ck->Int("run/step"), saved.back());
  int params = 0;
  for (const train::CheckpointRecord& rec : ck->records()) {
    if (rec.name.rfind("param/", 0) != 0) continue;
    ++params;
    auto v = ck->F32(rec.name);
    EXPECT_TRUE(v.ok());
    for (float x : *v) {
      if (!std::isfinite(x)) ADD_FAILURE() << rec.name << " is not finite in the kept checkpoint";
      if (!std::isfinite(x)) break;
    }
  }
  EXPECT_GT(params, 100);
  // It resumes, and fails again at the same step: same bits, same blow-up.
  Model again = model;
  o.resume = o.checkpoint;
  auto resumed = FineTuneSsd(again, o);
  EXPECT_FALSE(resumed.ok());
  if (!resumed.ok()) {
    EXPECT_EQ(resumed.status().message(), msg);
  }
  return msg;
}

TEST(TrainDivergence, WeightsBlowingUpStopTheRunAndKeepTheLastGoodCheckpoint) {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or coco_train2017_288 missing";
  // Measured: lr 1e4 stays finite for 8 steps (the ReLU6s bound the
  // activations and both loss terms grow linearly); 1e20 overflows a
  // depthwise filter of the box head in its third update.
  const std::string msg = Diverge(*model, 1e20f, 0, " is not finite after the update on ");
  EXPECT_NE(msg.find("tensor BoxPredictor_"), std::string::npos) << msg;
  EXPECT_NE(msg.find(".jpg, "), std::string::npos) << msg;  // the batch's two photos
}

TEST(TrainDivergence, AnInfiniteLossNamesTheBatchAndKeepsTheLastGoodCheckpoint) {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or coco_train2017_288 missing";
  // lr rising to 1e36 over 8 steps: the weights stay finite, the loss of
  // step 3 does not.
  const std::string msg = Diverge(*model, 1e36f, 8, "the SSD loss is ");
  auto ds = LoadDataset(DataPath(testing::kCocoTrain));
  ASSERT_TRUE(ds.ok());
  const size_t batch = msg.find("(batch of 2: ");
  ASSERT_NE(batch, std::string::npos) << msg;
  int named = 0;
  for (const DatasetSample& s : ds->samples) named += msg.find(s.file_name, batch) != std::string::npos;
  EXPECT_EQ(named, 2) << msg;
}

TEST(TrainEval, ApEveryStepOnHeldOutPhotosAndAReportWithBothPlots) {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr || !testing::PathExists(DataPath(testing::kCocoVal))) {
    GTEST_SKIP() << "SSDLite model.json or the COCO datasets missing";
  }
  Model m = *model;
  TrainOptions o;
  o.data = DataPath(testing::kCocoTrain);
  o.steps = 2;
  o.batch = 1;
  o.learning_rate = 1e-5f;
  o.eval_data = DataPath(testing::kCocoVal);
  o.eval_every = 1;
  o.eval_max_images = 8;
  int live = 0;
  o.on_eval = [&live](const TrainEvalPoint&) { ++live; };
  auto r = FineTuneSsd(m, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->evals.size(), 2u);
  EXPECT_EQ(live, 2);
  for (int i = 0; i < 2; ++i) {
    const TrainEvalPoint& e = r->evals[static_cast<size_t>(i)];
    std::printf("step %d: AP %.4f AP50 %.4f (%.1f s)\n", e.step, e.ap, e.ap50, e.seconds);
    EXPECT_EQ(e.step, i + 1);
    EXPECT_GT(e.ap, 0.05);  // the converted SSDLite scores about 0.28 on all 158
    EXPECT_LE(e.ap, e.ap50);
    EXPECT_LE(e.ap50, 1.0);
  }
  const std::string html = TempDir() + "/train_report.html";
  ASSERT_TRUE(WriteTrainReport(*r, "test run", html).ok());
  std::ifstream f(html);
  const std::string page((std::istreambuf_iterator<char>(f)), {});
  size_t svgs = 0;
  for (size_t at = page.find("<svg"); at != std::string::npos; at = page.find("<svg", at + 1)) ++svgs;
  EXPECT_EQ(svgs, 2u);
  EXPECT_NE(page.find("Loss per step"), std::string::npos);
  EXPECT_NE(page.find("COCO AP during training"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  // A folder of images has no labels to score against: refused before training.
  Model n = *model;
  o.eval_data = DataPath(std::string(testing::kCocoVal) + "/images");
  auto unlabelled = FineTuneSsd(n, o);
  ASSERT_FALSE(unlabelled.ok());
  EXPECT_NE(unlabelled.status().message().find("--eval-data needs a labelled dataset"), std::string::npos)
      << unlabelled.status().message();
  // A model eval cannot score (no post-processing op) is refused before
  // training too, not at the first evaluation.
  auto face = Model::Load(DataPath("tflite/face_detection_short_range.tflite"));
  if (!face.ok()) return;
  TrainOptions q;
  q.data = DataPath(std::string(testing::kCocoTrain) + "/images");
  q.eval_data = DataPath(testing::kCocoVal);
  q.steps = 1;
  int steps = 0;
  q.progress = [&steps](const TrainProgress&) { ++steps; };
  auto no_postprocess = TrainQat(*face, q);
  ASSERT_FALSE(no_postprocess.ok());
  EXPECT_EQ(no_postprocess.status().message().rfind("--eval-data: ", 0), 0u) << no_postprocess.status().message();
  EXPECT_NE(no_postprocess.status().message().find("TFLite_Detection_PostProcess"), std::string::npos);
  EXPECT_EQ(steps, 0);
}

}  // namespace
}  // namespace detlite
