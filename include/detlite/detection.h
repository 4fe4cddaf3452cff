// Running a detector that ends in TFLite's standard SSD post-processing
// (TFLite_Detection_PostProcess), or a YOLO model with one raw output
// (YOLOv8/11 [1,4+C,N] or YOLOv5 [1,N,5+C], decoded and NMS'd here):
// image in, boxes out.
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
  // stretched to its input size; YOLO models by default see it letterboxed,
  // as Ultralytics feeds them, and boxes are mapped back to the image).
  float ymin = 0, xmin = 0, ymax = 0, xmax = 0;
  int class_index = 0;  // the model's class, 0-based, background excluded
  float score = 0;
};

struct DetectorOptions {
  PreprocessOptions preprocess;
  // Detections scoring below this are dropped (the model's own NMS score
  // threshold applies first). For raw YOLO outputs, candidates must score
  // above max(score_threshold, 0.001) before NMS.
  float score_threshold = 0.0f;
  // Raw YOLO outputs only: class-aware NMS IoU, detections kept, and whether
  // a box may yield one detection per class above the threshold (as
  // Ultralytics validates) rather than only its best class (as it predicts).
  float nms_iou_threshold = 0.7f;
  int max_detections = 300;
  bool multi_label = false;
  // Raw YOLO outputs only: pad the photo to the input's aspect ratio with
  // gray (114) borders before resizing, as Ultralytics does (letterbox);
  // false stretches it like every other detector.
  bool letterbox = true;
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
  int num_classes() const;     // from the post-processing op or YOLO output
  int max_detections() const;  // rows of its outputs
  double last_invoke_ms() const;
  // What the model's outputs were recognized as, in one line.
  std::string description() const;
  // The COCO category id of a class: for an 80-class YOLO model COCO's
  // official id (1..90 with gaps), otherwise class_index + 1 (the Object
  // Detection API's ids).
  int category_id(int class_index) const;
  // Class names the detector assumes without a label file: COCO's 80 names
  // for an 80-class YOLO model (Ultralytics' default), else empty.
  std::map<int, std::string> default_class_names() const;

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
