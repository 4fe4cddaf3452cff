#include "support/paths.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace detlite::testing {
namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? std::string(v) : std::string(fallback);
}

}  // namespace

std::string DataDir() { return EnvOr("DETLITE_DATA_DIR", DETLITE_DATA_DIR_DEFAULT); }
std::string DepsDir() { return EnvOr("DETLITE_DEPS_DIR", DETLITE_DEPS_DIR_DEFAULT); }
std::string DataPath(const std::string& rel) { return DataDir() + "/" + rel; }
std::string CliPath() { return DETLITE_CLI_PATH; }
std::string HumanModelJson(const std::string& name) {
  return DepsDir() + "/human-models/models/" + name + ".json";
}

const std::vector<std::string>& RealTfliteModels() {
  static const std::vector<std::string> kModels = {
      "coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite",
      "coco_ssd_mobilenet_v1_1.0_quant_2018_06_29_no_metadata.tflite",
      "face_detection_full_range.tflite",
      "face_detection_full_range_sparse.tflite",
      "face_detection_short_range.tflite",
      "half_plus_two.tflite",
      "palm_detection_lite.tflite",
      "ssd_mobilenetv2_oidv4_fp16.tflite",
  };
  return kModels;
}

std::string FileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string TempDir() {
  // A new directory for every process (mkdtemp), never one an earlier
  // process with the same pid left behind: its cached folders may link to
  // files that are gone (a removed worktree's .deps).
  static const std::string dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() /
                           ("detlite_test_" + std::to_string(::getpid()) + "_XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    return pattern;
  }();
  return dir;
}

std::string TestNameForModel(const std::string& file) {
  std::string n = file.substr(0, file.find(".tflite"));
  for (char& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

}  // namespace detlite::testing
