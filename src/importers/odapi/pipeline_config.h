// Reads the SSD parts of a TensorFlow Object Detection API pipeline.config
// (protobuf text format, message TrainEvalPipelineConfig) into plain structs:
// class count, input size (image_resizer), box coder, anchor generator and
// post-processing. Only the fields in protos/detlite/odapi/pipeline.proto are
// modelled; every other field and extension is skipped, so real configs with
// training, input and hyperparameter sections parse. A config for another
// meta-architecture (faster_rcnn, center_net) has no `ssd` and is rejected
// by the caller that needs one (has_ssd is false).
#ifndef DETLITE_IMPORTERS_ODAPI_PIPELINE_CONFIG_H_
#define DETLITE_IMPORTERS_ODAPI_PIPELINE_CONFIG_H_

#include <string>

#include "detlite/status.h"
#include "passes/ssd/ssd_spec.h"

namespace detlite::odapi {

enum class ResizerKind { kNone, kFixedShape, kKeepAspectRatio };

struct ImageResizer {
  ResizerKind kind = ResizerKind::kNone;
  int height = 0, width = 0;               // fixed_shape_resizer
  int min_dimension = 0, max_dimension = 0;  // keep_aspect_ratio_resizer
  bool pad_to_max_dimension = false;
};

// The SSD training settings of a config (model.ssd.matcher and .loss), as
// `detlite train --loss ssd --pipeline-config` uses them.
struct SsdTrainSettings {
  bool has_matcher = false;  // argmax_matcher given
  float matched_threshold = 0.5f, unmatched_threshold = 0.5f;
  bool force_match = false;
  bool has_loss = false;
  float localization_weight = 1.0f, classification_weight = 1.0f;
  float huber_delta = 1.0f;
  // "sigmoid", "softmax", "focal", or the name of a loss detlite has not.
  std::string classification = "sigmoid";
  float focal_gamma = 2.0f, focal_alpha = -1.0f;  // < 0: no alpha
  std::string localization = "smooth_l1";
  bool hard_mining = false;  // hard_example_miner given
  int num_hard_examples = 64;
  float mining_iou = 0.7f;
  int max_negatives_per_positive = 0, min_negatives_per_image = 0;
};

struct PipelineConfig {
  std::string path;  // for messages
  bool has_ssd = false;
  int num_classes = 0;  // without background
  bool add_background_class = true;
  std::string feature_extractor_type;
  ImageResizer image_resizer;
  bool has_box_coder = false;  // faster_rcnn_box_coder given
  ssd::BoxCoderSpec box_coder;
  ssd::AnchorScheme anchor_scheme = ssd::AnchorScheme::kNone;
  ssd::SsdAnchorSpec ssd_anchors;
  ssd::MultiscaleAnchorSpec multiscale_anchors;
  bool has_post_processing = false;
  ssd::NmsSpec nms;
  ssd::ScoreConverter score_converter = ssd::ScoreConverter::kIdentity;
  float logit_scale = 1.0f;
  SsdTrainSettings train;
};

// Configs are small; anything over 16 MiB is refused as not a config.
StatusOr<PipelineConfig> ReadPipelineConfig(const std::string& path);
// `name` is used in errors ("<name>:LINE:COL: message").
StatusOr<PipelineConfig> ParsePipelineConfig(const std::string& text, const std::string& name);

}  // namespace detlite::odapi

#endif  // DETLITE_IMPORTERS_ODAPI_PIPELINE_CONFIG_H_
