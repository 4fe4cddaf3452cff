// Calibration samples for the quantizer: the files of a folder (or one
// file), decoded and preprocessed exactly as `detlite run` does. Kept behind
// this one interface so dataset formats (COCO, VOC, TFRecord) can plug in.
#ifndef DETLITE_API_QUANTIZE_CALIBRATION_H_
#define DETLITE_API_QUANTIZE_CALIBRATION_H_

#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite::api {

// Image (JPEG/PNG/BMP) and .npy files of `path` (a folder, sorted by name,
// or a single file), at most `limit`. An empty list is an error naming the
// folder.
StatusOr<std::vector<std::string>> ListCalibrationFiles(const std::string& path, int limit);

// One model input from one file; `how` says what was done.
StatusOr<std::vector<uint8_t>> LoadCalibrationSample(const std::string& file,
                                                     const TensorInfo& input,
                                                     const PreprocessOptions& options,
                                                     std::string* how);

}  // namespace detlite::api

#endif  // DETLITE_API_QUANTIZE_CALIBRATION_H_
