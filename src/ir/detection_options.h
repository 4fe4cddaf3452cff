// The custom_options of TFLite_Detection_PostProcess: a FlexBuffer map with
// the keys TFLite's kernel reads (max_detections, max_classes_per_detection,
// detections_per_class, use_regular_nms, nms_score_threshold,
// nms_iou_threshold, num_classes, y_scale, x_scale, h_scale, w_scale).
// detections_per_class (default 100) and use_regular_nms (default false) may
// be absent, as in TFLite; every other key is required.
//
// Lives in ir/ because the options are part of an IR operator: the runtime
// reads them, and the TF importer and the post-processing pass write them.
#ifndef DETLITE_IR_DETECTION_OPTIONS_H_
#define DETLITE_IR_DETECTION_OPTIONS_H_

#include <cstdint>
#include <vector>

#include "core/detection_params.h"
#include "detlite/status.h"

namespace detlite::ir {

// Verifies the buffer, then reads the map; a missing required key or a value
// of the wrong type is InvalidArgument naming the key.
StatusOr<DetectionPostProcessParams> ParseDetectionOptions(
    const std::vector<uint8_t>& custom_options);

// Builds the FlexBuffer map (all keys written) for `params`.
std::vector<uint8_t> WriteDetectionOptions(const DetectionPostProcessParams& params);

}  // namespace detlite::ir

#endif  // DETLITE_IR_DETECTION_OPTIONS_H_
