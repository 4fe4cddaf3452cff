// Hostile inputs of issue 11 (rows 1, 2, 3, 6, 7, 8, 9) over the real
// binary: each must end in one clear line and a non-zero exit, or succeed,
// never abort, and leave nothing half-written.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "detlite/inputs.h"
#include "cli/cli_run.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::CliPath;
using testing::DataPath;
using testing::TempDir;

testing::ProcessResult Cli(std::vector<std::string> args) {
  return testing::RunCli(std::move(args), 300);
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Fails the test unless the run ended by itself with exit 1 and one line
// naming `needle`.
void ExpectCleanError(const testing::ProcessResult& r, const std::string& needle) {
  EXPECT_EQ(r.signal, 0) << r.err;
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(": : "), std::string::npos) << r.err;
}

const std::string kSsd = "tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite";
const std::string kFace = "tflite/face_detection_short_range.tflite";
const std::string kPhoto = "images/cats_and_dogs.jpg";

TEST(HostileCliTest, NonUtf8TensorAndFileNamesGiveValidJson) {
  // The real face detector with one output tensor renamed to bytes that are
  // not UTF-8 (same length, so the flatbuffer stays valid).
  std::string model = Slurp(DataPath(kFace));
  const std::string from = "classificators", to = std::string("classificator") + '\xff';
  for (size_t at = model.find(from); at != std::string::npos; at = model.find(from, at)) {
    model.replace(at, from.size(), to);
  }
  const std::string bad_tensor = TempDir() + "/bad_tensor_name.tflite";
  Spit(bad_tensor, model);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"inspect", "--json", bad_tensor},
           {"run", bad_tensor, "-i", DataPath(kPhoto), "--json"}}) {
    SCOPED_TRACE(args[0]);
    auto r = Cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("classificator\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
    EXPECT_FALSE(nlohmann::json::parse(r.out, nullptr, false).is_discarded());
  }
  const std::string bad_file = TempDir() + "/m\xfe.tflite";
  fs::copy_file(DataPath(kSsd), bad_file, fs::copy_options::overwrite_existing);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"inspect", "--json", bad_file},
           {"run", bad_file, "-i", DataPath(kPhoto), "--json"},
           {"bench", bad_file, "--runs", "1", "--warmup", "0", "--json"},
           {"detect", bad_file, DataPath(kPhoto), "--json"}}) {
    SCOPED_TRACE(args[0]);
    auto r = Cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(nlohmann::json::parse(r.out, nullptr, false).is_discarded()) << r.out;
  }
}

TEST(HostileCliTest, AHugeLabelLineIsRefusedAndALongOneIsDrawnCut) {
  const std::string huge = TempDir() + "/huge_labels.txt";
  Spit(huge, "???\n" + std::string(2'000'000, 'x') + "\n");
  const std::string out = TempDir() + "/huge_out";
  auto r = Cli({"detect", DataPath(kSsd), DataPath(kPhoto), "--labels", huge, "-o", out});
  ExpectCleanError(r, "huge_labels.txt");
  EXPECT_NE(r.err.find("over the limit"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));

  // 200-character names (under the 256-byte limit): drawn, cut to 64.
  std::string labels;
  for (int i = 0; i < 91; ++i) labels += std::string(200, static_cast<char>('a' + i % 26)) + "\n";
  const std::string long_labels = TempDir() + "/long_labels.txt";
  Spit(long_labels, labels);
  r = Cli({"detect", DataPath(kSsd), DataPath(kPhoto), "--labels", long_labels, "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/cats_and_dogs_detections.png"));
}

TEST(HostileCliTest, A16384SquarePngIsRefusedFromItsHeader) {
  // A real PNG whose IHDR claims 16384x16384 (2^28 pixels, over 2^27).
  std::string png = Slurp(DataPath("images/sergey.png"));
  ASSERT_GT(png.size(), 33u);
  const char dims[8] = {0, 0, 0x40, 0, 0, 0, 0x40, 0};
  png.replace(16, 8, dims, 8);
  const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17);
  for (int i = 0; i < 4; ++i) png[29 + i] = static_cast<char>(crc >> (24 - 8 * i));
  const std::string big = TempDir() + "/zeros16384.png";
  Spit(big, png);
  auto r = Cli({"detect", DataPath(kSsd), big, "-o", TempDir() + "/big_out"});
  ExpectCleanError(r, "zeros16384.png");
  EXPECT_NE(r.err.find("16384x16384"), std::string::npos) << r.err;
}

TEST(HostileCliTest, DetectWritesNothingWhenALaterPhotoFails) {
  const std::string broken = TempDir() + "/broken.jpg";
  Spit(broken, Slurp(DataPath(kPhoto)).substr(0, 600));
  const std::string out = TempDir() + "/partial_out";
  auto r = Cli({"detect", DataPath(kSsd), DataPath(kPhoto), broken, "-o", out});
  ExpectCleanError(r, "broken.jpg");
  EXPECT_FALSE(fs::exists(out)) << "left behind: " << out;

  // Into an existing folder: it keeps only what it held before.
  fs::create_directories(out);
  Spit(out + "/keep.txt", "x");
  r = Cli({"detect", DataPath(kSsd), DataPath(kPhoto), broken, "-o", out});
  ExpectCleanError(r, "broken.jpg");
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(out)) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"keep.txt"});
}

TEST(HostileCliTest, TwoPhotosWithOneStemStillCommit) {
  for (const char* d : {"/stem_a", "/stem_b"}) {
    fs::create_directories(TempDir() + d);
    fs::copy_file(DataPath(kPhoto), TempDir() + d + "/x.jpg", fs::copy_options::overwrite_existing);
  }
  const std::string out = TempDir() + "/stem_out";
  auto r = Cli({"detect", DataPath(kSsd), TempDir() + "/stem_a/x.jpg", TempDir() + "/stem_b/x.jpg",
                "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(out)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"detections.json", "x_detections.png"}));
}

TEST(HostileCliTest, CalibrationOnNanOrConstantNpyIsRefused) {
  const std::string out = TempDir() + "/nan_int8.tflite";
  HostTensor t;
  t.info.dtype = "float32";
  t.info.shape = {1, 128, 128, 3};
  for (const float v : {std::numeric_limits<float>::quiet_NaN(), 0.25f}) {
    SCOPED_TRACE(v);
    const std::string dir = TempDir() + (std::isnan(v) ? "/nan_npy" : "/const_npy");
    fs::create_directories(dir);
    t.bytes.resize(128 * 128 * 3 * sizeof(float));
    for (size_t i = 0; i < t.bytes.size(); i += 4) std::memcpy(&t.bytes[i], &v, 4);
    ASSERT_TRUE(WriteNpy(dir + "/sample.npy", t).ok());
    auto r = Cli({"convert", DataPath(kFace), "-o", out, "--quantize", "int8",
                  "--calibration-data", dir});
    ExpectCleanError(r, "sample.npy");
    EXPECT_NE(r.err.find(std::isnan(v) ? "NaN" : "constant"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
  }
}

TEST(HostileCliTest, NumericFlagsOutOfRangeAreRefused) {
  const std::string ssd = DataPath(kSsd), photo = DataPath(kPhoto);
  const std::vector<std::vector<std::string>> cases = {
      {"detect", ssd, photo, "--score-threshold", "nan"},
      {"detect", ssd, photo, "--score-threshold", "1.5"},
      {"eval", "--detections", "r.json", "--dataset", "d.json", "--iou", "1.5"},
      {"eval", "--detections", "r.json", "--dataset", "d.json", "--iou", "nan"},
      {"eval", "--detections", "r.json", "--dataset", "d.json", "--iou", "-1"},
      {"eval", ssd, "--dataset", "d.json", "--max-images", "-5"},
      {"eval", ssd, "--dataset", "d.json", "--score-threshold", "inf"},
      {"compare", ssd, ssd, "--data", photo, "--max-samples", "-1"},
      {"convert", ssd, "-o", "x.tflite", "--quantize", "int8", "--calibration-size", "0"},
      {"convert", ssd, "-o", "x.tflite", "--add-postprocess", "--iou-threshold", "nan"},
      {"run", ssd, "-i", photo, "--mean", "nan"},
  };
  for (const auto& c : cases) {
    std::string line;
    for (const auto& a : c) line += a + " ";
    SCOPED_TRACE(line);
    auto r = Cli(c);
    EXPECT_EQ(r.signal, 0);
    EXPECT_NE(r.exit_code, 0) << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  auto r = Cli({"convert", ssd, "-o", TempDir() + "/shape.tflite", "--input-shape", "1,300,300,3"});
  ExpectCleanError(r, "--input-shape");
  EXPECT_FALSE(fs::exists(TempDir() + "/shape.tflite"));
}

TEST(HostileCliTest, EmptyOrDirectoryOutputsGiveOneClearLine) {
  const std::string ssd = DataPath(kSsd);
  auto r = Cli({"convert", ssd, "-o", ""});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;
  r = Cli({"detect", ssd, DataPath(kPhoto), "-o", ""});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;

  const std::string dir = TempDir() + "/an_existing_dir";
  fs::create_directories(dir);
  r = Cli({"convert", ssd, "-o", dir});
  ExpectCleanError(r, "existing directory");
  // Exactly one mention of the path.
  EXPECT_EQ(r.err.find(dir), r.err.rfind(dir)) << r.err;

  const std::string file = TempDir() + "/a_file";
  Spit(file, "x");
  r = Cli({"detect", ssd, DataPath(kPhoto), "-o", file});
  ExpectCleanError(r, "existing file");
  EXPECT_EQ(Slurp(file), "x");
}

}  // namespace
}  // namespace detlite
