// Adding TFLite's SSD post-processing (decode + NMS, the custom op
// TFLite_Detection_PostProcess) to a model that ends in raw SSD outputs:
//
//   detlite::PostprocessOptions o;
//   o.config = "pipeline.config";          // or o.anchors = "ssd", ...
//   ASSIGN_OR_RETURN(detlite::PostprocessResult r, detlite::AddPostprocess(model, o));
//   for (const std::string& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
//
// Settings come from an Object Detection API pipeline.config, from the
// fields below, or both (a field given here overrides the config). The model
// wins where it is unambiguous: its class count (when the config's does not
// fit the class tensor), its input size, and whether its class scores are
// already probabilities (a LOGISTIC or SOFTMAX before the output); each such
// override is one warning line.
#ifndef DETLITE_POSTPROCESS_H_
#define DETLITE_POSTPROCESS_H_

#include <optional>
#include <string>
#include <vector>

#include "detlite/model.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite {

struct PostprocessOptions {
  std::string config;  // pipeline.config path; "" = none
  // Named anchors (detlite/settings.h); kFromModel: the config's.
  AnchorPreset anchors = AnchorPreset::kFromModel;
  // Explicit anchors, (ycenter, xcenter, height, width) normalized, one
  // quadruple per box: what `detlite convert` found in an Object Detection
  // API graph. Used when neither `config` nor `anchors` names a scheme; with
  // one, the two are compared and a disagreement is a warning.
  std::vector<float> anchor_values;
  std::optional<int> num_layers;  // ssd anchors
  std::optional<float> min_scale, max_scale;
  std::vector<float> aspect_ratios;  // ssd and multiscale anchors
  std::vector<float> box_scales;     // Y, X, H, W (default 10, 10, 5, 5)
  ScoreConverter score_converter = ScoreConverter::kAuto;
  std::optional<int> num_classes;        // real classes, without background
  std::optional<int> max_detections;
  std::optional<int> max_classes_per_detection;
  std::optional<int> detections_per_class;
  std::optional<float> score_threshold;
  std::optional<float> iou_threshold;
  std::optional<bool> regular_nms;
};

struct PostprocessResult {
  std::string anchor_scheme;  // e.g. "ssd_anchor_generator (6 layers)"
  int num_anchors = 0;
  int num_classes = 0;   // real classes
  int label_offset = 0;  // 1 when the class tensor has a background column
  std::string score_converter;  // what was inserted: "sigmoid", "softmax", "none"
  std::vector<std::string> warnings;  // one line each
  std::vector<std::string> actions;   // one line per change made
};

StatusOr<PostprocessResult> AddPostprocess(Model& model, const PostprocessOptions& options);

}  // namespace detlite

#endif  // DETLITE_POSTPROCESS_H_
