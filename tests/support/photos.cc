#include "support/photos.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "support/paths.h"

namespace detlite::testing {

namespace fs = std::filesystem;

std::string CalibrationFolder(bool people) {
  const std::string deps = DepsDir() + "/photos/";
  if (!fs::exists(deps + "opencv")) return "";
  const std::string d = TempDir() + (people ? "/calibration_people" : "/calibration8");
  if (fs::exists(d)) return d;
  // Made under a name of this process's own and renamed into place, so a
  // test running in parallel never sees the folder half filled.
  const std::string tmp = d + ".tmp" + std::to_string(::getpid());
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  std::vector<std::string> photos;
  if (people) {
    photos = {deps + "astronaut.png",          deps + "opencv/messi5.jpg",
              deps + "opencv/basketball1.png", deps + "opencv/basketball2.png",
              DataPath("images/grace_hopper.bmp"), DataPath("images/sergey.png"),
              DataPath("images/kite_and_cold.jpg"), deps + "motorcycle_left.png"};
  } else {
    for (const auto& e : fs::directory_iterator(deps + "opencv")) {
      photos.push_back(e.path().string());
    }
    std::sort(photos.begin(), photos.end());
    photos.resize(std::min<size_t>(photos.size(), 8));
  }
  for (const auto& p : photos) fs::create_symlink(p, tmp + "/" + fs::path(p).filename().string());
  std::error_code ec;
  fs::rename(tmp, d, ec);  // fails if another process got there first: use theirs
  if (ec) fs::remove_all(tmp);
  return d;
}

}  // namespace detlite::testing
