#include <cmath>
#include <cstdio>
#include <string>

#include "api/postprocess_internal.h"
#include "passes/ssd/anchors.h"

namespace detlite::api_internal {
namespace {

std::string Size(int h, int w) { return std::to_string(h) + "x" + std::to_string(w); }

StatusOr<ResolvedAnchors> Mediapipe(const std::string& name, ssd::MediapipeAnchorSpec spec,
                                    int height, int width, int64_t num_boxes) {
  // The published options name the model's shipped size; MediaPipe computes
  // the grids from the input size and the strides, so a model re-targeted to
  // another size (--input-size) gets its anchors from its actual input.
  const bool resized = spec.input_height != height || spec.input_width != width;
  const std::string published = Size(spec.input_height, spec.input_width);
  spec.input_height = height;
  spec.input_width = width;
  ResolvedAnchors r;
  ASSIGN_OR_RETURN(r.anchors, ssd::GenerateMediapipeAnchors(spec));
  if (static_cast<int64_t>(r.anchors.size()) != num_boxes) {
    return InvalidArgument("anchors " + name + " (published for " + published +
                           ") give " + std::to_string(r.anchors.size()) + " anchors on the model's " +
                           Size(height, width) + " input, but its box tensor has " +
                           std::to_string(num_boxes) + " boxes");
  }
  r.description = "MediaPipe " + name + " (" + Size(height, width) +
                  (resized ? ", published for " + published : std::string()) + ")";
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

StatusOr<ResolvedAnchors> Given(const std::vector<float>& v, int64_t num_boxes) {
  if (static_cast<int64_t>(v.size()) != num_boxes * 4) {
    return InvalidArgument("the graph's anchors are " + std::to_string(v.size() / 4) +
                           ", but the model's box tensor has " + std::to_string(num_boxes) +
                           " boxes");
  }
  ResolvedAnchors r;
  r.anchors.resize(static_cast<size_t>(num_boxes));
  for (size_t i = 0; i < r.anchors.size(); ++i) {
    r.anchors[i] = {v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]};
  }
  r.description = "the graph's box decoder constants";
  return r;
}

// Regenerated anchors against the graph's own: they should agree to float
// rounding; the difference goes into the description either way.
void CompareWithGiven(const std::vector<float>& v, ResolvedAnchors* r,
                      std::vector<std::string>* warnings) {
  if (v.size() != r->anchors.size() * 4) {
    warnings->push_back("the graph holds " + std::to_string(v.size() / 4) +
                        " anchors, the config gives " + std::to_string(r->anchors.size()) +
                        "; using the config's");
    return;
  }
  double worst = 0;
  for (size_t i = 0; i < r->anchors.size(); ++i) {
    const ssd::Anchor& a = r->anchors[i];
    const float g[4] = {a.y, a.x, a.h, a.w};
    for (int k = 0; k < 4; ++k) worst = std::max(worst, std::fabs(double(g[k]) - v[4 * i + k]));
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, "; the graph's own anchors differ by at most %.2g", worst);
  r->description += buf;
  if (worst > 1e-3) {
    warnings->push_back(std::string("the config's anchors differ from the graph's by up to ") +
                        std::to_string(worst) + "; check the config belongs to this model");
  }
}

}  // namespace

StatusOr<ResolvedAnchors> ResolveAnchors(const PostprocessOptions& o,
                                         const odapi::PipelineConfig* cfg, int height, int width,
                                         int64_t num_boxes, std::vector<std::string>* warnings) {
  AnchorPreset scheme = o.anchors;
  if (scheme == AnchorPreset::kFromModel && cfg != nullptr) {
    if (cfg->anchor_scheme == ssd::AnchorScheme::kSsd) scheme = AnchorPreset::kSsd;
    if (cfg->anchor_scheme == ssd::AnchorScheme::kMultiscale) scheme = AnchorPreset::kMultiscale;
    if (scheme == AnchorPreset::kFromModel) {
      return InvalidArgument(cfg->path + ": no ssd_anchor_generator or "
                             "multiscale_anchor_generator; give --anchors");
    }
  }
  if (scheme == AnchorPreset::kFromModel && !o.anchor_values.empty()) {
    return Given(o.anchor_values, num_boxes);
  }
  const std::string name = NameOf(scheme);
  if (cfg != nullptr && o.anchors != AnchorPreset::kFromModel &&
      cfg->anchor_scheme != ssd::AnchorScheme::kNone) {
    const bool same = (scheme == AnchorPreset::kSsd && cfg->anchor_scheme == ssd::AnchorScheme::kSsd) ||
                      (scheme == AnchorPreset::kMultiscale &&
                       cfg->anchor_scheme == ssd::AnchorScheme::kMultiscale);
    if (!same) warnings->push_back("--anchors " + name + " overrides the config's anchors");
  }
  switch (scheme) {
    case AnchorPreset::kFromModel:
      return InvalidArgument("no anchors: give a pipeline.config or --anchors (" +
                             SettingChoices<AnchorPreset>() + ")");
    case AnchorPreset::kSsd:
    case AnchorPreset::kMultiscale: {
      auto r = scheme == AnchorPreset::kSsd ? Ssd(o, cfg, height, width, num_boxes)
                                            : Multiscale(o, cfg, height, width, num_boxes);
      if (r.ok() && !o.anchor_values.empty()) CompareWithGiven(o.anchor_values, &*r, warnings);
      return r;
    }
    case AnchorPreset::kBlazefaceShort:
      return Mediapipe(name, ssd::BlazeFaceShortRangeAnchors(), height, width, num_boxes);
    case AnchorPreset::kBlazefaceFull:
      return Mediapipe(name, ssd::BlazeFaceFullRangeAnchors(), height, width, num_boxes);
    case AnchorPreset::kBlazepalm:
      return Mediapipe(name, ssd::BlazePalmAnchors(), height, width, num_boxes);
  }
  return InvalidArgument("unknown anchor preset");
}

}  // namespace detlite::api_internal
