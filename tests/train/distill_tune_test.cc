// Float fine-tuning by distillation from a teacher: BlazeFace short range
// pruned to 50% (one shot, no photos) learns the unpruned model's head
// outputs on photos of people: the loss on the batch falls, the pruned
// zeros stay zero, the kept weights move; a teacher whose head outputs do
// not match is refused naming them.
#include <gtest/gtest.h>

#include <cstring>

#include "detlite/model.h"
#include "detlite/prune.h"
#include "prune/layers.h"
#include "quant/fold_float_weights.h"
#include "support/paths.h"
#include "train/distill_tune.h"
#include "train/qat_test_util.h"

namespace detlite::train {
namespace {

using testing::BlazeFaceFixture;
using testing::QatFixture;

int64_t Zeros(const ir::Model& m) {
  int64_t z = 0;
  const ir::Subgraph& sg = m.subgraphs[0];
  for (const prune::Layer& l : prune::FindLayers(sg)) {
    for (float v : prune::WeightValues(sg.tensors[static_cast<size_t>(l.weights)])) z += v == 0.0f;
  }
  return z;
}

TEST(DistillTune, APrunedStudentLearnsTheTeachersOutputsAndKeepsItsZeros) {
  std::string why;
  const QatFixture* f = BlazeFaceFixture(&why);
  if (f == nullptr) GTEST_SKIP() << why;
  Model pruned(std::make_shared<ir::Model>(f->model));
  PruneOptions po;
  po.sparsity = 0.5f;
  auto report = Prune(pruned, po);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ir::Model student = pruned.ir();
  int folded = 0;  // the pruned weights come back dense from behind DENSIFY
  ASSERT_TRUE(quant::FoldFloatWeights(student, &folded).ok());
  const int64_t zeros = Zeros(student);
  ASSERT_GT(zeros, 10000);
  FineTuneOptions o;
  o.steps = 4;
  o.lr = 1e-4f;
  o.warmup_steps = 0;
  auto s = DistillTuneSession::Create(student, f->model, o, 1.0f);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const std::vector<std::vector<float>> batch(f->photos.begin(), f->photos.begin() + 4);
  auto before = (*s)->Loss(batch);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_GT(before->total(), 0);
  for (int k = 0; k < o.steps; ++k) {
    auto step = (*s)->Step(batch, {});
    ASSERT_TRUE(step.ok()) << step.status().ToString();
  }
  auto after = (*s)->Loss(batch);
  ASSERT_TRUE(after.ok());
  std::printf("distillation loss on the batch: %.5f -> %.5f\n", before->total(), after->total());
  EXPECT_LT(after->total(), 0.8 * before->total());
  const ir::Model trained = (*s)->Export();
  EXPECT_EQ(Zeros(trained), zeros);  // the masks kept every pruned weight at 0
  // The weights moved.
  const ir::Subgraph& a = trained.subgraphs[0];
  const ir::Subgraph& b = student.subgraphs[0];
  int moved = 0;
  for (const prune::Layer& l : prune::FindLayers(a)) {
    moved += prune::WeightValues(a.tensors[static_cast<size_t>(l.weights)]) !=
             prune::WeightValues(b.tensors[static_cast<size_t>(l.weights)]);
  }
  EXPECT_GT(moved, 10);
}

TEST(DistillTune, ATeacherWithOtherHeadShapesIsRefused) {
  std::string why;
  const QatFixture* f = BlazeFaceFixture(&why);
  if (f == nullptr) GTEST_SKIP() << why;
  auto full = Model::Load(detlite::testing::DataPath("tflite/face_detection_full_range.tflite"));
  if (!full.ok()) GTEST_SKIP() << full.status().ToString();
  ir::Model teacher = full->ir();
  int folded = 0;
  ASSERT_TRUE(quant::FoldFloatWeights(teacher, &folded).ok());
  auto s = DistillTuneSession::Create(f->model, teacher, FineTuneOptions{}, 1.0f);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("does not match the model's"), std::string::npos)
      << s.status().message();
}

}  // namespace
}  // namespace detlite::train
