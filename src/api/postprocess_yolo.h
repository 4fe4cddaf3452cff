// AddPostprocess for a model with one raw YOLO output (postprocess_yolo.cc).
#ifndef DETLITE_API_POSTPROCESS_YOLO_H_
#define DETLITE_API_POSTPROCESS_YOLO_H_

#include "api/detection_yolo.h"
#include "detlite/postprocess.h"

namespace detlite::api_internal {

// Appends TRANSPOSE/SLICE (and DEQUANTIZE, MUL where needed) and
// TFLite_Detection_PostProcess to `model`, whose one output is `spec`.
// Defaults: score 0.25, IoU 0.7, 300 detections, regular NMS; `o` overrides.
StatusOr<PostprocessResult> AddYoloPostprocess(Model& model, const PostprocessOptions& o,
                                               const api::YoloSpec& spec);

}  // namespace detlite::api_internal

#endif  // DETLITE_API_POSTPROCESS_YOLO_H_
