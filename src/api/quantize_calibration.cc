#include "api/quantize_calibration.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace detlite::api {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsSampleFile(const std::filesystem::path& p) {
  const std::string ext = Lower(p.extension().string());
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".npy";
}

}  // namespace

StatusOr<std::vector<std::string>> ListCalibrationFiles(const std::string& path, int limit) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty()) return InvalidArgument("no calibration data given (--calibration-data PATH)");
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return NotFound(path + ": no such file or folder");
  std::vector<std::string> files;
  if (fs::is_directory(st)) {
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec) && IsSampleFile(it->path())) files.push_back(it->path().string());
    }
    if (ec) return IoError(path + ": cannot list the folder: " + ec.message());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  if (files.empty()) {
    return InvalidArgument(path + ": no calibration images (.jpg, .jpeg, .png, .bmp or .npy) in the folder");
  }
  if (limit > 0 && static_cast<int>(files.size()) > limit) files.resize(static_cast<size_t>(limit));
  return files;
}

StatusOr<std::vector<uint8_t>> LoadCalibrationSample(const std::string& file,
                                                     const TensorInfo& input,
                                                     const PreprocessOptions& options,
                                                     std::string* how) {
  // LoadInput checks a .npy's dtype and shape (e.g. a wrong channel count)
  // against the input and names the file in its errors.
  auto t = LoadInput(file, input, options, how);
  if (!t.ok()) {
    const std::string& m = t.status().message();
    if (m.find(file) != std::string::npos) return t.status();
    return t.status().WithContext("calibration sample " + file);
  }
  return std::move(t->bytes);
}

}  // namespace detlite::api
