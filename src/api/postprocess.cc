// AddPostprocess: reconciles a pipeline.config, explicit options and the
// model into one DetectionPostprocessConfig, then runs the pass.
#include "detlite/postprocess.h"

#include <cmath>
#include <memory>
#include <string>

#include "api/postprocess_internal.h"
#include "api/postprocess_yolo.h"
#include "api/tensor_info.h"
#include "ir/graph.h"
#include "ir/verifier.h"

namespace detlite {
namespace {

using api_internal::ResolvedAnchors;

// Real classes: an explicit count wins; else the config's if it fits the
// class tensor, else the model's (with one warning).
StatusOr<int> ResolveClasses(const PostprocessOptions& o, const odapi::PipelineConfig* cfg,
                             bool mediapipe, int64_t columns, std::vector<std::string>* warnings) {
  if (o.num_classes) {
    if (*o.num_classes < 1 || columns - *o.num_classes < 0 || columns - *o.num_classes > 1) {
      return InvalidArgument("--num-classes " + std::to_string(*o.num_classes) +
                             " does not fit the class tensor's " + std::to_string(columns) +
                             " columns (num classes or num classes + 1 background)");
    }
    return *o.num_classes;
  }
  const bool background = mediapipe ? false : (cfg == nullptr || cfg->add_background_class);
  const int from_model = static_cast<int>(background && columns > 1 ? columns - 1 : columns);
  if (cfg == nullptr || cfg->num_classes < 1 || mediapipe) return from_model;
  const int n = cfg->num_classes;
  if (columns == n + (background ? 1 : 0)) return n;
  if (columns == n || columns == n + 1) {
    warnings->push_back("config says " + std::to_string(n) + " classes and add_background_class " +
                        (background ? "true" : "false") + ", model has " +
                        std::to_string(columns) + " class columns; using label offset " +
                        std::to_string(columns - n));
    return n;
  }
  warnings->push_back("config says " + std::to_string(n) + " classes, model has " +
                      std::to_string(from_model) + (background ? " (+background)" : "") +
                      "; using the model");
  return from_model;
}

StatusOr<ssd::ScoreConverter> ResolveConverter(const PostprocessOptions& o,
                                               const odapi::PipelineConfig* cfg, bool mediapipe,
                                               passes::ScoreKind kind,
                                               std::vector<std::string>* warnings) {
  const ScoreConverter flag = o.score_converter;
  const bool probabilities = kind != passes::ScoreKind::kLogits;
  if (flag != ssd::ScoreConverter::kAuto) {
    if (probabilities && flag != ssd::ScoreConverter::kIdentity) {
      warnings->push_back(std::string("class scores are already ") + passes::ScoreKindName(kind) +
                          ", but --score-converter " + NameOf(flag) +
                          " was given; applying it anyway");
    }
    return flag;
  }
  ssd::ScoreConverter wanted = ssd::ScoreConverter::kSigmoid;  // OD API and MediaPipe default
  if (cfg != nullptr && cfg->has_post_processing && !mediapipe) wanted = cfg->score_converter;
  if (probabilities) {
    if (cfg != nullptr && wanted != ssd::ScoreConverter::kIdentity) {
      warnings->push_back(std::string("config asks for a ") + NameOf(wanted) +
                          " score converter, but the model's class scores are already " +
                          passes::ScoreKindName(kind) + "; adding none");
    }
    return ssd::ScoreConverter::kIdentity;
  }
  return wanted;
}

ssd::NmsSpec ResolveNms(const PostprocessOptions& o, const odapi::PipelineConfig* cfg,
                        bool mediapipe) {
  ssd::NmsSpec n;
  if (mediapipe) {  // MediaPipe's face/palm graphs: min score 0.5, suppression IoU 0.3
    n.score_threshold = 0.5f;
    n.iou_threshold = 0.3f;
  } else if (cfg != nullptr && cfg->has_post_processing) {
    n = cfg->nms;
  }
  if (o.max_detections) n.max_detections = *o.max_detections;
  if (o.max_classes_per_detection) n.max_classes_per_detection = *o.max_classes_per_detection;
  if (o.detections_per_class) n.detections_per_class = *o.detections_per_class;
  if (o.score_threshold) n.score_threshold = *o.score_threshold;
  if (o.iou_threshold) n.iou_threshold = *o.iou_threshold;
  if (o.regular_nms) n.use_regular_nms = *o.regular_nms;
  return n;
}

void CheckInputSize(const odapi::PipelineConfig& cfg, int h, int w,
                    std::vector<std::string>* warnings) {
  const odapi::ImageResizer& r = cfg.image_resizer;
  int ch = 0, cw = 0;
  if (r.kind == odapi::ResizerKind::kFixedShape) ch = r.height, cw = r.width;
  if (r.kind == odapi::ResizerKind::kKeepAspectRatio && r.pad_to_max_dimension) {
    ch = cw = r.max_dimension;
  }
  if (ch > 0 && (ch != h || cw != w)) {
    warnings->push_back("config image_resizer is " + std::to_string(ch) + "x" +
                        std::to_string(cw) + ", model input is " + std::to_string(h) + "x" +
                        std::to_string(w) + "; using the model");
  }
}

}  // namespace

StatusOr<PostprocessResult> AddPostprocess(Model& model, const PostprocessOptions& o) {
  PostprocessResult result;
  std::unique_ptr<odapi::PipelineConfig> cfg;
  if (!o.config.empty()) {
    ASSIGN_OR_RETURN(odapi::PipelineConfig c, odapi::ReadPipelineConfig(o.config));
    if (!c.has_ssd) return InvalidArgument(o.config + ": not an SSD pipeline (no model.ssd)");
    cfg = std::make_unique<odapi::PipelineConfig>(std::move(c));
  }
  const std::string where = model.path().empty() ? "model" : model.path();
  ir::Model& m = model.mutable_ir();
  {
    // One raw YOLO output: anchor-free, its own decoder (postprocess_yolo.cc).
    const ir::Subgraph& sg0 = m.subgraphs.at(0);
    if (!cfg && sg0.outputs.size() == 1 && sg0.inputs.size() == 1) {
      auto spec = api::RecognizeYolo(model, api::MakeTensorInfo(sg0, sg0.outputs[0]),
                                     api::MakeTensorInfo(sg0, sg0.inputs[0]), where);
      if (spec.ok()) return api_internal::AddYoloPostprocess(model, o, *spec);
    }
  }
  auto outs = passes::FindSsdOutputs(m);
  if (!outs.ok()) return outs.status().WithContext(where);
  const ir::Subgraph& sg = m.subgraphs[0];
  if (sg.inputs.size() != 1) return InvalidArgument(where + ": expected one image input");
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  if (in.shape.rank() != 4 || in.shape.dim(1) < 1 || in.shape.dim(2) < 1) {
    return InvalidArgument(where + ": input '" + in.name + "' " + in.shape.ToString() +
                           " is not an image [1,H,W,C]");
  }
  const int height = in.shape.dim(1), width = in.shape.dim(2);
  if (cfg) CheckInputSize(*cfg, height, width, &result.warnings);

  auto anchors = api_internal::ResolveAnchors(o, cfg.get(), height, width, outs->num_boxes,
                                              &result.warnings);
  if (!anchors.ok()) return anchors.status().WithContext(where);
  passes::DetectionPostprocessConfig pc;
  pc.encoding = anchors->encoding;
  if (anchors->mediapipe) {
    const auto& s = anchors->mediapipe_spec;
    const float h = static_cast<float>(s.input_height), w = static_cast<float>(s.input_width);
    pc.box_coder = {h, w, h, w};
  } else if (cfg && cfg->has_box_coder) {
    pc.box_coder = cfg->box_coder;
  }
  if (!o.box_scales.empty()) {
    if (o.box_scales.size() != 4) return InvalidArgument("box scales need 4 values: Y,X,H,W");
    pc.box_coder = {o.box_scales[0], o.box_scales[1], o.box_scales[2], o.box_scales[3]};
  }
  ASSIGN_OR_RETURN(pc.num_classes, ResolveClasses(o, cfg.get(), anchors->mediapipe,
                                                  outs->class_columns, &result.warnings));
  const passes::ScoreKind kind = passes::ClassScoreKind(m, outs->classes);
  ASSIGN_OR_RETURN(pc.score_converter,
                   ResolveConverter(o, cfg.get(), anchors->mediapipe, kind, &result.warnings));
  if (cfg && std::fabs(cfg->logit_scale - 1.0f) > 1e-6f) {
    result.warnings.push_back("config logit_scale " + std::to_string(cfg->logit_scale) +
                              " is ignored (only 1.0 is supported)");
  }
  pc.nms = ResolveNms(o, cfg.get(), anchors->mediapipe);
  result.anchor_scheme = anchors->description;
  result.num_anchors = static_cast<int>(anchors->anchors.size());
  result.num_classes = pc.num_classes;
  result.label_offset = static_cast<int>(outs->class_columns - pc.num_classes);
  result.score_converter = pc.score_converter == ScoreConverter::kIdentity
                               ? "none"
                               : NameOf(pc.score_converter);
  pc.anchors = std::move(anchors->anchors);

  passes::AddDetectionPostprocess pass(std::move(pc));
  passes::PassContext ctx;
  bool changed = false;
  // On a copy, so a failure leaves the caller's model as it was.
  ir::Model rewritten = m;
  const Status run = pass.Run(rewritten, ctx, &changed);
  if (!run.ok()) return run.WithContext(where);
  const Status verified = ir::Verify(rewritten);
  if (!verified.ok()) return Internal("post-processing made an invalid graph: " + verified.message());
  m = std::move(rewritten);
  result.actions.push_back("anchors: " + result.anchor_scheme + ", " +
                           std::to_string(result.num_anchors) + " anchors");
  for (std::string& line : ctx.log) result.actions.push_back(std::move(line));
  return result;
}

}  // namespace detlite
