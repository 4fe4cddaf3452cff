// Issue 11 rows 4 and 5: an output flag that names an input is refused and
// the input is left byte for byte; a report that cannot be written (a full
// disk, here RLIMIT_FSIZE) leaves no temporary file and says why.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "detlite/inputs.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Exec(std::vector<std::string> argv) {
  auto r = testing::RunProcess(argv, 300);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : testing::ProcessResult{};
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A writable copy of a shared file in a fresh folder.
std::string Copy(const std::string& relative, const std::string& folder) {
  const std::string dir = TempDir() + "/" + folder;
  fs::create_directories(dir);
  const std::string to = dir + "/" + fs::path(relative).filename().string();
  fs::copy(DataPath(relative), to,
           fs::copy_options::overwrite_existing | fs::copy_options::recursive);
  return to;
}

TEST(OutputPathsCliTest, AnOutputNamingAnInputIsRefusedAndTheInputKept) {
  const std::string face = Copy("tflite/face_detection_short_range.tflite", "same");
  const std::string photo = Copy("images/sergey.png", "same");
  const std::string labels = Copy("datasets/coco_mini/labels.json", "same_gt");
  const std::string dataset = Copy("datasets/coco_mini", "same_ds");
  const std::string model_bytes = Slurp(face), photo_bytes = Slurp(photo);
  const std::string labels_bytes = Slurp(labels);
  const std::string cli = CliPath();
  const std::vector<std::vector<std::string>> cases = {
      {cli, "eval", "--detections", "r.json", "--dataset", labels, "--report", labels},
      {cli, "eval", face, "--dataset", dataset, "--report", dataset + "/labels.json"},
      {cli, "compare", face, face, "--data", photo, "--report", face},
      {cli, "compare", face, face, "--data", photo, "--report", photo},
      {cli, "convert", face, "-o", face, "--quantize", "int8", "--calibration-data", photo},
      {cli, "convert", face, "-o", photo, "--quantize", "int8", "--calibration-data", photo},
      {cli, "convert", face, "-o", fs::path(face).parent_path().string() + "/./" +
                                      fs::path(face).filename().string()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c[1] + " " + c[c.size() - 1]);
    auto r = Exec(c);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("refusing to overwrite"), std::string::npos) << r.err;
  }
  EXPECT_EQ(Slurp(face), model_bytes);
  EXPECT_EQ(Slurp(photo), photo_bytes);
  EXPECT_EQ(Slurp(labels), labels_bytes);
  EXPECT_EQ(Slurp(dataset + "/labels.json"), labels_bytes);
}

TEST(OutputPathsCliTest, RunDoesNotWriteAnOutputOverItsInput) {
  // half_plus_two's output tensor is "y": `run -o DIR` would write DIR/y.npy.
  const std::string dir = TempDir() + "/run_same";
  fs::create_directories(dir);
  HostTensor x;
  x.info.dtype = "float32";
  x.info.shape = {1, 1};
  x.bytes.assign(4, 0);
  ASSERT_TRUE(WriteNpy(dir + "/y.npy", x).ok());
  const std::string before = Slurp(dir + "/y.npy");
  auto r = Exec({CliPath(), "run", DataPath("tflite/half_plus_two.tflite"), "-i", dir + "/y.npy",
                 "-o", dir});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("refusing to overwrite"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(dir + "/y.npy"), before);
}

TEST(OutputPathsCliTest, AReportOnAFullDiskLeavesNothingAndSaysWhy) {
  const std::string face = Copy("tflite/face_detection_short_range.tflite", "full");
  const std::string photo = Copy("images/sergey.png", "full");
  const std::string bash = testing::FindExecutable("bash");
  ASSERT_FALSE(bash.empty());
  const std::string report = TempDir() + "/full/r.html";
  // Files over 8 KiB cannot be written (EFBIG), as on a full disk.
  auto r = Exec({bash, "-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"", CliPath(),
                "compare", face, face, "--data", photo, "--report", report});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("r.html"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  for (const auto& e : fs::directory_iterator(TempDir() + "/full")) {
    EXPECT_EQ(e.path().string().find("r.html"), std::string::npos) << "left: " << e.path();
  }
}

}  // namespace
}  // namespace detlite
