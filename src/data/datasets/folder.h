// A plain folder of images (no labels): its *.jpg/*.jpeg/*.png/*.bmp files,
// case-insensitive, not recursive, sorted by name; image ids are indices.
// Used for calibration and batch detection.
#ifndef DETLITE_DATA_DATASETS_FOLDER_H_
#define DETLITE_DATA_DATASETS_FOLDER_H_

#include <string>

#include "detlite/dataset.h"
#include "detlite/status.h"

namespace detlite::datasets {

// An empty folder is an error: a calibration or eval run over no images
// would report nothing and look like success.
StatusOr<Dataset> LoadImageFolder(const std::string& dir, const DatasetOptions& options);

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_FOLDER_H_
