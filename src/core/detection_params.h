// The settings of TFLite_Detection_PostProcess (decode scales and NMS), as
// its kernel reads them from the op's custom options. A plain struct in core
// so the kernel, the options codec (ir/detection_options.h), the importers
// and the passes share one definition without depending on each other.
#ifndef DETLITE_CORE_DETECTION_PARAMS_H_
#define DETLITE_CORE_DETECTION_PARAMS_H_

namespace detlite {

struct DetectionPostProcessParams {
  int max_detections = 0;
  int max_classes_per_detection = 1;
  int detections_per_class = 100;
  bool use_regular_nms = false;
  float nms_score_threshold = 0.0f;
  float nms_iou_threshold = 0.0f;
  int num_classes = 0;
  float y_scale = 1.0f;
  float x_scale = 1.0f;
  float h_scale = 1.0f;
  float w_scale = 1.0f;
};

}  // namespace detlite

#endif  // DETLITE_CORE_DETECTION_PARAMS_H_
