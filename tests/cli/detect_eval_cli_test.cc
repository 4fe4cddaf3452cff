// detect, eval and bench as a user runs them, on the real quantized COCO SSD,
// real photos and the evaluator's published references.
#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 600);
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const std::string kSsd = "tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite";
const std::string kLabels = "tflite/coco_ssd_mobilenet_v1_labelmap.txt";

TEST(DetectCliTest, CatsAndDogsGiveTheRealRuntimesBoxes) {
  const std::string out = TempDir() + "/detect_cli";
  auto r = Cli({"detect", DataPath(kSsd), DataPath("images/cats_and_dogs.jpg"), "--labels",
                DataPath(kLabels), "--score-threshold", "0.45", "-o", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // What the real TFLite runtime gives on this photo (PITFALLS.md): label,
  // x, y, w, h in pixels, score.
  struct Want {
    const char* label;
    double x, y, w, h, score;
  };
  const Want want[] = {{"cat", 48, 398, 399, 196, 0.668}, {"cat", 596, 158, 440, 447, 0.621},
                       {"cat", 262, 396, 176, 206, 0.539}, {"dog", 81, 231, 584, 375, 0.488},
                       {"dog", 379, 208, 281, 400, 0.477}};
  const auto& dets = j["detections"];
  ASSERT_EQ(dets.size(), 5u) << dets.dump();
  for (size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(dets[i]["label"], want[i].label);
    EXPECT_EQ(dets[i]["category_id"], std::string(want[i].label) == "cat" ? 17 : 18);
    const auto& b = dets[i]["bbox"];
    EXPECT_NEAR(b[0].get<double>(), want[i].x, 1.0);
    EXPECT_NEAR(b[1].get<double>(), want[i].y, 1.0);
    EXPECT_NEAR(b[2].get<double>(), want[i].w, 1.0);
    EXPECT_NEAR(b[3].get<double>(), want[i].h, 1.0);
    EXPECT_NEAR(dets[i]["score"].get<double>(), want[i].score, 0.001);
  }
  // The drawn photo and the COCO results file are there and complete.
  const std::string png = out + "/cats_and_dogs_detections.png";
  ASSERT_TRUE(std::filesystem::exists(png));
  EXPECT_EQ(Slurp(png).substr(1, 3), "PNG");
  const auto results = nlohmann::json::parse(Slurp(out + "/detections.json"));
  EXPECT_EQ(results, dets);
}

TEST(DetectCliTest, NamesComeFromTheLabelMapInsideTheModel) {
  auto r = Cli({"detect", DataPath(kSsd), DataPath("images/cats_and_dogs.jpg"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto dets = nlohmann::json::parse(r.out)["detections"];
  ASSERT_FALSE(dets.empty());
  EXPECT_EQ(dets[0]["label"], "cat");
  // convert keeps the archive, so the copy still knows its classes.
  const std::string copy = TempDir() + "/ssd_copy.tflite";
  ASSERT_EQ(Cli({"convert", DataPath(kSsd), "-o", copy}).exit_code, 0);
  r = Cli({"detect", copy, DataPath("images/cats_and_dogs.jpg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("labels: labelmap.txt inside the model"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("cat "), std::string::npos) << r.out;
}

TEST(DetectCliTest, ModelWithoutPostProcessingPointsToConvert) {
  auto r = Cli({"detect", DataPath("tflite/ssd_mobilenetv2_oidv4_fp16.tflite"),
                DataPath("images/cats_and_dogs.jpg")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--add-postprocess"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ssd_mobilenetv2_oidv4_fp16.tflite"), std::string::npos) << r.err;
}

TEST(DetectCliTest, UnreadablePhotoIsNamed) {
  const std::string bad = TempDir() + "/not_a_photo.jpg";
  std::ofstream(bad) << "hello";
  auto r = Cli({"detect", DataPath(kSsd), bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not_a_photo.jpg"), std::string::npos) << r.err;
}

void ExpectStats(const nlohmann::json& coco, const std::vector<double>& want) {
  const char* names[12] = {"AP", "AP50", "AP75", "APs", "APm", "APl",
                           "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};
  for (size_t i = 0; i < 12; ++i) EXPECT_NEAR(coco[names[i]].get<double>(), want[i], 1e-6) << names[i];
}

TEST(EvalCliTest, CocoResultsFilesMatchPycocotools) {
  // References from ../shared/data/coco-eval/EXPECTED.md.
  auto r = Cli({"eval", "--detections",
                DataPath("coco-eval/cocoapi_val2014_100/instances_val2014_fakebbox100_results.json"),
                "--dataset", DataPath("coco-eval/cocoapi_val2014_100/instances_val2014_100.json"),
                "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectStats(nlohmann::json::parse(r.out)["coco"],
              {0.5045806987249628, 0.6969727247299577, 0.5729816669904824, 0.5856257209410443,
               0.5193996948036719, 0.5013978986347466, 0.38681277964578054, 0.5936795762842003,
               0.595352982877607, 0.6398109626113442, 0.5664205978994309, 0.5642905982905982});
  r = Cli({"eval", "--detections", DataPath("coco-eval/padilla_sampled/sampled_bbox_results.json"),
           "--dataset", DataPath("coco-eval/padilla_sampled/sampled_gts_bbox_area.json"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectStats(nlohmann::json::parse(r.out)["coco"],
              {0.503647, 0.696973, 0.571667, 0.593252, 0.557991, 0.489363, 0.386813, 0.593680,
               0.595353, 0.654764, 0.603130, 0.553744});
}

TEST(EvalCliTest, VocTextFilesMatchReference) {
  auto r = Cli({"eval", "--detections", DataPath("coco-eval/padilla_voc_case1/dets"), "--dataset",
                DataPath("coco-eval/padilla_voc_case1/gts"), "--iou", "0.1", "0.3", "0.5", "0.75",
                "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = nlohmann::json::parse(r.out)["voc"];
  ASSERT_EQ(rows.size(), 4u);
  const double eleven[] = {0.3333333333, 0.2683982683, 0.0303030303, 0.0};
  const double every[] = {0.3371980676, 0.2456866804, 0.0222222222, 0.0};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(rows[i]["class"], "object");
    EXPECT_NEAR(rows[i]["ap_11_point"].get<double>(), eleven[i], 1e-9);
    EXPECT_NEAR(rows[i]["ap_every_point"].get<double>(), every[i], 1e-9);
  }
}

TEST(EvalCliTest, ModelOnCocoMiniWritesReport) {
  const std::string report = TempDir() + "/report.html";
  auto r = Cli({"eval", DataPath(kSsd), "--dataset", DataPath("datasets/coco_mini"), "--labels",
                DataPath(kLabels), "--report", report, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["images"], 5);
  EXPECT_EQ(j["classes"].size(), 11u);  // 'background' is not scored
  EXPECT_GT(j["detections"].get<int>(), 0);
  for (const auto& [name, v] : j["coco"].items()) {
    EXPECT_GE(v.get<double>(), -1.0);
    EXPECT_LE(v.get<double>(), 1.0);
  }
  const std::string html = Slurp(report);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
  EXPECT_NE(html.find("handbag"), std::string::npos);
}

TEST(EvalCliTest, ClearErrors) {
  const std::string folder = TempDir() + "/photos_only";
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(DataPath("images/cats_and_dogs.jpg"), folder + "/a.jpg",
                             std::filesystem::copy_options::overwrite_existing);
  auto r = Cli({"eval", DataPath(kSsd), "--dataset", folder});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no boxes"), std::string::npos) << r.err;
  r = Cli({"eval", DataPath(kSsd), "--dataset", DataPath("datasets/voc_mini"), "--labels",
           DataPath(kLabels)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("none of the model's class names"), std::string::npos) << r.err;
  r = Cli({"eval", "--dataset", DataPath("datasets/coco_mini")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("give a MODEL"), std::string::npos) << r.err;
}

TEST(BenchCliTest, ReportsLatencyOpsAndMemory) {
  std::vector<std::string> args = {"bench", DataPath(kSsd), "--runs", "2", "--warmup", "0", "--json"};
  const bool judge = testing::OracleAvailable(nullptr);
  if (judge) args.push_back("--vs-tflite");
  auto r = Cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["detlite"]["runs"], 2);
  EXPECT_GT(j["detlite"]["min_ms"].get<double>(), 0.0);
  EXPECT_LE(j["detlite"]["min_ms"].get<double>(), j["detlite"]["p90_ms"].get<double>());
  // Sorted by share, largest first. Since the VNNI int8 GEMM, the 34 convs
  // (~42%) and TFLite_Detection_PostProcess (~35%) are close, so the first
  // place may go either way in a 2-run bench; both must lead the list.
  std::vector<std::string> top;
  for (size_t i = 0; i + 1 < j["ops_by_type"].size(); ++i) {
    EXPECT_GE(j["ops_by_type"][i]["share"].get<double>(), j["ops_by_type"][i + 1]["share"].get<double>());
  }
  for (size_t i = 0; i < 2 && i < j["ops_by_type"].size(); ++i) top.push_back(j["ops_by_type"][i]["op"]);
  EXPECT_NE(std::find(top.begin(), top.end(), "CONV_2D"), top.end()) << j["ops_by_type"].dump();
  EXPECT_GT(j["memory"]["arena_bytes"].get<int64_t>(), 0);
  double share = 0;
  for (const auto& op : j["ops_by_type"]) share += op["share"].get<double>();
  EXPECT_NEAR(share, 1.0, 0.01);
  if (judge) {
    EXPECT_GT(j["tflite"]["median_ms"].get<double>(), 0.0);
    EXPECT_GT(j["median_ratio_detlite_over_tflite"].get<double>(), 0.0);
  }
}

TEST(BenchCliTest, ReportsTheThreadCountItRanWith) {
  for (int threads : {1, 2}) {
    auto r = Cli({"bench", DataPath(kSsd), "--runs", "1", "--warmup", "0", "--threads",
                  std::to_string(threads), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["threads"], threads);
    auto text = Cli({"bench", DataPath(kSsd), "--runs", "1", "--warmup", "0", "--threads",
                     std::to_string(threads)});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find(threads == 1 ? "(1 thread," : "(2 threads,"), std::string::npos) << text.out;
  }
}

}  // namespace
}  // namespace detlite
