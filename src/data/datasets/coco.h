// COCO detection json as a dataset:
//   images:      [{id: int, file_name: str, width?: int, height?: int}]
//   annotations: [{image_id: int, category_id: int, bbox: [x, y, w, h],
//                  iscrowd?: 0|1, area?: num}]   (optional: image_info files
//                  of test sets have none)
//   categories:  [{id: int, name: str}]
// Other keys (segmentation, licenses, info, ...) are skipped. Every
// annotation must name a listed image and category; boxes need w, h >= 0.
// Samples follow the order of 'images'; boxes become [x, y, x+w, y+h].
// Image files are looked for at <images_dir>/<file_name> when images_dir is
// given, else <json dir>/<file_name>, then <json dir>/images/<file_name>;
// when none exists image_path is the first candidate, so only loading that
// image fails.
#ifndef DETLITE_DATA_DATASETS_COCO_H_
#define DETLITE_DATA_DATASETS_COCO_H_

#include <string>
#include <string_view>

#include "detlite/dataset.h"
#include "detlite/status.h"

namespace detlite::datasets {

// `json_path` names the file in errors and anchors relative image paths.
StatusOr<Dataset> ParseCocoDataset(std::string_view text, const std::string& json_path,
                                   const DatasetOptions& options);

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_COCO_H_
