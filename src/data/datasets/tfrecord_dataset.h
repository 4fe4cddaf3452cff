// An Object Detection API TFRecord file as a dataset: records read in order
// (tfrecord.h), each a tf.Example (od_example.h). Categories are the
// (class/label, class/text) pairs seen, sorted by id, the first text seen
// naming an id. Image ids are image/source_id when every record's is a
// decimal integer and they are unique, else the 0-based record index.
#ifndef DETLITE_DATA_DATASETS_TFRECORD_DATASET_H_
#define DETLITE_DATA_DATASETS_TFRECORD_DATASET_H_

#include <string>

#include "detlite/dataset.h"
#include "detlite/status.h"

namespace detlite::datasets {

StatusOr<Dataset> LoadTfRecordDataset(const std::string& path, const DatasetOptions& options);

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_TFRECORD_DATASET_H_
