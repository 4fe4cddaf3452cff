// Checkpoints and --resume through the public API (detlite/train.h), on real
// models and photos: a run stopped after its checkpoint at step N/2 and
// resumed in a fresh call writes the same .tflite bytes as a run of N steps
// that never stopped, for QAT (BlazeFace short range, 8 photos of people,
// Adam, EMA ranges) and for SSD fine-tuning (SSDLite, COCO train2017,
// flip and crop), also while a prune schedule grows the masks; a changed
// option or model is refused naming it.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "detlite/train.h"
#include "support/paths.h"
#include "support/photos.h"
#include "train/checkpoint.h"
#include "train/ssdlite_fixture.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TrainOptions QatRun(const std::string& photos) {
  TrainOptions o;
  o.data = photos;
  o.calibration_size = 8;
  o.steps = 4;
  o.batch = 2;
  o.learning_rate = 1e-4f;
  o.range_momentum = 0.1f;  // the ranges are state too
  o.checkpoint_every = 2;
  return o;
}

// Trains a copy of `model` with `o` and writes it; the file's bytes, or ""
// when training failed (the status in *error).
std::string Train(const Model& model, const TrainOptions& o, bool qat, const std::string& out,
                  Status* error = nullptr, TrainReport* report = nullptr) {
  Model m = model;
  StatusOr<TrainReport> r = qat ? TrainQat(m, o) : FineTuneSsd(m, o);
  if (error != nullptr) *error = r.status();
  if (!r.ok()) return "";
  if (report != nullptr) *report = *r;
  EXPECT_TRUE(m.Save(out).ok());
  return ReadAll(out);
}

// Straight, then stopped at `stop` and resumed from its checkpoint.
void ExpectResumeGivesTheSameBytes(const Model& model, TrainOptions o, bool qat, const std::string& tag) {
  const std::string dir = TempDir() + "/" + tag;
  o.checkpoint = dir + "_straight.ckpt";
  TrainReport straight_report;
  const std::string straight = Train(model, o, qat, dir + "_straight.tflite", nullptr, &straight_report);
  ASSERT_FALSE(straight.empty());
  const int stop = o.steps / 2;
  o.checkpoint = dir + "_stopped.ckpt";
  std::remove(o.checkpoint.c_str());
  o.stop_after_step = [stop](int step) { return step == stop; };
  Status stopped;
  EXPECT_TRUE(Train(model, o, qat, dir + "_never.tflite", &stopped).empty());
  ASSERT_EQ(stopped.code(), StatusCode::kFailedPrecondition) << stopped.ToString();
  EXPECT_NE(stopped.message().find("the last good checkpoint (step " + std::to_string(stop) + ") is kept: " +
                                   o.checkpoint), std::string::npos) << stopped.message();
  auto ck = train::Checkpoint::Read(o.checkpoint);
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();
  EXPECT_EQ(*ck->Int("run/step"), stop);
  o.stop_after_step = nullptr;
  o.resume = o.checkpoint;
  TrainReport resumed_report;
  const std::string resumed = Train(model, o, qat, dir + "_resumed.tflite", nullptr, &resumed_report);
  EXPECT_EQ(resumed_report.resumed_from, stop);
  ASSERT_EQ(resumed_report.steps.size(), straight_report.steps.size());
  for (size_t i = 0; i < resumed_report.steps.size(); ++i) {
    EXPECT_EQ(resumed_report.steps[i].box_loss, straight_report.steps[i].box_loss) << i;
    EXPECT_EQ(resumed_report.steps[i].class_loss, straight_report.steps[i].class_loss) << i;
  }
  EXPECT_EQ(straight.size(), resumed.size());
  EXPECT_TRUE(straight == resumed) << tag << ": the resumed run wrote other bytes";
  // And the weights did move: not the untrained export.
  o.resume.clear();
  o.steps = 1;
  o.checkpoint.clear();
  EXPECT_FALSE(Train(model, o, qat, dir + "_one.tflite") == straight);
}

TEST(CheckpointResume, QatStoppedAndResumedWritesTheSameBytes) {
  const std::string photos = testing::CalibrationFolder(true);
  auto model = Model::Load(DataPath("tflite/face_detection_short_range.tflite"));
  if (photos.empty() || !model.ok()) GTEST_SKIP() << "run scripts/setup.sh";
  ExpectResumeGivesTheSameBytes(*model, QatRun(photos), true, "qat");
}

// With a prune schedule the masks grow during the run: pruning at steps 1
// to 4 of 4 (the stop at 2 falls between two pruning steps) must resume
// with the pruned set and end on the same bytes.
TEST(CheckpointResume, QatWithAPruneScheduleStoppedAndResumedWritesTheSameBytes) {
  const std::string photos = testing::CalibrationFolder(true);
  auto model = Model::Load(DataPath("tflite/face_detection_short_range.tflite"));
  if (photos.empty() || !model.ok()) GTEST_SKIP() << "run scripts/setup.sh";
  TrainOptions o = QatRun(photos);
  o.prune_sparsity = 0.5f;
  o.prune_begin = 0;
  o.prune_end = 4;
  o.prune_every = 1;
  ExpectResumeGivesTheSameBytes(*model, o, true, "qat_pruned");
}

TEST(CheckpointResume, SsdFineTuneStoppedAndResumedWritesTheSameBytes) {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or coco_train2017_288 missing";
  TrainOptions o;
  o.data = DataPath(testing::kCocoTrain);
  o.steps = 4;
  o.batch = 2;
  o.learning_rate = 1e-4f;
  o.checkpoint_every = 2;
  ExpectResumeGivesTheSameBytes(*model, o, false, "ssd");
}

// --threads is not part of the fingerprint: the backward pass gives the
// same bits on any thread count, so a run stopped on 2 threads and resumed
// on 1 still ends with the bytes of the straight 2-thread run.
TEST(CheckpointResume, ResumingOnAnotherThreadCountGivesTheSameBytes) {
  const std::string photos = testing::CalibrationFolder(true);
  auto model = Model::Load(DataPath("tflite/face_detection_short_range.tflite"));
  if (photos.empty() || !model.ok()) GTEST_SKIP() << "run scripts/setup.sh";
  TrainOptions o = QatRun(photos);
  o.threads = 2;
  o.checkpoint = TempDir() + "/threads_straight.ckpt";
  const std::string straight = Train(*model, o, true, TempDir() + "/threads_straight.tflite");
  ASSERT_FALSE(straight.empty());
  o.checkpoint = TempDir() + "/threads_stopped.ckpt";
  o.stop_after_step = [](int step) { return step == 2; };
  Status stopped;
  Train(*model, o, true, TempDir() + "/threads_never.tflite", &stopped);
  ASSERT_EQ(stopped.code(), StatusCode::kFailedPrecondition) << stopped.ToString();
  o.stop_after_step = nullptr;
  o.resume = o.checkpoint;
  o.threads = 1;
  const std::string resumed = Train(*model, o, true, TempDir() + "/threads_resumed.tflite");
  EXPECT_TRUE(straight == resumed) << "resuming on 1 thread wrote other bytes";
}

TEST(CheckpointResume, AChangedOptionOrModelIsRefusedNamingIt) {
  const std::string photos = testing::CalibrationFolder(true);
  auto model = Model::Load(DataPath("tflite/face_detection_short_range.tflite"));
  auto other = Model::Load(DataPath("tflite/face_detection_full_range.tflite"));
  if (photos.empty() || !model.ok()) GTEST_SKIP() << "run scripts/setup.sh";
  TrainOptions o = QatRun(photos);
  o.steps = 2;
  o.checkpoint = TempDir() + "/refuse.ckpt";
  ASSERT_FALSE(Train(*model, o, true, TempDir() + "/refuse.tflite").empty());
  o.resume = o.checkpoint;
  o.learning_rate = 2e-4f;
  Status lr;
  Train(*model, o, true, TempDir() + "/refuse2.tflite", &lr);
  EXPECT_EQ(lr.message(), o.resume + ": --lr was 9.99999975e-05 in the checkpointed run, now 0.000199999995; "
                                     "resume with the same --lr");
  o.learning_rate = 1e-4f;
  o.seed = 7;
  Status seed;
  Train(*model, o, true, TempDir() + "/refuse2.tflite", &seed);
  EXPECT_NE(seed.message().find("--seed was 1 in the checkpointed run, now 7"), std::string::npos) << seed.message();
  o.seed = 1;
  if (other.ok()) {
    Status model_changed;
    Train(*other, o, true, TempDir() + "/refuse2.tflite", &model_changed);
    EXPECT_NE(model_changed.message().find("the checkpoint was made from another model"), std::string::npos)
        << model_changed.message();
  }
  // A QAT checkpoint given to a fine-tuning run.
  const Model* ssdlite = testing::SsdliteFixture();
  if (ssdlite == nullptr) return;
  TrainOptions f;
  f.data = DataPath(testing::kCocoTrain);
  f.resume = o.checkpoint;
  Status kind;
  Train(*ssdlite, f, false, TempDir() + "/refuse3.tflite", &kind);
  EXPECT_EQ(kind.message(), o.resume + ": a checkpoint of a --qat run; this run is --loss ssd");
}

}  // namespace
}  // namespace detlite
