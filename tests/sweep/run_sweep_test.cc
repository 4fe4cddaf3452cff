// A real sweep through the library: BlazeFace (raw outputs, post-processing
// added by the plan) and Google's quantized SSD MobileNetV1, float32 and int8,
// a few WIDER FACE photos. Both SSD trials fail: its COCO labels match no
// WIDER FACE category (eval refuses), and it is already quantized (int8
// refuses). Each must be recorded with its error while the others are measured.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "detlite/evaluate.h"
#include "detlite/model.h"
#include "detlite/sweep.h"
#include "support/paths.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::DataPath;
using testing::TempDir;

std::string WritePlan(const std::string& dir, const std::string& quantization) {
  fs::create_directories(dir);
  const std::string path = dir + "/plan.json";
  std::ofstream(path) << R"({"models": [
      {"path": ")" << DataPath("tflite/face_detection_short_range.tflite")
                      << R"(", "name": "face", "postprocess": {"anchors": "blazeface-short",
       "score_threshold": 0.01}},
      {"path": ")" << DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite")
                      << R"(", "name": "ssd-v1-quant"}],
    "quantization": )" << quantization << R"(,
    "eval": {"dataset": ")" << DataPath("datasets/widerface_val200_416")
                      << R"(", "max_images": 4, "metric": "AP50"},
    "latency": {"runs": 3, "warmup": 1},
    "calibration": {"data": ")" << DataPath("datasets/coco_train2017_288/images")
                      << R"(", "size": 4}})";
  return path;
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(SweepRun, MeasuresRecordsFailureResumesAndReports) {
  const std::string dir = TempDir() + "/sweep_run";
  auto plan = LoadSweepPlan(WritePlan(dir, R"(["float32", "int8"])"));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  SweepOptions o;
  o.out_dir = dir + "/out";
  auto s = RunSweep(*plan, o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->results.size(), 4u);
  EXPECT_EQ(s->ran, 4);
  EXPECT_EQ(s->failed, 2);
  const TrialResult &face_f = s->results[0], &face_q = s->results[1];
  const TrialResult &ssd_f = s->results[2], &ssd_q = s->results[3];
  for (const TrialResult* r : {&face_f, &face_q}) {
    EXPECT_EQ(r->status, "ok") << r->id << ": " << r->error;
    EXPECT_EQ(r->file_bytes, static_cast<int64_t>(fs::file_size(o.out_dir + "/" + r->model_file)));
    EXPECT_EQ(r->eval_images, 4);
    ASSERT_EQ(r->coco.size(), 12u);
    EXPECT_GE(r->coco[1], 0.0);  // AP50 measured
    EXPECT_GT(r->latency_ms, 0.0);
    EXPECT_EQ(r->latency_runs, 3);
    EXPECT_TRUE(Model::Load(o.out_dir + "/" + r->model_file).ok());
  }
  EXPECT_LT(face_q.file_bytes, face_f.file_bytes);  // int8 weights (BlazeFace ships float16)
  {  // The recorded numbers are those of `detlite eval` on the written file.
    auto model = Model::Load(o.out_dir + "/" + face_q.model_file);
    ASSERT_TRUE(model.ok());
    EvalOptions eo;
    eo.max_images = 4;
    auto eval = EvaluateModel(*model, DataPath("datasets/widerface_val200_416"), eo);
    ASSERT_TRUE(eval.ok()) << eval.status().ToString();
    EXPECT_EQ(face_q.coco, std::vector<double>(eval->coco.stats.begin(), eval->coco.stats.end()));
    EXPECT_EQ(face_q.Metric(), eval->coco.stats[1]);  // the plan's metric: AP50
  }
  EXPECT_EQ(ssd_f.status, "failed");
  EXPECT_NE(ssd_f.error.find("matches a category"), std::string::npos) << ssd_f.error;
  EXPECT_TRUE(fs::exists(o.out_dir + "/" + ssd_f.model_file));  // converted, then eval failed
  EXPECT_EQ(ssd_q.status, "failed");
  EXPECT_NE(ssd_q.error.find("quantize"), std::string::npos) << ssd_q.error;
  EXPECT_FALSE(fs::exists(o.out_dir + "/" + ssd_q.model_file));
  EXPECT_NE(face_q.command.find("--quantize int8"), std::string::npos);

  // Run again: every trial is finished, nothing runs.
  auto again = RunSweep(*plan, o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ran, 0);
  EXPECT_EQ(again->skipped, 4);
  // A killed sweep leaves some trials without a file: only those run.
  const std::string face_q_file = o.out_dir + "/trials/" + face_q.id + ".json";
  fs::remove(face_q_file);
  auto resumed = RunSweep(*plan, o);
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->ran, 1);
  EXPECT_EQ(resumed->skipped, 3);
  EXPECT_EQ(resumed->results[1].coco, face_q.coco);
  EXPECT_EQ(resumed->results[1].file_bytes, face_q.file_bytes);
  // --retry-failed runs the failed one again (and it fails the same way).
  o.retry_failed = true;
  auto retried = RunSweep(*plan, o);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->ran, 2);
  EXPECT_EQ(retried->results[3].status, "failed");
  EXPECT_EQ(retried->results[3].error, ssd_q.error);

  const std::string report = o.out_dir + "/report.html";
  ASSERT_TRUE(WriteSweepReport(retried->results, report).ok());
  const std::string html = ReadText(report);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);  // self-contained
  EXPECT_EQ(html.find("http://cdn"), std::string::npos);
  for (const TrialResult& r : retried->results) EXPECT_NE(html.find(r.id), std::string::npos);
  EXPECT_NE(html.find("failed: "), std::string::npos);
}

TEST(SweepRun, RefusesADirectoryOfAnotherPlan) {
  const std::string dir = TempDir() + "/sweep_other";
  auto a = LoadSweepPlan(WritePlan(dir + "/a", R"(["float32"])"));
  auto b = LoadSweepPlan(WritePlan(dir + "/b", R"(["float16"])"));
  ASSERT_TRUE(a.ok() && b.ok());
  SweepOptions o;
  o.out_dir = dir + "/out";
  o.shard = Shard{1, 2};  // one trial: the face model
  auto first = RunSweep(*a, o);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->ran, 1);
  auto second = RunSweep(*b, o);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("from another plan"), std::string::npos);
  auto merged = ReadTrialResults({dir + "/out"});
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->size(), 1u);
}

// Input sizes run through the trial conversion: BlazeFace at its own 128x128
// and at 192x192 (anchors from the resized model's input), each file's input
// is the trial's size, and both find some face.
TEST(SweepRun, InputSizesAreConvertedAndMeasured) {
  const std::string dir = TempDir() + "/sweep_sizes";
  fs::create_directories(dir);
  const std::string path = dir + "/plan.json";
  std::ofstream(path) << R"({"models": [
      {"path": ")" << DataPath("tflite/face_detection_short_range.tflite")
                      << R"(", "name": "face", "postprocess": {"anchors": "blazeface-short",
       "score_threshold": 0.01}}],
    "input_sizes": ["native", "192x192"],
    "quantization": ["float32"],
    "eval": {"dataset": ")" << DataPath("datasets/widerface_val200_416")
                      << R"(", "max_images": 12, "metric": "AP50"},
    "latency": {"runs": 2, "warmup": 1}})";
  auto plan = LoadSweepPlan(path);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  SweepOptions o;
  o.out_dir = dir + "/out";
  auto s = RunSweep(*plan, o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->results.size(), 2u);
  const int sides[2] = {128, 192};
  for (int i = 0; i < 2; ++i) {
    const TrialResult& r = s->results[static_cast<size_t>(i)];
    ASSERT_EQ(r.status, "ok") << r.id << ": " << r.error;
    EXPECT_EQ(r.input_size, i == 0 ? "native" : "192x192");
    auto model = Model::Load(o.out_dir + "/" + r.model_file);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    auto runner = Runner::Create(*model);
    ASSERT_TRUE(runner.ok());
    EXPECT_EQ(runner->InputInfo(0).shape, (std::vector<int32_t>{1, sides[i], sides[i], 3}));
    ASSERT_EQ(r.coco.size(), 12u);
    // Some face found (the short-range model is weak on WIDER FACE's small
    // faces: AP50 0.02 at 128x128, 0.04 at 192x192 on these 12 photos).
    EXPECT_GT(r.coco[1], 0.0) << "AP50 at " << r.input_size;
  }
  EXPECT_NE(s->results[1].command.find("--input-size 192x192"), std::string::npos);
}

}  // namespace
}  // namespace detlite
