// `detlite train` as a user runs it with the item-5 flags, on the converted
// SSDLite and COCO photos: --eval-data prints AP with the progress, --json
// holds the loss curve and the AP points, --report is one HTML page with
// both plots; evaluating on the training data warns; --resume with a
// changed option or a damaged checkpoint fails with one line naming it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/paths.h"
#include "support/subprocess.h"
#include "train/ssdlite_fixture.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  args.insert(args.begin(), testing::CliPath());
  auto r = testing::RunProcess(args, 600);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : testing::ProcessResult{};
}

// The converted SSDLite as a file; "" when missing.
std::string SsdliteFile() {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr || !testing::PathExists(DataPath(testing::kCocoVal))) return "";
  const std::string path = TempDir() + "/ssdlite_cli.tflite";
  if (!fs::exists(path) && !model->Save(path).ok()) return "";
  return path;
}

TEST(TrainCliCheckpoint, EvalDataJsonAndReport) {
  const std::string model = SsdliteFile();
  if (model.empty()) GTEST_SKIP() << "SSDLite model.json or the COCO datasets missing";
  const std::string out = TempDir() + "/cli_eval.tflite", report = TempDir() + "/cli_eval.html";
  auto r = Cli({"train", model, "--loss", "ssd", "--data", DataPath(testing::kCocoTrain), "-o", out,
                "--steps", "2", "--batch", "1", "--eval-data", DataPath(testing::kCocoVal), "--eval-every",
                "1", "--eval-max-images", "8", "--report", report, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("step 1  AP "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("step 2  checkpoint " + out + ".ckpt"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["loss_per_step"].size(), 2u);
  EXPECT_EQ(j["loss_per_step"][1]["step"], 2);
  ASSERT_EQ(j["ap_per_eval"].size(), 2u);
  EXPECT_EQ(j["ap_per_eval"][0]["step"], 1);
  EXPECT_GT(j["ap_per_eval"][1]["ap"].get<double>(), 5.0);  // percent
  EXPECT_EQ(j["checkpoint"], out + ".ckpt");
  EXPECT_TRUE(fs::exists(out + ".ckpt"));
  std::ifstream f(report);
  const std::string page((std::istreambuf_iterator<char>(f)), {});
  EXPECT_NE(page.find("Loss per step"), std::string::npos);
  EXPECT_NE(page.find("COCO AP during training"), std::string::npos);
}

TEST(TrainCliCheckpoint, WarnsOnEvalDataInsideTheTrainingData) {
  const std::string model = SsdliteFile();
  if (model.empty()) GTEST_SKIP() << "SSDLite model.json or the COCO datasets missing";
  auto r = Cli({"train", model, "--loss", "ssd", "--data", DataPath(testing::kCocoTrain), "-o",
                TempDir() + "/cli_same.tflite", "--steps", "1", "--batch", "1", "--no-checkpoint",
                "--eval-data", DataPath(testing::kCocoTrain) + "/instances_train2017.json",
                "--eval-max-images", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: --eval-data "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("memorization"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(TempDir() + "/cli_same.tflite.ckpt"));
}

TEST(TrainCliCheckpoint, ResumeRefusalsAreOneLine) {
  const std::string model = SsdliteFile();
  if (model.empty()) GTEST_SKIP() << "SSDLite model.json or the COCO datasets missing";
  const std::string out = TempDir() + "/cli_refuse.tflite";
  std::vector<std::string> cmd = {"train", model, "--loss", "ssd", "--data", DataPath(testing::kCocoTrain),
                                  "-o", out, "--steps", "1", "--batch", "1"};
  fs::remove(out + ".ckpt");
  ASSERT_EQ(Cli(cmd).exit_code, 0);
  fs::remove(out);
  // A fresh run over an existing checkpoint says what it will do to it.
  auto again = Cli(cmd);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("note: " + out + ".ckpt exists; this run starts afresh"), std::string::npos)
      << again.err;
  fs::remove(out);
  std::vector<std::string> changed = cmd;
  changed.back() = "2";  // --batch
  changed.push_back("--resume");
  auto batch = Cli(changed);
  EXPECT_NE(batch.exit_code, 0);
  EXPECT_NE(batch.err.find(out + ".ckpt: --batch was 1 in the checkpointed run, now 2"), std::string::npos)
      << batch.err;
  EXPECT_EQ(batch.err.find('\n'), batch.err.size() - 1) << batch.err;
  EXPECT_FALSE(fs::exists(out));
  // Cut the checkpoint in half: refused, naming the file.
  const std::string ckpt = out + ".ckpt";
  fs::resize_file(ckpt, fs::file_size(ckpt) / 2);
  std::vector<std::string> resume = cmd;
  resume.push_back("--resume");
  auto cut = Cli(resume);
  EXPECT_NE(cut.exit_code, 0);
  EXPECT_NE(cut.err.find(ckpt + ": not a usable detlite checkpoint: checksum mismatch"), std::string::npos)
      << cut.err;
  EXPECT_EQ(cut.err.find('\n'), cut.err.size() - 1) << cut.err;
}

}  // namespace
}  // namespace detlite
