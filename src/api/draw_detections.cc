// ClassNamer and DrawDetections: the picture `detlite detect` writes.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/appended_zip.h"
#include "data/datasets/label_map.h"
#include "data/draw.h"
#include "detlite/detection.h"
#include "ir/graph.h"

namespace detlite {

std::function<std::string(int)> ClassNamer(const LabelMap& labels, int num_classes) {
  int offset = labels.from_pbtxt ? 1 : 0;
  if (labels.format == LabelFormat::kLines && !labels.names.empty() && num_classes > 0 &&
      static_cast<int>(labels.names.size()) == num_classes + 1) {
    offset = 1;
  }
  return [names = labels.names, offset](int c) {
    auto it = names.find(c + offset);
    if (it != names.end() && !it->second.empty()) return it->second;
    return "class " + std::to_string(c);
  };
}

LabelMap EmbeddedLabels(const Model& model, std::string* file_name) {
  const auto files = zip::StoredFiles(model.ir().associated_files, 0);
  for (const auto& [name, bytes] : files) {
    const size_t dot = name.find_last_of('.');
    const std::string ext = dot == std::string::npos ? "" : name.substr(dot);
    if (ext != ".txt" && ext != ".pbtxt" && ext != ".json" && ext != ".yaml" && ext != ".yml") {
      continue;
    }
    auto parsed = datasets::ParseLabelMap(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), name);
    if (!parsed.ok()) continue;
    if (file_name) *file_name = name;
    return *std::move(parsed);
  }
  return LabelMap{};
}

RgbImage DrawDetections(const RgbImage& image, const std::vector<Detection>& detections,
                        const std::function<std::string(int)>& class_name) {
  Image img;
  img.width = image.width;
  img.height = image.height;
  img.channels = 3;
  img.pixels = image.pixels;
  const int shorter = std::min(img.width, img.height);
  const int thickness = std::max(2, shorter / 200);
  const int scale = std::max(1, shorter / 300);
  // Lowest scores first so the strongest boxes end up on top.
  std::vector<Detection> order = detections;
  std::stable_sort(order.begin(), order.end(),
                   [](const Detection& a, const Detection& b) { return a.score < b.score; });
  for (const Detection& d : order) {
    Rgb color = ClassColor(d.class_index);
    float x0 = d.xmin * img.width, x1 = d.xmax * img.width;
    float y0 = d.ymin * img.height, y1 = d.ymax * img.height;
    DrawBox(&img, x0, y0, x1, y1, color, thickness);
    char score[16];
    std::snprintf(score, sizeof(score), " %.2f", d.score);
    // The name is cut so that the score always fits in the drawn label.
    std::string text =
        DrawableText(class_name ? class_name(d.class_index) : std::to_string(d.class_index),
                     kMaxDrawnLabelChars - 8) +
        score;
    auto size = TextSize(text, scale);
    int lx = static_cast<int>(std::lround(std::clamp(x0, 0.0f, static_cast<float>(img.width - 1))));
    int ly = static_cast<int>(std::lround(y0)) - size[1] - 2 * scale;
    if (ly < 0) ly = static_cast<int>(std::lround(std::max(y0, 0.0f)));  // inside the box
    bool dark = color[0] * 3 + color[1] * 6 + color[2] < 1280;
    DrawLabel(&img, lx, ly, text, dark ? Rgb{255, 255, 255} : Rgb{0, 0, 0}, color, scale);
  }
  RgbImage out;
  out.width = img.width;
  out.height = img.height;
  out.pixels = std::move(img.pixels);
  return out;
}

}  // namespace detlite
