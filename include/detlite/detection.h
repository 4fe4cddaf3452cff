// Running a detector that ends in TFLite's standard SSD post-processing
// (TFLite_Detection_PostProcess): image in, boxes out.
//
//   ASSIGN_OR_RETURN(detlite::Detector d, detlite::Detector::Create(model));
//   ASSIGN_OR_RETURN(detlite::RgbImage img, detlite::ReadImage("cats.jpg"));
//   ASSIGN_OR_RETURN(std::vector<detlite::Detection> dets, d.Detect(img));
#ifndef DETLITE_DETECTION_H_
#define DETLITE_DETECTION_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "detlite/dataset.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite {

struct Detection {
  // Normalized to [0, 1] of the image (the model sees the whole image
  // stretched to its input size, so input and image coordinates agree).
  float ymin = 0, xmin = 0, ymax = 0, xmax = 0;
  int class_index = 0;  // the model's class, 0-based, background excluded
  float score = 0;
};

struct DetectorOptions {
  PreprocessOptions preprocess;
  // Detections scoring below this are dropped (the model's own NMS score
  // threshold applies first).
  float score_threshold = 0.0f;
};

class Detector {
 public:
  // Fails with a hint to `convert --add-postprocess` when the model's outputs
  // do not come from TFLite_Detection_PostProcess.
  static StatusOr<Detector> Create(const Model& model, const DetectorOptions& options = {});
  Detector(Detector&&) noexcept;
  Detector& operator=(Detector&&) noexcept;
  ~Detector();

  StatusOr<std::vector<Detection>> Detect(const RgbImage& image, std::string* how = nullptr);

  TensorInfo input() const;
  int num_classes() const;     // from the post-processing op
  int max_detections() const;  // rows of its outputs
  double last_invoke_ms() const;

 private:
  struct Impl;
  explicit Detector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Names for the model's classes from a label map. kLines files list one
// name per line: line c names class c, unless the file has exactly one line
// more than the model has classes, when line 0 is the background and class
// c is line c + 1. .pbtxt label maps use 1-based ids: class c is id c + 1.
// kIdName, kYaml and kJson give the class index itself.
std::function<std::string(int)> ClassNamer(const LabelMap& labels, int num_classes);

// Class names the model carries itself: the first associated file (TFLite
// metadata, e.g. labelmap.txt or Ultralytics' metadata.json) that reads as a
// label map of any LabelFormat. Empty names when it has none.
LabelMap EmbeddedLabels(const Model& model, std::string* file_name = nullptr);

// A copy of `image` with each detection's box and "name score" label drawn.
RgbImage DrawDetections(const RgbImage& image, const std::vector<Detection>& detections,
                        const std::function<std::string(int)>& class_name);

}  // namespace detlite

#endif  // DETLITE_DETECTION_H_
