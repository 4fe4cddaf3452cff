#include "data/datasets/folder.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "data/datasets/dir_list.h"

namespace detlite::datasets {

StatusOr<Dataset> LoadImageFolder(const std::string& dir, const DatasetOptions& options) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListFiles(dir, ImageExtensions()));
  if (names.empty()) {
    return NotFound(dir + ": no images (*.jpg, *.jpeg, *.png, *.bmp) and no annotations");
  }
  size_t count = names.size();
  if (options.max_samples >= 0) count = std::min<size_t>(count, options.max_samples);
  Dataset ds;
  ds.path = dir;
  ds.format = "folder";
  for (size_t i = 0; i < count; ++i) {
    DatasetSample s;
    s.image_id = static_cast<int64_t>(i);
    s.file_name = names[i];
    s.image_path = (std::filesystem::path(dir) / names[i]).string();
    ds.samples.push_back(std::move(s));
  }
  return ds;
}

}  // namespace detlite::datasets
