// Raw YOLO outputs (a model without NMS, as Ultralytics exports them) decoded
// into detections. The layout is recognized from the one output's shape:
//   YOLOv8 / YOLO11  [1, 4 + C, N]: per box cx, cy, w, h, then C class
//                    scores (already sigmoid), no objectness;
//   YOLOv5           [1, N, 5 + C]: cx, cy, w, h, objectness, C class
//                    scores; a class's score is class x objectness.
// N > 4 + C (resp. 5 + C) tells the two apart: YOLO heads have thousands of
// anchor points and at most a few hundred classes.
//
// Box units are a property of the export, decided once from the model, never
// from an image: Ultralytics' TFLite exports divide the anchor grid and the
// strides by the input size (boxes in [0, 1]); other exporters keep pixels
// (grid coordinates up to the feature-map size, strides 8..32). The constant
// tensors with N along one dimension are those anchor and stride tensors; if
// all are at most 1.5 in magnitude the boxes are normalized. A model without
// such constants is judged by its quantized output's range instead.
//
// NMS follows Ultralytics: candidates scoring above the threshold (one per
// box, its best class; or every class above it with multi_label), the
// 30000 best kept, greedy class-aware suppression at IoU > iou_threshold,
// at most max_detections kept.
#ifndef DETLITE_API_DETECTION_YOLO_H_
#define DETLITE_API_DETECTION_YOLO_H_

#include <string>
#include <vector>

#include "detlite/detection.h"
#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite::api {

struct YoloSpec {
  enum class Layout { kV8, kV5 };
  Layout layout = Layout::kV8;
  int num_classes = 0;
  int num_boxes = 0;
  bool pixel_boxes = false;    // else normalized to the input
  int input_w = 0, input_h = 0;
  std::string Describe() const;  // one line for `how` and notes
};

// The layout of `output`, a model output of `model` (named `name` in
// errors); fails with the shape when it fits neither layout or the units
// cannot be told.
StatusOr<YoloSpec> RecognizeYolo(const Model& model, const TensorInfo& output,
                                 const TensorInfo& input, const std::string& name);

struct YoloNms {
  float score_threshold = 0.001f;  // candidates must score above it
  float iou_threshold = 0.7f;
  int max_detections = 300;
  bool multi_label = false;
};

// `values` is the output dequantized to float, row major.
std::vector<Detection> DecodeYolo(const YoloSpec& spec, const std::vector<float>& values,
                                  const YoloNms& nms);

// COCO's 80 detection classes (the order YOLO models are trained in) and
// their official category ids (1..90 with gaps).
const std::vector<std::string>& Coco80Names();
int Coco80CategoryId(int class_index);

}  // namespace detlite::api

#endif  // DETLITE_API_DETECTION_YOLO_H_
