// A real kill: `detlite train --qat` (BlazeFace short range, 8 photos of
// people) and `detlite train --loss ssd` (the SSDLite, COCO train2017) are
// sent SIGKILL as soon as their first checkpoint appears; the same
// command with --resume then writes exactly the bytes of a run that was
// never stopped. The killed process leaves no output file, and its
// checkpoint is whole (a kill during a write could only leave the
// temporary <ckpt>.tmp.<pid> beside it).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iterator>
#include <thread>

#include "support/paths.h"
#include "support/photos.h"
#include "support/subprocess.h"
#include "train/checkpoint.h"
#include "train/ssdlite_fixture.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::vector<std::string> QatCommand(const std::string& photos, const std::string& out) {
  return {testing::CliPath(), "train", testing::DataPath("tflite/face_detection_short_range.tflite"),
          "--qat", "--data", photos, "--calibration-size", "8", "--steps", "12", "--batch", "2",
          "--lr", "1e-4", "--range-momentum", "0.1", "--checkpoint-every", "1", "--threads", "1",
          "-o", out};
}

std::vector<std::string> SsdCommand(const std::string& model, const std::string& out) {
  return {testing::CliPath(), "train", model, "--loss", "ssd", "--data",
          testing::DataPath(testing::kCocoTrain), "--steps", "8", "--batch", "1", "--lr", "1e-4",
          "--checkpoint-every", "1", "-o", out};
}

// Starts `argv` (stdout and stderr to /dev/null) and SIGKILLs it once
// `file` exists; returns the wait status.
int KillWhenExists(const std::vector<std::string>& argv, const std::string& file) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  EXPECT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(file)) {
      ::kill(pid, SIGKILL);
      break;
    }
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;  // ended on its own
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return status;
}

// Runs `command(out)` straight, then killed after its first checkpoint and
// resumed; the two outputs must be the same bytes.
void ExpectKilledRunResumes(const std::function<std::vector<std::string>(const std::string&)>& command,
                            const std::string& tag, int steps) {
  const std::string dir = testing::TempDir() + "/kill_" + tag;
  fs::create_directories(dir);
  const std::string straight = dir + "/straight.tflite", killed = dir + "/killed.tflite";
  for (const std::string& f : {straight, killed, killed + ".ckpt"}) fs::remove(f);
  auto r = testing::RunProcess(command(straight), 600);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->exit_code, 0) << r->err;

  const std::string ckpt = killed + ".ckpt";
  const int status = KillWhenExists(command(killed), ckpt);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the run ended before the kill";
  EXPECT_FALSE(fs::exists(killed));
  auto ck = train::Checkpoint::Read(ckpt);
  ASSERT_TRUE(ck.ok()) << ck.status().ToString();  // complete: written to a temporary, then renamed
  const int64_t step = *ck->Int("run/step");
  std::printf("%s: killed after the checkpoint of step %lld of %d\n", tag.c_str(),
              static_cast<long long>(step), steps);
  EXPECT_GE(step, 1);
  EXPECT_LT(step, steps);

  std::vector<std::string> resume = command(killed);
  resume.push_back("--resume");
  resume.push_back("--json");
  auto resumed = testing::RunProcess(resume, 600);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  ASSERT_EQ(resumed->exit_code, 0) << resumed->err;
  EXPECT_NE(resumed->out.find("\"resumed_from_step\": " + std::to_string(step)), std::string::npos)
      << resumed->out;
  const std::string a = ReadAll(straight), b = ReadAll(killed);
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(a == b) << tag << ": the resumed run wrote other bytes than the run never stopped";
}

TEST(CheckpointKill, AKilledQatRunResumesToTheSameBytes) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  ExpectKilledRunResumes([&](const std::string& out) { return QatCommand(photos, out); }, "qat", 12);
}

TEST(CheckpointKill, AKilledSsdFineTuneResumesToTheSameBytes) {
  const Model* model = testing::SsdliteFixture();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or coco_train2017_288 missing";
  const std::string file = testing::TempDir() + "/kill_ssdlite.tflite";
  ASSERT_TRUE(model->Save(file).ok());
  ExpectKilledRunResumes([&](const std::string& out) { return SsdCommand(file, out); }, "ssd", 8);
}

}  // namespace
}  // namespace detlite
