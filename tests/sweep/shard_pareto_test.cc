// Shard specs (flag and scheduler environment) and the Pareto front.
#include <gtest/gtest.h>

#include <cstdlib>

#include "detlite/sweep.h"

namespace detlite {
namespace {

TEST(SweepShard, ParsesKOfNAndRefusesImpossibleOnes) {
  auto s = ParseShard("2/3");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 3);
  EXPECT_FALSE(s->Contains(0));
  EXPECT_TRUE(s->Contains(1));
  EXPECT_TRUE(s->Contains(4));
  for (const char* bad : {"3/2", "0/0", "0/3", "1/0", "a/b", "2", "-1/2", "1/2/3", " 1/2", ""}) {
    auto r = ParseShard(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("--shard"), std::string::npos);
    }
  }
}

TEST(SweepShard, EveryTrialInExactlyOneShard) {
  for (int n = 1; n <= 5; ++n) {
    for (int t = 0; t < 17; ++t) {
      int owners = 0;
      for (int k = 1; k <= n; ++k) owners += Shard{k, n}.Contains(t) ? 1 : 0;
      EXPECT_EQ(owners, 1) << t << " of " << n;
    }
  }
}

class SweepShardEnv : public ::testing::Test {
 protected:
  void SetUp() override { Clear(); }
  void TearDown() override { Clear(); }
  static void Clear() {
    for (const char* v : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
                          "JOB_COMPLETION_INDEX", "DETLITE_SHARD_COUNT"}) {
      unsetenv(v);
    }
  }
};

TEST_F(SweepShardEnv, NoneSetMeansTheWholePlan) {
  std::string source;
  auto s = ShardFromEnvironment(&source);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->has_value());
  EXPECT_EQ(source, "");
}

TEST_F(SweepShardEnv, SlurmArrayIdsAreShiftedByTheirMinimum) {
  setenv("SLURM_ARRAY_TASK_ID", "0", 1);
  setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
  setenv("SLURM_ARRAY_TASK_MIN", "0", 1);
  std::string source;
  auto s = ShardFromEnvironment(&source);
  ASSERT_TRUE(s.ok() && s->has_value()) << s.status().ToString();
  EXPECT_EQ((**s).index, 1);
  EXPECT_EQ((**s).count, 4);
  setenv("SLURM_ARRAY_TASK_ID", "4", 1);
  setenv("SLURM_ARRAY_TASK_MIN", "1", 1);
  s = ShardFromEnvironment(&source);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((**s).index, 4);
  // Slurm wins over a Kubernetes index set at the same time.
  setenv("JOB_COMPLETION_INDEX", "0", 1);
  setenv("DETLITE_SHARD_COUNT", "4", 1);
  s = ShardFromEnvironment(&source);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((**s).index, 4);
  EXPECT_NE(source.find("SLURM_ARRAY_TASK_ID"), std::string::npos);
  setenv("SLURM_ARRAY_TASK_ID", "9", 1);
  EXPECT_FALSE(ShardFromEnvironment(&source).ok());
}

TEST_F(SweepShardEnv, KubernetesIndexNeedsTheCount) {
  setenv("JOB_COMPLETION_INDEX", "2", 1);
  std::string source;
  auto s = ShardFromEnvironment(&source);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("DETLITE_SHARD_COUNT"), std::string::npos);
  setenv("DETLITE_SHARD_COUNT", "3", 1);
  s = ShardFromEnvironment(&source);
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((**s).index, 3);
  EXPECT_EQ((**s).count, 3);
  setenv("DETLITE_SHARD_COUNT", "2", 1);
  EXPECT_FALSE(ShardFromEnvironment(&source).ok());
}

TEST(SweepPareto, KeepsExactlyTheUndominated) {
  // cost (ms), value (AP)
  const std::vector<ParetoPoint> p = {
      {10, 0.30},  // 0 front: most accurate
      {5, 0.25},   // 1 front
      {6, 0.20},   // 2 dominated by 1
      {2, 0.10},   // 3 front: fastest
      {5, 0.25},   // 4 tie with 1: both kept
      {12, 0.30},  // 5 dominated by 0 (same AP, slower)
      {2, 0.05},   // 6 dominated by 3 (same cost, less AP)
  };
  EXPECT_EQ(ParetoFront(p), (std::vector<size_t>{0, 1, 3, 4}));
  EXPECT_TRUE(ParetoFront({}).empty());
  EXPECT_EQ(ParetoFront({{1, 1}}), std::vector<size_t>{0});
}

}  // namespace
}  // namespace detlite
