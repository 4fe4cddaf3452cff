// Calibration samples for the quantizer and `compare`: a folder of images or
// .npy files, one file, or a labelled dataset (COCO json, Pascal VOC,
// Object Detection API TFRecord: see LoadDataset), decoded and preprocessed
// exactly as `detlite run` does.
#ifndef DETLITE_API_QUANTIZE_CALIBRATION_H_
#define DETLITE_API_QUANTIZE_CALIBRATION_H_

#include <memory>
#include <string>
#include <vector>

#include "detlite/dataset.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/status.h"
#include "quant/calibrate.h"

namespace detlite::api {

class CalibrationSet {
 public:
  // At most `limit` samples (<= 0: all). An empty set is an error naming
  // the path.
  static StatusOr<CalibrationSet> Open(const std::string& path, int limit);

  size_t size() const { return names_.size(); }
  const std::string& name(size_t i) const { return names_[i]; }
  // One model input from sample i; `how` says what was done. Thread-safe.
  StatusOr<std::vector<uint8_t>> Load(size_t i, const TensorInfo& input,
                                      const PreprocessOptions& options, std::string* how) const;
  // The decoded photo of sample i, before preprocessing; NotFound for a
  // .npy sample (already a model input, nothing to decode).
  StatusOr<RgbImage> Image(size_t i) const;
  // Load as the quantizer's and trainer's sample loader (one input); valid
  // while this set lives.
  quant::SampleLoader Loader(const TensorInfo& input, const PreprocessOptions& options) const;

 private:
  std::vector<std::string> names_;           // files, or dataset file names
  std::shared_ptr<const Dataset> dataset_;   // set for datasets
};

}  // namespace detlite::api

#endif  // DETLITE_API_QUANTIZE_CALIBRATION_H_
