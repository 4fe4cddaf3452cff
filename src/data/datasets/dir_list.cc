#include "data/datasets/dir_list.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace detlite::datasets {

namespace fs = std::filesystem;

StatusOr<std::vector<std::string>> ListFiles(const std::string& dir,
                                             const std::vector<std::string>& extensions) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    std::string msg = dir + ": cannot list: " + ec.message();
    return ec == std::errc::no_such_file_or_directory ? NotFound(msg) : IoError(msg);
  }
  std::vector<std::string> names;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return IoError(dir + ": cannot list: " + ec.message());
    std::error_code ec2;
    if (!it->is_regular_file(ec2)) continue;  // follows symlinks
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) {
      names.push_back(it->path().filename().string());
    }
  }
  if (ec) return IoError(dir + ": cannot list: " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

const std::vector<std::string>& ImageExtensions() {
  static const std::vector<std::string> kExtensions = {".jpg", ".jpeg", ".png", ".bmp"};
  return kExtensions;
}

}  // namespace detlite::datasets
