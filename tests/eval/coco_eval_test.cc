#include "eval/coco_eval.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "eval/coco_json.h"
#include "support/paths.h"

namespace detlite::eval {
namespace {

constexpr double kTol = 1e-6;

CocoMetrics Evaluate(const std::string& gt_file, const std::string& dt_file) {
  auto gt = ReadCocoGroundTruth(testing::DataPath("coco-eval/" + gt_file));
  EXPECT_TRUE(gt.ok()) << gt.status().ToString();
  auto dets = ReadCocoResults(testing::DataPath("coco-eval/" + dt_file));
  EXPECT_TRUE(dets.ok()) << dets.status().ToString();
  if (!gt.ok() || !dets.ok()) return {};
  auto m = EvaluateCoco(*gt, *dets);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : CocoMetrics{};
}

void ExpectStats(const CocoMetrics& m, double tol,
                 const std::array<double, 12>& want) {
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(m.stats[i], want[i], tol) << "stat " << i;
  }
}

TEST(CocoEvalTest, MatchesPycocotoolsOnVal2014Sample) {
  CocoMetrics m = Evaluate("cocoapi_val2014_100/instances_val2014_100.json",
                           "cocoapi_val2014_100/"
                           "instances_val2014_fakebbox100_results.json");
  ExpectStats(m, 1e-12,
              {0.5045806987249628, 0.6969727247299577, 0.5729816669904824,
               0.5856257209410443, 0.5193996948036719, 0.5013978986347466,
               0.38681277964578054, 0.5936795762842003, 0.595352982877607,
               0.6398109626113442, 0.5664205978994309, 0.5642905982905982});
  // The per-class APs are what stats[0] averages.
  double sum = 0;
  int n = 0;
  for (double ap : m.per_class_ap) {
    if (ap > -1) sum += ap, ++n;
  }
  ASSERT_GT(n, 0);
  EXPECT_NEAR(sum / n, m.stats[0], 1e-9);
  EXPECT_EQ(m.precision.size(), 10u * 101 * m.category_ids.size() * 4 * 3);
}

TEST(CocoEvalTest, MatchesPadillaSampledWithBoxAreas) {
  CocoMetrics m = Evaluate("padilla_sampled/sampled_gts_bbox_area.json",
                           "padilla_sampled/sampled_bbox_results.json");
  ExpectStats(m, kTol,
              {0.503647, 0.696973, 0.571667, 0.593252, 0.557991, 0.489363,
               0.386813, 0.593680, 0.595353, 0.654764, 0.603130, 0.553744});
}

TEST(CocoEvalTest, LinspaceFollowsNumpy) {
  auto t = Linspace(0.5, 0.95, 10);
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[5], 0.75);
  EXPECT_EQ(t[9], 0.95);
  EXPECT_EQ(Linspace(0.0, 1.0, 101)[3], 3 * 0.01);
}

CocoDataset OneBox() {
  CocoDataset gt;
  gt.image_ids = {1};
  gt.categories = {{7, "thing"}};
  GroundTruth g;
  g.id = 1;
  g.image_id = 1;
  g.category_id = 7;
  g.bbox = {0, 0, 10, 10};
  g.area = 100;
  gt.annotations = {g};
  return gt;
}

TEST(CocoEvalTest, PerfectDetectionScoresOneAndAbsentAreasAreMinusOne) {
  Detection d{1, 7, {0, 0, 10, 10}, 0.9};
  auto m = EvaluateCoco(OneBox(), {d});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_DOUBLE_EQ(m->stats[0], 1.0);
  EXPECT_DOUBLE_EQ(m->stats[3], 1.0);  // area 100 is small
  EXPECT_EQ(m->stats[4], -1.0);        // no medium gt
  EXPECT_EQ(m->stats[5], -1.0);
  EXPECT_DOUBLE_EQ(m->per_class_ap[0], 1.0);
}

TEST(CocoEvalTest, CrowdGroundTruthIgnoresItsMatches) {
  CocoDataset gt = OneBox();
  gt.annotations[0].iscrowd = true;
  Detection d{1, 7, {0, 0, 5, 5}, 0.9};  // inside the crowd region
  auto m = EvaluateCoco(gt, {d});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->stats[0], -1.0);  // no non-ignored gt at all
}

TEST(CocoEvalTest, EqualScoresKeepInputOrderLikeMergesort) {
  Detection miss{1, 7, {50, 50, 10, 10}, 0.5};
  Detection hit{1, 7, {0, 0, 10, 10}, 0.5};
  auto first_miss = EvaluateCoco(OneBox(), {miss, hit});
  auto first_hit = EvaluateCoco(OneBox(), {hit, miss});
  ASSERT_TRUE(first_miss.ok() && first_hit.ok());
  EXPECT_NEAR(first_miss->stats[0], 0.5, 1e-12);
  EXPECT_NEAR(first_hit->stats[0], 1.0, 1e-12);
  // maxDets 1 keeps only the first of the tied pair.
  EXPECT_DOUBLE_EQ(first_miss->stats[6], 0.0);
  EXPECT_DOUBLE_EQ(first_hit->stats[6], 1.0);
}

TEST(CocoEvalTest, DetectionOnUnknownImageIsRejected) {
  Detection d{99, 7, {0, 0, 10, 10}, 0.9};
  auto m = EvaluateCoco(OneBox(), {d});
  EXPECT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace detlite::eval
