// The custom_options of TFLite_Detection_PostProcess: a FlexBuffer map with
// the keys TFLite's kernel reads (max_detections, max_classes_per_detection,
// detections_per_class, use_regular_nms, nms_score_threshold,
// nms_iou_threshold, num_classes, y_scale, x_scale, h_scale, w_scale).
// detections_per_class (default 100) and use_regular_nms (default false) may
// be absent, as in TFLite; every other key is required.
#ifndef DETLITE_RUNTIME_OPS_DETECTION_OPTIONS_H_
#define DETLITE_RUNTIME_OPS_DETECTION_OPTIONS_H_

#include <cstdint>
#include <vector>

#include "detlite/status.h"
#include "kernels/reference/detection_postprocess.h"

namespace detlite::runtime {

// Verifies the buffer, then reads the map; a missing required key or a value
// of the wrong type is InvalidArgument naming the key.
StatusOr<kernels::DetectionPostProcessParams> ParseDetectionOptions(
    const std::vector<uint8_t>& custom_options);

// Builds the FlexBuffer map (all keys written) for `params`.
std::vector<uint8_t> WriteDetectionOptions(const kernels::DetectionPostProcessParams& params);

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_OPS_DETECTION_OPTIONS_H_
