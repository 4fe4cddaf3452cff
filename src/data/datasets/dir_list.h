// Directory listings for dataset readers.
#ifndef DETLITE_DATA_DATASETS_DIR_LIST_H_
#define DETLITE_DATA_DATASETS_DIR_LIST_H_

#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::datasets {

// Names (not paths) of the regular files in `dir` whose extension, compared
// case-insensitively, is one of `extensions` (lowercase, with the dot);
// sorted bytewise so every run sees the same order.
StatusOr<std::vector<std::string>> ListFiles(const std::string& dir,
                                             const std::vector<std::string>& extensions);

// The image extensions detlite decodes: .jpg .jpeg .png .bmp.
const std::vector<std::string>& ImageExtensions();

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_DIR_LIST_H_
