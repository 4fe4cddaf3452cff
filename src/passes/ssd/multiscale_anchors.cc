// Object Detection API multiscale_anchor_generator (FPN / RetinaNet heads):
// per level 2^level stride, base size 2^level * anchor_scale, scales
// 2^(i / scales_per_octave); within a location the aspect ratio varies
// slowest and the scale fastest (grid_anchor_generator's meshgrid order).
#include <cmath>
#include <string>

#include "passes/ssd/anchors.h"

namespace detlite::ssd {

StatusOr<std::vector<Anchor>> GenerateMultiscaleAnchors(const MultiscaleAnchorSpec& spec,
                                                        int image_height, int image_width) {
  if (spec.min_level < 0 || spec.max_level > 12 || spec.min_level > spec.max_level) {
    return InvalidArgument("multiscale anchors: need 0 <= min_level <= max_level <= 12, got " +
                           std::to_string(spec.min_level) + ".." + std::to_string(spec.max_level));
  }
  if (spec.scales_per_octave < 1 || spec.scales_per_octave > 16 || spec.aspect_ratios.empty()) {
    return InvalidArgument(
        "multiscale anchors: need 1..16 scales per octave and at least one aspect ratio");
  }
  if (image_height < 1 || image_width < 1 || image_height > 16384 || image_width > 16384) {
    return InvalidArgument("multiscale anchors: image size out of range");
  }
  for (float ar : spec.aspect_ratios) {
    if (!(ar > 0.0f) || !std::isfinite(ar)) {
      return InvalidArgument("multiscale anchors: aspect ratios must be positive");
    }
  }
  const float im_h = static_cast<float>(image_height), im_w = static_cast<float>(image_width);
  std::vector<Anchor> anchors;
  for (int level = spec.min_level; level <= spec.max_level; ++level) {
    const int stride_px = 1 << level;
    const float stride = static_cast<float>(stride_px);
    const float base = stride * spec.anchor_scale;
    // The generator centres anchors in their cell only when the image size is
    // a multiple of the stride; otherwise they start at the cell's corner.
    const float offset_y = image_height % stride_px == 0 ? stride / 2.0f : 0.0f;
    const float offset_x = image_width % stride_px == 0 ? stride / 2.0f : 0.0f;
    std::vector<float> heights, widths;
    for (float ar : spec.aspect_ratios) {
      for (int s = 0; s < spec.scales_per_octave; ++s) {
        const float scale =
            static_cast<float>(std::pow(2.0, static_cast<double>(s) / spec.scales_per_octave));
        const float ratio_sqrt = std::sqrt(ar);
        heights.push_back(scale / ratio_sqrt * base);
        widths.push_back(scale * ratio_sqrt * base);
      }
    }
    const int fh = CeilHalvings(image_height, level), fw = CeilHalvings(image_width, level);
    for (int y = 0; y < fh; ++y) {
      const float yc = static_cast<float>(y) * stride + offset_y;
      for (int x = 0; x < fw; ++x) {
        const float xc = static_cast<float>(x) * stride + offset_x;
        for (size_t a = 0; a < heights.size(); ++a) {
          float ymin = yc - 0.5f * heights[a], ymax = yc + 0.5f * heights[a];
          float xmin = xc - 0.5f * widths[a], xmax = xc + 0.5f * widths[a];
          if (spec.normalize_coordinates) {
            ymin /= im_h, ymax /= im_h, xmin /= im_w, xmax /= im_w;
          }
          const float h = ymax - ymin, w = xmax - xmin;
          anchors.push_back({ymin + h / 2.0f, xmin + w / 2.0f, h, w});
        }
      }
    }
  }
  return anchors;
}

}  // namespace detlite::ssd
