// Sweep plans: every bad field is refused before anything runs, with the plan
// file and the JSON path of the field; expansion and trial ids are stable.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "detlite/sweep.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;

// A valid plan with absolute paths; `extra` is spliced in before the last brace.
std::string Plan(const std::string& quantization, const std::string& extra = "") {
  return R"({"models": [{"path": ")" + DataPath("tflite/face_detection_short_range.tflite") +
         R"(", "name": "face", "postprocess": {"anchors": "blazeface-short"}}],
  "quantization": )" + quantization + R"(,
  "eval": {"dataset": ")" + DataPath("datasets/widerface_val200_416") + R"(", "max_images": 3},
  "calibration": {"data": ")" + DataPath("datasets/coco_train2017_288/images") + R"(", "size": 4})" +
         extra + "}";
}

std::string ErrorOf(const std::string& text) {
  auto plan = ParseSweepPlan(text, "p.json");
  EXPECT_FALSE(plan.ok()) << "accepted: " << text;
  return plan.ok() ? "" : plan.status().message();
}

TEST(SweepPlan, ValidPlanExpandsInPlanOrder) {
  auto plan = ParseSweepPlan(Plan(R"(["float32", "float16", {"mode": "int8"}])"), "p.json");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const auto trials = ExpandTrials(*plan);
  ASSERT_EQ(trials.size(), 3u);
  EXPECT_EQ(trials[0].quantization->label, "float32");
  EXPECT_EQ(trials[2].quantization->label, "int8 (mse)");
  std::set<std::string> ids;
  for (const auto& t : trials) ids.insert(t.id);
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(trials[0].id.size(), 12u);
  EXPECT_EQ(plan->models[0].name, "face");
  EXPECT_EQ(plan->max_images, 3);
}

TEST(SweepPlan, TrialIdsDependOnSettingsNotSpelling) {
  auto a = ParseSweepPlan(Plan(R"(["float32", {"mode": "int8"}])"), "a.json");
  auto b = ParseSweepPlan(
      Plan(R"([{"mode": "int8", "calibration_method": "mse", "weight_rounding": "nearest"}])"),
      "b.json");
  auto c = ParseSweepPlan(Plan(R"([{"mode": "int8", "calibration_method": "minmax"}])"), "c.json");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(ExpandTrials(*a)[1].id, ExpandTrials(*b)[0].id);  // defaults spelled out or not
  EXPECT_NE(ExpandTrials(*b)[0].id, ExpandTrials(*c)[0].id);
  EXPECT_NE(a->plan_hash, b->plan_hash);
  // The command that recreates the file names every non-default choice.
  const std::string cmd = TrialCommand(*c, ExpandTrials(*c)[0], "out.tflite");
  EXPECT_NE(cmd.find("--add-postprocess --anchors blazeface-short"), std::string::npos) << cmd;
  EXPECT_NE(cmd.find("--quantize int8"), std::string::npos) << cmd;
  EXPECT_NE(cmd.find("--calibration-method minmax"), std::string::npos) << cmd;
  EXPECT_NE(cmd.find("--calibration-size 4"), std::string::npos) << cmd;
}

TEST(SweepPlan, BadFieldsNameFileAndJsonPath) {
  EXPECT_EQ(ErrorOf(Plan(R"(["float32", "int4"])")),
            "p.json: line 2: /quantization/1/mode: 'int4' is not one of float32, float16, dynamic, "
            "int8, "
            "int16x8");
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "colour": 1)")).find("p.json: line 4: /colour: unknown key"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(Plan(R"([{"mode": "float16", "equalize": "skip-relu6"}])"))
                .rfind("p.json: line 2: /quantization/0/equalize: mode float16 takes no equalize", 0),
            0u);
  EXPECT_EQ(ErrorOf(Plan(R"([{"mode": "dynamic", "bias_correction": "empirical"}])"))
                .rfind("p.json: line 2: /quantization/0/bias_correction: mode dynamic takes no", 0),
            0u);
  EXPECT_NE(ErrorOf(Plan(R"([{"mode": "int8", "percentile": 99.9}])"))
                .find("/quantization/0/percentile: needs \"calibration_method\": \"percentile\""),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"([{"mode": "int8", "weight_rounding": "up"}])"))
                .find("/quantization/0/weight_rounding: 'up' is not one of nearest, adaround"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"(["int8", {"mode": "int8", "calibration_method": "mse"}])"))
                .find("/quantization/1: the same settings as /quantization/0"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "latency": {"runs": 0})"))
                .find("p.json: line 4: /latency/runs: 0 is outside [1, 100000]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "preprocess": "weird")"))
                .find("p.json: line 4: /preprocess: 'weird' is not one of auto, raw"),
            std::string::npos);
}

TEST(SweepPlan, MissingFilesAndReservedFeaturesAreRefused) {
  std::string missing = Plan(R"(["float32"])");
  missing.replace(missing.find("face_detection_short_range"), 4, "nope");
  EXPECT_NE(ErrorOf(missing).find("p.json: line 1: /models/0/path: no such file or directory"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "input_sizes": ["native", "0x5"])"))
                .find("/input_sizes/1: input size '0x5': expected HxW"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "input_sizes": ["abc"])"))
                .find("/input_sizes/0: input size 'abc'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "input_sizes": [320])"))
                .find("/input_sizes/0: 320: expected \"native\" or \"HxW\""),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "input_sizes": ["192x192", "192"])"))
                .find("/input_sizes/1: \"192x192\" given twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "pruning": [0, 0.5])"))
                .find("/pruning/1: 0.5: pruning is reserved"),
            std::string::npos);
  std::string no_cal = Plan(R"(["float32", "int8"])");
  no_cal.replace(no_cal.rfind(',', no_cal.find("\"calibration\"")), std::string::npos, "}");
  EXPECT_EQ(ErrorOf(no_cal), "p.json: /calibration/data: required by /quantization/1 (int8 (mse))");
  EXPECT_EQ(ErrorOf("{\"models\": [\n  \"a\",\n  oops]}"), "p.json: line 3: not valid JSON");
  EXPECT_EQ(ErrorOf(R"({"eval": {}})"), "p.json: /models: required");
  EXPECT_NE(ErrorOf(Plan(R"(["float32"])", R"(, "eval": {"dataset": "x", "metric": "mAP"})"))
                .find("/eval"),
            std::string::npos);
}

// Input sizes expand like any other axis; "N" is spelled "NxN" in the trial
// and its command, and "native" keeps the ids of plans written before sizes.
TEST(SweepPlan, InputSizesExpandIntoTrialsWithTheirCommand) {
  auto plain = ParseSweepPlan(Plan(R"(["float32"])"), "p.json");
  auto sized = ParseSweepPlan(
      Plan(R"(["float32", "float16"])", R"(, "input_sizes": ["native", "192", "256x192"])"), "p.json");
  ASSERT_TRUE(plain.ok() && sized.ok()) << sized.status().ToString();
  EXPECT_EQ(sized->input_sizes, (std::vector<std::string>{"native", "192x192", "256x192"}));
  const auto trials = ExpandTrials(*sized);
  ASSERT_EQ(trials.size(), 6u);
  std::set<std::string> ids;
  int with_flag = 0;
  for (const auto& t : trials) {
    ids.insert(t.id);
    const std::string cmd = TrialCommand(*sized, t, "out.tflite");
    if (t.input_size == "native") {
      EXPECT_EQ(cmd.find("--input-size"), std::string::npos) << cmd;
    } else {
      EXPECT_NE(cmd.find("--input-size " + t.input_size), std::string::npos) << cmd;
      ++with_flag;
    }
  }
  EXPECT_EQ(with_flag, 4);
  EXPECT_EQ(ids.size(), 6u);
  EXPECT_TRUE(ids.count(ExpandTrials(*plain)[0].id)) << "native trial id changed";
}

TEST(SweepPlan, ErrorsNameTheLineOfTheField) {
  const std::string text = "{\n  \"models\": [\n    {\"path\": \"" +
                           DataPath("tflite/face_detection_short_range.tflite") +
                           "\",\n     \"name\": [1]}\n  ],\n  \"eval\": {}\n}";
  EXPECT_EQ(ErrorOf(text), "p.json: line 4: /models/0/name: expected a string");
  const std::string later = "{\"models\": [\"" + DataPath("tflite/half_plus_two.tflite") +
                            "\"],\n\"eval\": {\"dataset\": \"x\",\n \"max_images\": 1}}";
  EXPECT_EQ(ErrorOf(later).rfind("p.json: line 2: /eval/dataset: no such file", 0), 0u)
      << ErrorOf(later);
}

TEST(SweepPlan, PathsResolveAgainstThePlanFolder) {
  auto missing = LoadSweepPlan("/no/such/plan.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/no/such/plan.json"), std::string::npos);
}

}  // namespace
}  // namespace detlite
