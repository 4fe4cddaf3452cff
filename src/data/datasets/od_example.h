// One Object Detection API tf.Example (the record of its TFRecord datasets)
// to a DatasetSample. Keys read:
//   image/encoded (bytes), image/filename, image/source_id, image/format,
//   image/height, image/width (int64; when absent the image is decoded to
//   find them), image/object/bbox/{xmin,ymin,xmax,ymax} (floats normalized
//   to 0..1, scaled here to pixels), image/object/class/label (int64),
//   image/object/class/text (bytes), and optionally image/object/difficult,
//   image/object/is_crowd (int64) and image/object/area (float).
// Every per-object list must have one entry per box.
#ifndef DETLITE_DATA_DATASETS_OD_EXAMPLE_H_
#define DETLITE_DATA_DATASETS_OD_EXAMPLE_H_

#include <string>

#include "detlite/dataset.h"
#include "detlite/status.h"

namespace detlite::datasets {

// `where` names the record in errors ("file.record: record 3").
// *source_id receives image/source_id ("" if absent).
Status ParseOdExample(const std::string& record, const std::string& where,
                      DatasetSample* sample, std::string* source_id);

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_OD_EXAMPLE_H_
