// Object Detection API ssd_anchor_generator. Float32 arithmetic in
// TensorFlow's order (tile_anchors, then the TFLite exporter's corner ->
// centre-size conversion) so anchors match exported models bit for bit or
// within an ulp.
#include <algorithm>
#include <cmath>
#include <string>

#include "passes/ssd/anchors.h"

namespace detlite::ssd {
namespace {

struct BoxSpec {
  double scale;
  float aspect_ratio;
};

std::vector<std::vector<BoxSpec>> LayerBoxSpecs(const SsdAnchorSpec& spec) {
  std::vector<double> scales;
  if (spec.scales.empty()) {
    for (int i = 0; i < spec.num_layers; ++i) {
      scales.push_back(spec.num_layers == 1
                           ? double(spec.min_scale)
                           : double(spec.min_scale) + (double(spec.max_scale) - spec.min_scale) *
                                                          i / (spec.num_layers - 1));
    }
  } else {
    for (float s : spec.scales) scales.push_back(s);
  }
  scales.push_back(1.0);
  std::vector<std::vector<BoxSpec>> layers(static_cast<size_t>(spec.num_layers));
  for (int layer = 0; layer < spec.num_layers; ++layer) {
    const double scale = scales[static_cast<size_t>(layer)];
    const double next = scales[static_cast<size_t>(layer) + 1];
    auto& out = layers[static_cast<size_t>(layer)];
    if (layer == 0 && spec.reduce_boxes_in_lowest_layer) {
      out = {{0.1, 1.0f}, {scale, 2.0f}, {scale, 0.5f}};
      continue;
    }
    for (float ar : spec.aspect_ratios) out.push_back({scale, ar});
    if (spec.interpolated_scale_aspect_ratio > 0.0f) {
      out.push_back({std::sqrt(scale * next), spec.interpolated_scale_aspect_ratio});
    }
  }
  return layers;
}

Status CheckSpec(const SsdAnchorSpec& spec) {
  if (spec.num_layers < 1 || spec.num_layers > 32) {
    return InvalidArgument("ssd anchors: num_layers must be 1..32, got " +
                           std::to_string(spec.num_layers));
  }
  if (!spec.scales.empty() && static_cast<int>(spec.scales.size()) != spec.num_layers) {
    return InvalidArgument("ssd anchors: " + std::to_string(spec.scales.size()) +
                           " scales given for " + std::to_string(spec.num_layers) + " layers");
  }
  for (float ar : spec.aspect_ratios) {
    if (!(ar > 0.0f) || !std::isfinite(ar)) {
      return InvalidArgument("ssd anchors: aspect ratios must be positive");
    }
  }
  const size_t n = static_cast<size_t>(spec.num_layers);
  for (const auto* v : {&spec.height_stride, &spec.width_stride, &spec.height_offset,
                        &spec.width_offset}) {
    if (!v->empty() && v->size() != n) {
      return InvalidArgument("ssd anchors: strides and offsets need one value per layer");
    }
  }
  if (spec.height_stride.size() != spec.width_stride.size() ||
      spec.height_offset.size() != spec.width_offset.size()) {
    return InvalidArgument("ssd anchors: height and width strides/offsets must come in pairs");
  }
  return Status::Ok();
}

}  // namespace

int CeilHalvings(int size, int halvings) {
  for (int i = 0; i < halvings; ++i) size = (size + 1) / 2;
  return size;
}

std::vector<int> SsdAnchorsPerLocation(const SsdAnchorSpec& spec) {
  std::vector<int> out;
  for (const auto& layer : LayerBoxSpecs(spec)) out.push_back(static_cast<int>(layer.size()));
  return out;
}

StatusOr<std::vector<FeatureMapSize>> InferSsdFeatureMaps(const SsdAnchorSpec& spec,
                                                          int image_height, int image_width,
                                                          int64_t num_boxes) {
  RETURN_IF_ERROR(CheckSpec(spec));
  if (image_height < 1 || image_width < 1) {
    return InvalidArgument("ssd anchors: the model input has no fixed height and width");
  }
  const std::vector<int> per_location = SsdAnchorsPerLocation(spec);
  std::string tried;
  for (int first : {4, 3, 5}) {  // first layer at stride 16, else 8 or 32
    std::vector<FeatureMapSize> maps;
    int64_t total = 0;
    for (int layer = 0; layer < spec.num_layers; ++layer) {
      FeatureMapSize m{CeilHalvings(image_height, first + layer),
                       CeilHalvings(image_width, first + layer)};
      total += int64_t{m.height} * m.width * per_location[static_cast<size_t>(layer)];
      maps.push_back(m);
    }
    if (total == num_boxes) return maps;
    if (!tried.empty()) tried += ", ";
    tried += std::to_string(total) + " (first layer " + std::to_string(maps[0].height) + "x" +
             std::to_string(maps[0].width) + ")";
  }
  return InvalidArgument("ssd anchors: " + std::to_string(spec.num_layers) +
                         "-layer ssd_anchor_generator on a " + std::to_string(image_height) +
                         "x" + std::to_string(image_width) + " input gives " + tried +
                         " anchors, but the model's box tensor has " +
                         std::to_string(num_boxes) + " boxes");
}

StatusOr<std::vector<Anchor>> GenerateSsdAnchors(const SsdAnchorSpec& spec,
                                                 const std::vector<FeatureMapSize>& maps,
                                                 int image_height, int image_width) {
  RETURN_IF_ERROR(CheckSpec(spec));
  if (static_cast<int>(maps.size()) != spec.num_layers) {
    return InvalidArgument("ssd anchors: " + std::to_string(maps.size()) +
                           " feature maps for " + std::to_string(spec.num_layers) + " layers");
  }
  if (image_height < 1 || image_width < 1) {
    return InvalidArgument("ssd anchors: image size must be positive");
  }
  const float im_h = static_cast<float>(image_height), im_w = static_cast<float>(image_width);
  const float min_dim = std::min(im_h, im_w);
  const float base_h = min_dim / im_h * spec.base_anchor_height;
  const float base_w = min_dim / im_w * spec.base_anchor_width;
  const auto layers = LayerBoxSpecs(spec);
  std::vector<Anchor> anchors;
  for (size_t l = 0; l < maps.size(); ++l) {
    const FeatureMapSize& m = maps[l];
    if (m.height < 1 || m.width < 1 || m.height > 4096 || m.width > 4096) {
      return InvalidArgument("ssd anchors: feature map size out of range");
    }
    float stride_y = 1.0f / static_cast<float>(m.height);
    float stride_x = 1.0f / static_cast<float>(m.width);
    float offset_y = 0.5f * stride_y, offset_x = 0.5f * stride_x;
    if (!spec.height_stride.empty()) {
      stride_y = static_cast<float>(spec.height_stride[l]) / im_h;
      stride_x = static_cast<float>(spec.width_stride[l]) / im_w;
      offset_y = 0.5f * stride_y;
      offset_x = 0.5f * stride_x;
    }
    if (!spec.height_offset.empty()) {
      offset_y = static_cast<float>(spec.height_offset[l]) / im_h;
      offset_x = static_cast<float>(spec.width_offset[l]) / im_w;
    }
    std::vector<float> heights, widths;
    for (const BoxSpec& b : layers[l]) {
      const float scale = static_cast<float>(b.scale);
      const float ratio_sqrt = std::sqrt(b.aspect_ratio);
      heights.push_back(scale / ratio_sqrt * base_h);
      widths.push_back(scale * ratio_sqrt * base_w);
    }
    for (int y = 0; y < m.height; ++y) {
      const float yc = static_cast<float>(y) * stride_y + offset_y;
      for (int x = 0; x < m.width; ++x) {
        const float xc = static_cast<float>(x) * stride_x + offset_x;
        for (size_t a = 0; a < heights.size(); ++a) {
          const float ymin = yc - 0.5f * heights[a], ymax = yc + 0.5f * heights[a];
          const float xmin = xc - 0.5f * widths[a], xmax = xc + 0.5f * widths[a];
          const float h = ymax - ymin, w = xmax - xmin;
          anchors.push_back({ymin + h / 2.0f, xmin + w / 2.0f, h, w});
        }
      }
    }
  }
  return anchors;
}

}  // namespace detlite::ssd
