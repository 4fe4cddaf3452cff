#include "importers/odapi/pipeline_config.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cmath>
#include <string>

#include "core/file_io.h"
#include "detlite/odapi/pipeline.pb.h"

namespace detlite::odapi {
namespace {


class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first_.empty()) {
      first_ = std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

Status Invalid(const std::string& name, const std::string& what) {
  return InvalidArgument(name + ": " + what);
}

Status ReadAnchors(const pb::AnchorGenerator& in, const std::string& name, PipelineConfig* out) {
  if (in.has_ssd_anchor_generator()) {
    const pb::SsdAnchorGenerator& g = in.ssd_anchor_generator();
    ssd::SsdAnchorSpec& s = out->ssd_anchors;
    out->anchor_scheme = ssd::AnchorScheme::kSsd;
    s.num_layers = g.num_layers();
    s.min_scale = g.min_scale();
    s.max_scale = g.max_scale();
    s.scales.assign(g.scales().begin(), g.scales().end());
    s.aspect_ratios.assign(g.aspect_ratios().begin(), g.aspect_ratios().end());
    s.interpolated_scale_aspect_ratio = g.interpolated_scale_aspect_ratio();
    s.reduce_boxes_in_lowest_layer = g.reduce_boxes_in_lowest_layer();
    s.base_anchor_height = g.base_anchor_height();
    s.base_anchor_width = g.base_anchor_width();
    s.height_stride.assign(g.height_stride().begin(), g.height_stride().end());
    s.width_stride.assign(g.width_stride().begin(), g.width_stride().end());
    s.height_offset.assign(g.height_offset().begin(), g.height_offset().end());
    s.width_offset.assign(g.width_offset().begin(), g.width_offset().end());
    if (s.num_layers < 1 || s.num_layers > 32) {
      return Invalid(name, "ssd_anchor_generator num_layers must be 1..32");
    }
  } else if (in.has_multiscale_anchor_generator()) {
    const pb::MultiscaleAnchorGenerator& g = in.multiscale_anchor_generator();
    ssd::MultiscaleAnchorSpec& s = out->multiscale_anchors;
    out->anchor_scheme = ssd::AnchorScheme::kMultiscale;
    s.min_level = g.min_level();
    s.max_level = g.max_level();
    s.anchor_scale = g.anchor_scale();
    s.aspect_ratios.assign(g.aspect_ratios().begin(), g.aspect_ratios().end());
    s.scales_per_octave = g.scales_per_octave();
    s.normalize_coordinates = g.normalize_coordinates();
  }
  return Status::Ok();
}

Status ReadPostProcessing(const pb::PostProcessing& in, const std::string& name,
                          PipelineConfig* out) {
  out->has_post_processing = true;
  const pb::BatchNonMaxSuppression& n = in.batch_non_max_suppression();
  out->nms.score_threshold = n.score_threshold();
  out->nms.iou_threshold = n.iou_threshold();
  out->nms.max_detections = n.max_total_detections();
  out->nms.detections_per_class = n.max_detections_per_class();
  out->nms.max_classes_per_detection = n.max_classes_per_detection();
  if (!std::isfinite(out->nms.score_threshold) || !std::isfinite(out->nms.iou_threshold) ||
      out->nms.max_detections < 0 || out->nms.detections_per_class < 0 ||
      out->nms.max_classes_per_detection < 1) {
    return Invalid(name, "batch_non_max_suppression has out-of-range values");
  }
  switch (in.score_converter()) {
    case pb::PostProcessing::SIGMOID: out->score_converter = ssd::ScoreConverter::kSigmoid; break;
    case pb::PostProcessing::SOFTMAX: out->score_converter = ssd::ScoreConverter::kSoftmax; break;
    default: out->score_converter = ssd::ScoreConverter::kIdentity; break;
  }
  out->logit_scale = in.logit_scale();
  return Status::Ok();
}

}  // namespace

Status ReadTrainSettings(const pb::Ssd& s, const std::string& name, SsdTrainSettings* t);

StatusOr<PipelineConfig> ParsePipelineConfig(const std::string& text, const std::string& name) {
  pb::TrainEvalPipelineConfig config;
  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  parser.AllowUnknownField(true);
  parser.AllowUnknownExtension(true);
  if (!parser.ParseFromString(text, &config)) {
    return Invalid(name, "not a pipeline.config: " +
                             (errors.first().empty() ? std::string("parse error") : errors.first()));
  }
  PipelineConfig out;
  out.path = name;
  if (!config.model().has_ssd()) return out;
  const pb::Ssd& s = config.model().ssd();
  out.has_ssd = true;
  out.num_classes = s.num_classes();
  if (out.num_classes < 0 || out.num_classes > 100000) {
    return Invalid(name, "ssd num_classes " + std::to_string(out.num_classes) + " is out of range");
  }
  out.add_background_class = s.add_background_class();
  out.feature_extractor_type = s.feature_extractor().type();
  if (s.image_resizer().has_fixed_shape_resizer()) {
    out.image_resizer.kind = ResizerKind::kFixedShape;
    out.image_resizer.height = s.image_resizer().fixed_shape_resizer().height();
    out.image_resizer.width = s.image_resizer().fixed_shape_resizer().width();
  } else if (s.image_resizer().has_keep_aspect_ratio_resizer()) {
    const pb::KeepAspectRatioResizer& k = s.image_resizer().keep_aspect_ratio_resizer();
    out.image_resizer.kind = ResizerKind::kKeepAspectRatio;
    out.image_resizer.min_dimension = k.min_dimension();
    out.image_resizer.max_dimension = k.max_dimension();
    out.image_resizer.pad_to_max_dimension = k.pad_to_max_dimension();
  }
  if (s.box_coder().has_faster_rcnn_box_coder()) {
    const pb::FasterRcnnBoxCoder& b = s.box_coder().faster_rcnn_box_coder();
    out.has_box_coder = true;
    out.box_coder = {b.y_scale(), b.x_scale(), b.height_scale(), b.width_scale()};
    if (!(out.box_coder.y_scale > 0) || !(out.box_coder.x_scale > 0) ||
        !(out.box_coder.h_scale > 0) || !(out.box_coder.w_scale > 0)) {
      return Invalid(name, "faster_rcnn_box_coder scales must be positive");
    }
  }
  RETURN_IF_ERROR(ReadAnchors(s.anchor_generator(), name, &out));
  if (s.has_post_processing()) RETURN_IF_ERROR(ReadPostProcessing(s.post_processing(), name, &out));
  RETURN_IF_ERROR(ReadTrainSettings(s, name, &out.train));
  return out;
}

StatusOr<PipelineConfig> ReadPipelineConfig(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(path, 16ull << 20));
  return ParsePipelineConfig(text, path);
}

}  // namespace detlite::odapi
