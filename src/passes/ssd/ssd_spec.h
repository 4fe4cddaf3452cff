// Plain descriptions of an SSD's box decoding and post-processing: how its
// anchors are laid out, how box encodings scale, how class scores become
// probabilities and how NMS is configured. Filled from a pipeline.config
// (importers/odapi), from CLI flags, or from a MediaPipe preset; consumed by
// the anchor generators (anchors.h) and the AddDetectionPostprocess pass.
#ifndef DETLITE_PASSES_SSD_SSD_SPEC_H_
#define DETLITE_PASSES_SSD_SSD_SPEC_H_

#include <cstdint>
#include <string>
#include <vector>
#include "detlite/settings.h"

namespace detlite::ssd {

// One anchor in TFLite_Detection_PostProcess's layout: centre and size,
// normalized to the input image.
struct Anchor {
  float y = 0, x = 0, h = 0, w = 0;
};

// Object Detection API ssd_anchor_generator (multiple_grid_anchor_generator).
// Defaults are the proto's, except aspect_ratios: the proto has none, and the
// zoo configs all use {1, 2, 0.5, 3, 0.3333}, which a flag-only user wants.
struct SsdAnchorSpec {
  int num_layers = 6;
  float min_scale = 0.2f;
  float max_scale = 0.95f;
  std::vector<float> scales;  // explicit; overrides min/max_scale when set
  std::vector<float> aspect_ratios = {1.0f, 2.0f, 0.5f, 3.0f, 0.3333f};
  float interpolated_scale_aspect_ratio = 1.0f;
  bool reduce_boxes_in_lowest_layer = true;
  float base_anchor_height = 1.0f;
  float base_anchor_width = 1.0f;
  // In input pixels, one per layer; empty = 1/feature size and half that.
  std::vector<int> height_stride, width_stride, height_offset, width_offset;
};

// Object Detection API multiscale_anchor_generator (FPN / RetinaNet).
struct MultiscaleAnchorSpec {
  int min_level = 3;
  int max_level = 7;
  float anchor_scale = 4.0f;
  std::vector<float> aspect_ratios = {1.0f, 2.0f, 0.5f};
  int scales_per_octave = 2;
  bool normalize_coordinates = true;
};

// MediaPipe's SsdAnchorsCalculatorOptions (BlazeFace, BlazePalm).
struct MediapipeAnchorSpec {
  int input_height = 128;
  int input_width = 128;
  float min_scale = 0.1484375f;
  float max_scale = 0.75f;
  float anchor_offset_x = 0.5f;
  float anchor_offset_y = 0.5f;
  std::vector<int> strides = {8, 16, 16, 16};
  std::vector<float> aspect_ratios = {1.0f};
  bool reduce_boxes_in_lowest_layer = false;
  float interpolated_scale_aspect_ratio = 1.0f;
  bool fixed_anchor_size = true;
};

enum class AnchorScheme { kNone, kSsd, kMultiscale, kMediapipe };

// Object Detection API faster_rcnn_box_coder scales (ty, tx, th, tw divisors).
struct BoxCoderSpec {
  float y_scale = 10.0f;
  float x_scale = 10.0f;
  float h_scale = 5.0f;
  float w_scale = 5.0f;
};

using ::detlite::ScoreConverter;  // detlite/settings.h

struct NmsSpec {
  float score_threshold = 1e-8f;
  float iou_threshold = 0.6f;
  int max_detections = 100;
  int max_classes_per_detection = 1;
  int detections_per_class = 100;
  bool use_regular_nms = false;
};

}  // namespace detlite::ssd

#endif  // DETLITE_PASSES_SSD_SSD_SPEC_H_
