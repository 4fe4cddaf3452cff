#include <string>

#include "api/postprocess_internal.h"
#include "passes/ssd/anchors.h"

namespace detlite::api_internal {
namespace {

std::string Size(int h, int w) { return std::to_string(h) + "x" + std::to_string(w); }

StatusOr<ResolvedAnchors> Mediapipe(const std::string& name, ssd::MediapipeAnchorSpec spec,
                                    int height, int width, int64_t num_boxes) {
  if (spec.input_height != height || spec.input_width != width) {
    return InvalidArgument("anchors " + name + " are for a " +
                           Size(spec.input_height, spec.input_width) +
                           " input, but the model's input is " + Size(height, width));
  }
  ResolvedAnchors r;
  ASSIGN_OR_RETURN(r.anchors, ssd::GenerateMediapipeAnchors(spec));
  if (static_cast<int64_t>(r.anchors.size()) != num_boxes) {
    return InvalidArgument("anchors " + name + " give " + std::to_string(r.anchors.size()) +
                           " anchors, but the model's box tensor has " +
                           std::to_string(num_boxes) + " boxes");
  }
  r.description = "MediaPipe " + name + " (" + Size(height, width) + ")";
  r.encoding = passes::BoxEncoding::kMediapipeLinear;
  r.mediapipe = true;
  r.mediapipe_spec = spec;
  return r;
}

StatusOr<ResolvedAnchors> Ssd(const PostprocessOptions& o, const odapi::PipelineConfig* cfg,
                              int height, int width, int64_t num_boxes) {
  ssd::SsdAnchorSpec spec;
  if (cfg != nullptr && cfg->anchor_scheme == ssd::AnchorScheme::kSsd) spec = cfg->ssd_anchors;
  if (o.num_layers) spec.num_layers = *o.num_layers;
  if (o.min_scale) spec.min_scale = *o.min_scale;
  if (o.max_scale) spec.max_scale = *o.max_scale;
  if (!o.aspect_ratios.empty()) spec.aspect_ratios = o.aspect_ratios;
  ASSIGN_OR_RETURN(auto maps, ssd::InferSsdFeatureMaps(spec, height, width, num_boxes));
  ResolvedAnchors r;
  ASSIGN_OR_RETURN(r.anchors, ssd::GenerateSsdAnchors(spec, maps, height, width));
  std::string sizes;
  for (const auto& m : maps) sizes += (sizes.empty() ? "" : ",") + std::to_string(m.height);
  r.description = "ssd_anchor_generator (" + std::to_string(spec.num_layers) +
                  " layers, feature maps " + sizes + ")";
  return r;
}

StatusOr<ResolvedAnchors> Multiscale(const PostprocessOptions& o,
                                     const odapi::PipelineConfig* cfg, int height, int width,
                                     int64_t num_boxes) {
  ssd::MultiscaleAnchorSpec spec;
  if (cfg != nullptr && cfg->anchor_scheme == ssd::AnchorScheme::kMultiscale) {
    spec = cfg->multiscale_anchors;
  }
  if (!o.aspect_ratios.empty()) spec.aspect_ratios = o.aspect_ratios;
  ResolvedAnchors r;
  ASSIGN_OR_RETURN(r.anchors, ssd::GenerateMultiscaleAnchors(spec, height, width));
  if (static_cast<int64_t>(r.anchors.size()) != num_boxes) {
    return InvalidArgument("multiscale_anchor_generator (levels " +
                           std::to_string(spec.min_level) + ".." + std::to_string(spec.max_level) +
                           ") on a " + Size(height, width) + " input gives " +
                           std::to_string(r.anchors.size()) +
                           " anchors, but the model's box tensor has " +
                           std::to_string(num_boxes) + " boxes");
  }
  r.description = "multiscale_anchor_generator (levels " + std::to_string(spec.min_level) +
                  ".." + std::to_string(spec.max_level) + ")";
  return r;
}

}  // namespace

StatusOr<ResolvedAnchors> ResolveAnchors(const PostprocessOptions& o,
                                         const odapi::PipelineConfig* cfg, int height, int width,
                                         int64_t num_boxes, std::vector<std::string>* warnings) {
  std::string scheme = o.anchors;
  if (scheme.empty() && cfg != nullptr) {
    if (cfg->anchor_scheme == ssd::AnchorScheme::kSsd) scheme = "ssd";
    if (cfg->anchor_scheme == ssd::AnchorScheme::kMultiscale) scheme = "multiscale";
    if (scheme.empty()) {
      return InvalidArgument(cfg->path + ": no ssd_anchor_generator or "
                             "multiscale_anchor_generator; give --anchors");
    }
  }
  if (scheme.empty()) {
    return InvalidArgument("no anchors: give a pipeline.config or --anchors (ssd, multiscale, "
                           "blazeface-short, blazeface-full, blazepalm)");
  }
  if (cfg != nullptr && !o.anchors.empty() && cfg->anchor_scheme != ssd::AnchorScheme::kNone) {
    const bool same = (scheme == "ssd" && cfg->anchor_scheme == ssd::AnchorScheme::kSsd) ||
                      (scheme == "multiscale" &&
                       cfg->anchor_scheme == ssd::AnchorScheme::kMultiscale);
    if (!same) warnings->push_back("--anchors " + scheme + " overrides the config's anchors");
  }
  if (scheme == "ssd") return Ssd(o, cfg, height, width, num_boxes);
  if (scheme == "multiscale") return Multiscale(o, cfg, height, width, num_boxes);
  if (scheme == "blazeface-short") {
    return Mediapipe(scheme, ssd::BlazeFaceShortRangeAnchors(), height, width, num_boxes);
  }
  if (scheme == "blazeface-full") {
    return Mediapipe(scheme, ssd::BlazeFaceFullRangeAnchors(), height, width, num_boxes);
  }
  if (scheme == "blazepalm") {
    return Mediapipe(scheme, ssd::BlazePalmAnchors(), height, width, num_boxes);
  }
  return InvalidArgument("unknown anchor scheme '" + scheme +
                         "' (ssd, multiscale, blazeface-short, blazeface-full, blazepalm)");
}

}  // namespace detlite::api_internal
