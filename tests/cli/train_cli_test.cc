// `detlite train --qat` as a user runs it, on BlazeFace short range and 8
// photos of people: progress lines on stderr, a JSON summary, an int8 file
// that loads and runs; no --qat or a folder without images
// give one clear error line and no file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_run.h"
#include "detlite/model.h"
#include "support/paths.h"
#include "support/photos.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::DataPath;
using testing::TempDir;

const char kModel[] = "tflite/face_detection_short_range.tflite";

testing::ProcessResult Cli(std::vector<std::string> args) { return testing::RunCli(std::move(args), 600); }

TEST(TrainCli, QatWritesARunnableInt8Model) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string out = TempDir() + "/face_qat.tflite";
  auto r = Cli({"train", DataPath(kModel), "--qat", "--data", photos, "--steps", "3", "--batch", "2",
                "--lr", "1e-4", "--warmup", "0", "--lr-schedule", "step:1", "-o", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("step 3/3  loss "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("images/s"), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["steps"], 3);
  EXPECT_EQ(j["training_images"], 8);
  EXPECT_EQ(j["calibration_images"], 8);
  EXPECT_EQ(j["loss"], "distill");  // a folder of photos: no labels
  // The step schedule: 1e-4 for step 0, a tenth of it from step 1 on.
  ASSERT_EQ(j["loss_per_step"].size(), 3u);
  EXPECT_FLOAT_EQ(j["loss_per_step"][0]["lr"].get<float>(), 1e-4f);
  EXPECT_FLOAT_EQ(j["loss_per_step"][1]["lr"].get<float>(), 1e-5f);
  EXPECT_FLOAT_EQ(j["loss_per_step"][2]["lr"].get<float>(), 1e-5f);
  EXPECT_GT(j["ops_quantized"].get<int>(), 50);
  auto model = Model::Load(out);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ModelInfo info = model->Inspect();
  EXPECT_GT(info.constants_by_dtype.count("int8"), 0u);
  auto runner = Runner::Create(*model);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  size_t elements = 1;
  for (int32_t d : runner->InputInfo(0).shape) elements *= static_cast<size_t>(d);
  ASSERT_EQ(runner->InputInfo(0).dtype, "float32");
  ASSERT_TRUE(runner->SetInput(0, std::vector<uint8_t>(elements * sizeof(float), 0)).ok());
  EXPECT_TRUE(runner->Run().ok());
}

// --prune-schedule: the sparsity allocation of `convert --prune`, reached
// gradually while training; the JSON says what the pruned layers ended at.
TEST(TrainCli, QatWithAPruneScheduleWritesASparseInt8Model) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string out = TempDir() + "/face_qat_pruned.tflite";
  auto r = Cli({"train", DataPath(kModel), "--qat", "--data", photos, "--steps", "3", "--batch", "2",
                "--lr", "1e-4", "--prune-schedule", "0.6", "--prune-every", "1", "--prune-end", "2",
                "-o", out, "--json", "--no-checkpoint"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("pruned "), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("pruned_sparsity")) << r.out;
  EXPECT_GE(j["pruned_sparsity"].get<double>(), 0.59);
  EXPECT_LT(j["pruned_sparsity"].get<double>(), 0.95);
  auto model = Model::Load(out);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto runner = Runner::Create(*model);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  auto bad = Cli({"train", DataPath(kModel), "--qat", "--data", photos, "--steps", "3",
                  "--prune-schedule", "0.5", "--prune-end", "10", "-o", out + ".no"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("<= --steps 3"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(out + ".no"));
}

// --teacher: float fine-tuning by distillation of a pruned model from the
// model it was pruned from; the output stays float and sparse.
TEST(TrainCli, DistillsAPrunedModelFromItsTeacher) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string pruned = TempDir() + "/face_p50.tflite";
  auto p = Cli({"convert", DataPath(kModel), "--prune", "0.5", "-o", pruned});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const std::string out = TempDir() + "/face_p50_distilled.tflite";
  auto r = Cli({"train", pruned, "--teacher", DataPath(kModel), "--data", photos, "--steps", "2",
                "--batch", "2", "--lr", "1e-4", "-o", out, "--json", "--no-checkpoint"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["loss"], "distill");
  EXPECT_EQ(j["output_type"], "float");
  EXPECT_EQ(j["steps"], 2);
  auto model = Model::Load(out);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->Inspect().constants_by_dtype.count("int8"), 0u);
  auto runner = Runner::Create(*model);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  auto with_qat = Cli({"train", pruned, "--teacher", DataPath(kModel), "--qat", "--data", photos,
                       "-o", out + ".no"});
  EXPECT_NE(with_qat.exit_code, 0);
  EXPECT_NE(with_qat.err.find("--teacher is for float fine-tuning"), std::string::npos) << with_qat.err;
  EXPECT_FALSE(fs::exists(out + ".no"));
  auto no_teacher = Cli({"train", pruned, "--distill", "--data", photos, "-o", out + ".no"});
  EXPECT_NE(no_teacher.exit_code, 0);
  EXPECT_NE(no_teacher.err.find("needs a teacher"), std::string::npos) << no_teacher.err;
}

// --teacher with augmentations (flip and crop by default): every photo
// also comes as augmented copies, drawn from --seed, so the same command
// writes the same bytes, and --augment none (the photos as they are)
// trains to other weights. Batches of 8 over 8 photos x 4 draw copies.
TEST(TrainCli, DistillationAugmentsDeterministically) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string pruned = TempDir() + "/face_p50_aug.tflite";
  auto p = Cli({"convert", DataPath(kModel), "--prune", "0.5", "-o", pruned});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  auto run = [&](const std::string& out, const std::string& augment) {
    std::vector<std::string> args = {"train", pruned, "--teacher", DataPath(kModel), "--data", photos,
                                     "--steps", "2", "--batch", "8", "--lr", "1e-3", "--seed", "3",
                                     "-o", out, "--no-checkpoint"};
    if (!augment.empty()) {
      args.push_back("--augment");
      args.push_back(augment);
    }
    auto r = Cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return testing::FileBytes(out);
  };
  const auto a = run(TempDir() + "/aug_a.tflite", "");
  const auto b = run(TempDir() + "/aug_b.tflite", "");
  const auto plain = run(TempDir() + "/aug_none.tflite", "none");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b) << "the same seed must draw the same copies";
  EXPECT_NE(a, plain) << "augmented copies must change what is learned";
}

TEST(TrainCli, BadInputGivesOneLineAndNoFile) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string out = TempDir() + "/never.tflite";
  auto no_qat = Cli({"train", DataPath(kModel), "--data", photos, "-o", out});
  EXPECT_NE(no_qat.exit_code, 0);
  EXPECT_NE(no_qat.err.find("needs --qat"), std::string::npos) << no_qat.err;
  for (const auto& [schedule, expected] :
       std::vector<std::pair<std::string, std::string>>{{"step:x", "is not cosine, constant or step"},
                                                        {"linear", "is not cosine, constant or step"},
                                                        {"step:5", "before --steps 3"},
                                                        {"step:2,1", "after the previous step"}}) {
    auto bad = Cli({"train", DataPath(kModel), "--qat", "--data", photos, "--steps", "3", "--warmup",
                    "0", "--lr-schedule", schedule, "-o", out});
    EXPECT_NE(bad.exit_code, 0) << schedule;
    EXPECT_NE(bad.err.find(expected), std::string::npos) << schedule << ": " << bad.err;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  }
  const std::string empty = TempDir() + "/no_images";
  fs::create_directories(empty);
  auto no_images = Cli({"train", DataPath(kModel), "--qat", "--data", empty, "-o", out});
  EXPECT_NE(no_images.exit_code, 0);
  EXPECT_NE(no_images.err.find("no_images"), std::string::npos) << no_images.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace detlite
