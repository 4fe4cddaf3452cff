#include "train/augment.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace detlite::train {
namespace {

// Uniform in [lo, hi) from the generator's next 64 bits: std's
// distributions are not specified bit for bit across libraries.
double Uniform(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * (static_cast<double>(rng() >> 11) * 0x1.0p-53);
}

}  // namespace

void FlipHorizontally(RgbImage* image, std::vector<GroundTruthBox>* boxes) {
  const size_t w = static_cast<size_t>(image->width);
  for (int y = 0; y < image->height && w > 1; ++y) {
    uint8_t* row = image->pixels.data() + static_cast<size_t>(y) * w * 3;
    for (size_t a = 0, b = w - 1; a < b; ++a, --b) {
      for (size_t c = 0; c < 3; ++c) std::swap(row[3 * a + c], row[3 * b + c]);
    }
  }
  for (GroundTruthBox& g : *boxes) {
    const float xmin = 1.0f - g.xmax;
    g.xmax = 1.0f - g.xmin;
    g.xmin = xmin;
  }
}

namespace {

// The boxes of a W x H photo that survive the pixel window, normalized to it.
std::vector<GroundTruthBox> CropBoxes(int x0, int y0, int w, int h, int width, int height,
                                      const std::vector<GroundTruthBox>& boxes) {
  const float W = static_cast<float>(width), H = static_cast<float>(height);
  auto to = [](float v, float size, int origin, int extent) {
    return std::clamp((v * size - static_cast<float>(origin)) / static_cast<float>(extent), 0.0f, 1.0f);
  };
  std::vector<GroundTruthBox> kept;
  for (GroundTruthBox g : boxes) {
    const float cx = 0.5f * (g.xmin + g.xmax) * W, cy = 0.5f * (g.ymin + g.ymax) * H;
    if (cx < static_cast<float>(x0) || cx >= static_cast<float>(x0 + w) ||
        cy < static_cast<float>(y0) || cy >= static_cast<float>(y0 + h)) {
      continue;
    }
    g.xmin = to(g.xmin, W, x0, w);
    g.xmax = to(g.xmax, W, x0, w);
    g.ymin = to(g.ymin, H, y0, h);
    g.ymax = to(g.ymax, H, y0, h);
    if (g.xmax > g.xmin && g.ymax > g.ymin) kept.push_back(g);
  }
  return kept;
}

}  // namespace

void Crop(int x0, int y0, int w, int h, RgbImage* image, std::vector<GroundTruthBox>* boxes) {
  *boxes = CropBoxes(x0, y0, w, h, image->width, image->height, *boxes);
  std::vector<uint8_t> out(static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  for (int y = 0; y < h; ++y) {
    std::memcpy(out.data() + static_cast<size_t>(y) * static_cast<size_t>(w) * 3,
                image->pixels.data() + (static_cast<size_t>(y0 + y) * static_cast<size_t>(image->width) +
                                        static_cast<size_t>(x0)) * 3,
                static_cast<size_t>(w) * 3);
  }
  image->pixels = std::move(out);
  image->width = w;
  image->height = h;
}

void Augment(const AugmentOptions& o, uint64_t seed, RgbImage* image,
             std::vector<GroundTruthBox>* boxes) {
  std::mt19937_64 rng(seed);
  if (o.crop && Uniform(rng, 0, 1) >= o.keep_probability) {
    const double W = image->width, H = image->height;
    for (int attempt = 0; attempt < o.attempts; ++attempt) {
      const double area = Uniform(rng, o.min_area, 1.0) * W * H;
      const double aspect = std::exp(Uniform(rng, std::log(o.min_aspect), std::log(o.max_aspect)));
      const double ux = Uniform(rng, 0, 1), uy = Uniform(rng, 0, 1);
      const int w = static_cast<int>(std::lround(std::sqrt(area * aspect)));
      const int h = static_cast<int>(std::lround(std::sqrt(area / aspect)));
      if (w < 1 || h < 1 || w > image->width || h > image->height) continue;
      const int x0 = static_cast<int>(ux * (image->width - w + 1));
      const int y0 = static_cast<int>(uy * (image->height - h + 1));
      if (!boxes->empty() && CropBoxes(x0, y0, w, h, image->width, image->height, *boxes).empty()) continue;
      Crop(x0, y0, w, h, image, boxes);
      break;
    }
  }
  if (o.flip && Uniform(rng, 0, 1) < 0.5) FlipHorizontally(image, boxes);
  if (o.color) {
    const double b = Uniform(rng, -o.max_brightness, o.max_brightness);
    const double c = Uniform(rng, 1 - o.max_scale, 1 + o.max_scale);
    const double s = Uniform(rng, 1 - o.max_scale, 1 + o.max_scale);
    AdjustColor(static_cast<float>(b), static_cast<float>(c), static_cast<float>(s), image);
  }
}

void AdjustColor(float brightness, float contrast, float saturation, RgbImage* image) {
  std::vector<uint8_t>& p = image->pixels;
  const size_t n = p.size() / 3;
  if (n == 0) return;
  auto gray = [&](size_t i) { return 0.299f * p[3 * i] + 0.587f * p[3 * i + 1] + 0.114f * p[3 * i + 2]; };
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += gray(i);
  const float mean = static_cast<float>(sum / static_cast<double>(n));
  const float shift = brightness * 255.0f;
  for (size_t i = 0; i < n; ++i) {
    const float g = gray(i);
    for (size_t c = 0; c < 3; ++c) {
      float v = g + (p[3 * i + c] - g) * saturation;  // saturation about gray
      v = mean + (v - mean) * contrast + shift;        // contrast about the mean
      p[3 * i + c] = static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  }
}

}  // namespace detlite::train
