// MediaPipe's SsdAnchorsCalculator: consecutive layers with the same stride
// share one grid (their anchor types are merged, in layer order), and with
// fixed_anchor_size every anchor is 1 x 1 because the model regresses sizes
// in input pixels, not relative to the anchor.
#include <cmath>
#include <string>

#include "passes/ssd/anchors.h"

namespace detlite::ssd {
namespace {

float LayerScale(float min_scale, float max_scale, int index, int count) {
  if (count == 1) return (min_scale + max_scale) * 0.5f;
  return min_scale + (max_scale - min_scale) * 1.0f * static_cast<float>(index) /
                         (static_cast<float>(count) - 1.0f);
}

}  // namespace

StatusOr<std::vector<Anchor>> GenerateMediapipeAnchors(const MediapipeAnchorSpec& spec) {
  const int num_layers = static_cast<int>(spec.strides.size());
  if (num_layers < 1 || num_layers > 32) {
    return InvalidArgument("mediapipe anchors: need 1..32 strides");
  }
  if (spec.input_height < 1 || spec.input_width < 1 || spec.input_height > 16384 ||
      spec.input_width > 16384) {
    return InvalidArgument("mediapipe anchors: input size out of range");
  }
  for (int s : spec.strides) {
    if (s < 1) return InvalidArgument("mediapipe anchors: strides must be positive");
  }
  std::vector<Anchor> anchors;
  int layer = 0;
  while (layer < num_layers) {
    std::vector<float> scales, ratios;
    int last = layer;
    while (last < num_layers && spec.strides[static_cast<size_t>(last)] ==
                                    spec.strides[static_cast<size_t>(layer)]) {
      const float scale = LayerScale(spec.min_scale, spec.max_scale, last, num_layers);
      if (last == 0 && spec.reduce_boxes_in_lowest_layer) {
        ratios.insert(ratios.end(), {1.0f, 2.0f, 0.5f});
        scales.insert(scales.end(), {0.1f, scale, scale});
      } else {
        for (float ar : spec.aspect_ratios) {
          ratios.push_back(ar);
          scales.push_back(scale);
        }
        if (spec.interpolated_scale_aspect_ratio > 0.0f) {
          const float next = last == num_layers - 1
                                 ? 1.0f
                                 : LayerScale(spec.min_scale, spec.max_scale, last + 1, num_layers);
          scales.push_back(std::sqrt(scale * next));
          ratios.push_back(spec.interpolated_scale_aspect_ratio);
        }
      }
      ++last;
    }
    std::vector<float> heights, widths;
    for (size_t i = 0; i < ratios.size(); ++i) {
      if (!(ratios[i] > 0.0f)) return InvalidArgument("mediapipe anchors: bad aspect ratio");
      const float ratio_sqrt = std::sqrt(ratios[i]);
      heights.push_back(scales[i] / ratio_sqrt);
      widths.push_back(scales[i] * ratio_sqrt);
    }
    const int stride = spec.strides[static_cast<size_t>(layer)];
    const int fh = static_cast<int>(std::ceil(1.0f * spec.input_height / stride));
    const int fw = static_cast<int>(std::ceil(1.0f * spec.input_width / stride));
    for (int y = 0; y < fh; ++y) {
      for (int x = 0; x < fw; ++x) {
        for (size_t a = 0; a < heights.size(); ++a) {
          Anchor an;
          an.x = (static_cast<float>(x) + spec.anchor_offset_x) * 1.0f / static_cast<float>(fw);
          an.y = (static_cast<float>(y) + spec.anchor_offset_y) * 1.0f / static_cast<float>(fh);
          an.h = spec.fixed_anchor_size ? 1.0f : heights[a];
          an.w = spec.fixed_anchor_size ? 1.0f : widths[a];
          anchors.push_back(an);
        }
      }
    }
    layer = last;
  }
  return anchors;
}

MediapipeAnchorSpec BlazeFaceShortRangeAnchors() { return MediapipeAnchorSpec{}; }

MediapipeAnchorSpec BlazeFaceFullRangeAnchors() {
  MediapipeAnchorSpec s;
  s.input_height = s.input_width = 192;
  s.strides = {4};
  s.interpolated_scale_aspect_ratio = 0.0f;
  return s;
}

MediapipeAnchorSpec BlazePalmAnchors() {
  MediapipeAnchorSpec s;
  s.input_height = s.input_width = 192;
  s.strides = {8, 16, 16, 16};
  return s;
}

}  // namespace detlite::ssd
