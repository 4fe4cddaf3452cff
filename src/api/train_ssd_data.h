// What both trainings on labels share (`detlite train --loss ssd`, float
// fine-tuning, and `--qat --loss ssd`): the labelled dataset, its boxes in
// the model's class columns, a loader that augments and preprocesses a
// photo as `detlite run` does, and the loss settings.
#ifndef DETLITE_API_TRAIN_SSD_DATA_H_
#define DETLITE_API_TRAIN_SSD_DATA_H_

#include <memory>
#include <string>

#include "api/train_ssd_labels.h"
#include "detlite/dataset.h"
#include "detlite/inputs.h"
#include "detlite/train.h"
#include "train/augment.h"
#include "train/ssd_loss.h"
#include "train/ssd_sample.h"

namespace detlite::api {

class SsdTrainingSet {
 public:
  // Refuses a model without TFLite_Detection_PostProcess, a folder of
  // images (no labels) and a dataset with no usable box, naming it.
  static StatusOr<std::unique_ptr<SsdTrainingSet>> Open(const Model& model,
                                                        const TrainOptions& options);
  int images() const { return static_cast<int>(dataset_.samples.size()); }
  int boxes() const { return labels_.used; }
  const std::string& note() const { return labels_.note; }
  // Sample i, augmented from the seed; valid while this set lives.
  train::SsdSampleLoader Loader() const;

 private:
  SsdTrainingSet() = default;
  Dataset dataset_;
  SsdLabels labels_;
  TensorInfo input_;
  train::AugmentOptions augment_;
  PreprocessOptions preprocess_;
};

// The SSD loss of TrainOptions: class loss, hard mining, and the
// pipeline.config's matcher and loss settings when one is given.
StatusOr<train::SsdLossOptions> SsdLossOf(const TrainOptions& options);

}  // namespace detlite::api

#endif  // DETLITE_API_TRAIN_SSD_DATA_H_
