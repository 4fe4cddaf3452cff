// The boxes `detlite train --loss ssd` trains on: a labelled dataset's
// boxes in the model's class-logit columns, with the category -> class
// mapping `detlite eval` scores with (api/eval_classes.h), so fine-tuning
// and evaluation agree on what each column means.
#ifndef DETLITE_API_TRAIN_SSD_LABELS_H_
#define DETLITE_API_TRAIN_SSD_LABELS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detlite/dataset.h"
#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite::api {

struct SsdLabelledBox {
  float xmin = 0, ymin = 0, xmax = 0, ymax = 0;  // pixels, as the dataset gives them
  int column = 0;                                // class-logit column
};

struct SsdLabels {
  std::vector<std::vector<SsdLabelledBox>> boxes;  // per dataset sample
  std::map<int64_t, int> columns;                  // category id -> column
  int total = 0, used = 0;
  int crowd = 0;     // COCO iscrowd or VOC difficult: left out
  int unmapped = 0;  // categories the model does not predict
  int empty = 0;     // no width or height
  std::string note;  // how classes were matched, and the counts
};

// `model` ends in TFLite_Detection_PostProcess; `background_columns` is its
// label offset (class c is column c + background_columns). `label_file`
// (may be empty) names the model's classes, as `detlite eval --labels`.
StatusOr<SsdLabels> SsdTrainingLabels(const Model& model, const Dataset& ds, int background_columns,
                                      const std::string& label_file = "");

}  // namespace detlite::api

#endif  // DETLITE_API_TRAIN_SSD_LABELS_H_
