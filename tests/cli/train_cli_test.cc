// `detlite train --qat` as a user runs it, on BlazeFace short range and 8
// photos of people: progress lines on stderr, a JSON summary, an int8 file
// that loads and runs; no --qat or a folder without images
// give one clear error line and no file.
#include <gtest/gtest.h>

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
                "--lr", "1e-4", "-o", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("step 3/3  loss "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("images/s"), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["steps"], 3);
  EXPECT_EQ(j["training_images"], 8);
  EXPECT_EQ(j["calibration_images"], 8);
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

TEST(TrainCli, BadInputGivesOneLineAndNoFile) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string out = TempDir() + "/never.tflite";
  auto no_qat = Cli({"train", DataPath(kModel), "--data", photos, "-o", out});
  EXPECT_NE(no_qat.exit_code, 0);
  EXPECT_NE(no_qat.err.find("needs --qat"), std::string::npos) << no_qat.err;
  const std::string empty = TempDir() + "/no_images";
  fs::create_directories(empty);
  auto no_images = Cli({"train", DataPath(kModel), "--qat", "--data", empty, "-o", out});
  EXPECT_NE(no_images.exit_code, 0);
  EXPECT_NE(no_images.err.find("no_images"), std::string::npos) << no_images.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace detlite
