// Output-path checks and atomic writes of src/core/file_io: an output that
// is an input (however it is spelled) is refused, and a write that fails
// (here: over RLIMIT_FSIZE, as on a full disk) leaves no temporary file and
// says why.
#include "core/file_io.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "support/paths.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;

std::string MakeFile(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(CheckOutputPathTest, RefusesAnInputHoweverItIsSpelled) {
  const std::string model = MakeFile("model.tflite", "m");
  const std::string dir = fs::path(model).parent_path().string();
  const std::string link = dir + "/model_link.tflite";
  const std::string hard = dir + "/model_hard.tflite";
  fs::remove(link);
  fs::remove(hard);
  fs::create_symlink(model, link);
  fs::create_hard_link(model, hard);
  for (const std::string& out : {model, link, hard, dir + "/./model.tflite"}) {
    SCOPED_TRACE(out);
    Status s = CheckOutputPath("-o", out, {"other.json", model});
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("names an input"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(CheckOutputPath("-o", dir + "/new.tflite", {model}).ok());
  EXPECT_TRUE(CheckOutputPath("-o", MakeFile("old.tflite", "o"), {model}).ok());
}

TEST(CheckOutputPathTest, RefusesEmptyDirectoriesAndFilesInsideAnInputFolder) {
  fs::create_directories(testing::TempDir() + "/dataset");
  const std::string labels = MakeFile("dataset/labels.json", "{}");
  const std::string dataset = fs::path(labels).parent_path().string();
  EXPECT_NE(CheckOutputPath("--report", "", {}).message().find("empty"), std::string::npos);
  EXPECT_NE(CheckOutputPath("--report", dataset, {}).message().find("existing directory"),
            std::string::npos);
  EXPECT_NE(CheckOutputPath("--report", labels, {dataset}).message().find("inside the input"),
            std::string::npos);
  EXPECT_TRUE(CheckOutputPath("--report", dataset + "/report.html", {dataset}).ok());
  EXPECT_NE(CheckOutputDirectory("-o", labels).message().find("existing file"), std::string::npos);
  EXPECT_NE(CheckOutputDirectory("-o", "").message().find("empty"), std::string::npos);
  EXPECT_TRUE(CheckOutputDirectory("-o", dataset).ok());
}

TEST(WriteFileAtomicTest, AFailedWriteLeavesNoTemporaryAndSaysWhy) {
  const std::string dir = testing::TempDir() + "/full_disk";
  fs::create_directories(dir);
  const std::string path = dir + "/r.html";
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("old")).ok());
  struct rlimit old_limit;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 4096;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const Status s = WriteFileAtomic(path, std::string(100000, 'x'));
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(s.code(), StatusCode::kIo);
  EXPECT_NE(s.message().find("r.html"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("File too large"), std::string::npos) << s.message();
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"r.html"});
  std::ifstream f(path);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "old");
}

// A writer killed mid-write leaves "<path>.tmp.<pid>"; the next write to
// the same path removes it when that process is gone, and leaves alone a
// live process's file, other names and other paths' temporaries.
TEST(WriteFileAtomicTest, RemovesADeadWritersTemporaryOnly) {
  const std::string dir = testing::TempDir() + "/stale_tmp";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);  // reaped: the pid is free now
  const std::string path = dir + "/run.ckpt";
  const std::string dead = path + ".tmp." + std::to_string(child);
  const std::string live = path + ".tmp." + std::to_string(::getppid());
  const std::string other = dir + "/other.ckpt.tmp." + std::to_string(child);
  const std::string odd = path + ".tmp.notapid";
  for (const std::string& f : {dead, live, other, odd}) std::ofstream(f) << "partial";
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("new")).ok());
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(fs::exists(odd));
  EXPECT_TRUE(fs::exists(path));
}

}  // namespace
}  // namespace detlite
