// The learning-rate schedules after the warmup: cosine (the default),
// constant and steps, and the refusals of a step list that cannot apply.
#include <gtest/gtest.h>

#include "api/train_run.h"
#include "train/optimizer.h"

namespace detlite::train {
namespace {

TEST(LearningRateSchedule, CosineIsTheDefaultAndConstantHolds) {
  LearningRateSchedule cosine;
  for (int s = 0; s < 20; ++s) {
    EXPECT_EQ(ScheduledLearningRate(1e-3f, s, 20, 4, cosine), CosineLearningRate(1e-3f, s, 20, 4));
  }
  LearningRateSchedule constant;
  constant.kind = LearningRateSchedule::Kind::kConstant;
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1e-3f, 0, 20, 4, constant), 0.25e-3f);  // warmup
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1e-3f, 4, 20, 4, constant), 1e-3f);
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1e-3f, 19, 20, 4, constant), 1e-3f);
}

TEST(LearningRateSchedule, StepsMultiplyFromEachBoundaryOn) {
  LearningRateSchedule s;
  s.kind = LearningRateSchedule::Kind::kStep;
  s.boundaries = {10, 20};
  s.factor = 0.5f;
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1.0f, 0, 30, 2, s), 0.5f);  // warmup, 1 of 2
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1.0f, 9, 30, 2, s), 1.0f);
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1.0f, 10, 30, 2, s), 0.5f);
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1.0f, 19, 30, 2, s), 0.5f);
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1.0f, 20, 30, 2, s), 0.25f);
  EXPECT_FLOAT_EQ(ScheduledLearningRate(1.0f, 29, 30, 2, s), 0.25f);
}

TEST(LearningRateSchedule, TheApiRefusesStepsThatCannotApply) {
  TrainOptions o;
  o.steps = 100;
  o.warmup_steps = 10;
  o.lr_schedule = LrSchedule::kStep;
  o.lr_boundaries = {50, 80};
  auto ok = api::ScheduleOf(o);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->boundaries, (std::vector<int>{50, 80}));
  EXPECT_FLOAT_EQ(ok->factor, 0.1f);
  for (const auto& [bounds, why] : std::vector<std::pair<std::vector<int>, std::string>>{
           {{}, "at least one step"}, {{5}, "after the warmup"}, {{50, 40}, "after the previous"},
           {{100}, "before --steps 100"}}) {
    o.lr_boundaries = bounds;
    auto r = api::ScheduleOf(o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().message();
  }
  o.lr_boundaries = {50};
  o.lr_decay = 0;
  EXPECT_FALSE(api::ScheduleOf(o).ok());
}

}  // namespace
}  // namespace detlite::train
