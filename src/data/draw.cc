#include "data/draw.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <stb/stb_easy_font.h>

namespace detlite {
namespace {

void SetPixel(Image* image, int x, int y, Rgb c) {
  if (x < 0 || y < 0 || x >= image->width || y >= image->height) return;
  size_t i = image->Index(x, y, 0);
  for (int k = 0; k < 3 && k < image->channels; ++k) image->pixels[i + k] = c[k];
}

// stb_easy_font emits axis-aligned quads, 4 vertices of 16 bytes each
// (x, y, z as floats, then a 4-byte colour).
// `safe` is DrawableText output, so at most kMaxDrawnLabelChars characters.
std::vector<std::array<float, 4>> TextQuads(std::string safe) {
  std::vector<char> buf(safe.size() * 1200 + 1024);
  int quads = stb_easy_font_print(0, 0, safe.data(), nullptr, buf.data(),
                                  static_cast<int>(buf.size()));
  std::vector<std::array<float, 4>> out;
  for (int q = 0; q < quads; ++q) {
    const float* v = reinterpret_cast<const float*>(buf.data() + q * 64);
    // Vertices 0 and 2 are opposite corners (v + 0 and v + 8 floats).
    out.push_back({v[0], v[1], v[8], v[9]});
  }
  return out;
}

}  // namespace

std::string DrawableText(const std::string& text, size_t max_chars) {
  max_chars = std::clamp<size_t>(max_chars, 4, kMaxDrawnLabelChars);
  std::string safe;
  const bool cut = text.size() > max_chars;
  const size_t keep = cut ? max_chars - 3 : text.size();
  safe.reserve(kMaxDrawnLabelChars);
  for (size_t i = 0; i < keep; ++i) {
    const char ch = text[i];
    safe += (ch >= 32 && ch < 127) ? ch : '?';
  }
  if (cut) safe += "...";
  return safe;
}

Rgb ClassColor(int k) {
  static constexpr Rgb kPalette[] = {
      {230, 25, 75},  {60, 180, 75},  {255, 225, 25}, {0, 130, 200},  {245, 130, 48},
      {145, 30, 180}, {70, 240, 240}, {240, 50, 230}, {210, 245, 60}, {250, 190, 212},
      {0, 128, 128},  {220, 190, 255}, {170, 110, 40}, {255, 250, 200}, {128, 0, 0},
      {170, 255, 195}, {128, 128, 0}, {255, 215, 180}, {0, 0, 128},   {128, 128, 128}};
  constexpr int n = static_cast<int>(sizeof(kPalette) / sizeof(kPalette[0]));
  return kPalette[((k % n) + n) % n];
}

void FillRect(Image* image, int x0, int y0, int x1, int y1, Rgb color) {
  x0 = std::max(x0, 0);
  y0 = std::max(y0, 0);
  x1 = std::min(x1, image->width);
  y1 = std::min(y1, image->height);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) SetPixel(image, x, y, color);
  }
}

void DrawBox(Image* image, float x0, float y0, float x1, float y1, Rgb color, int thickness) {
  if (!(x1 >= x0) || !(y1 >= y0)) return;  // also rejects NaN
  auto clampi = [](float v, int hi) {
    return static_cast<int>(std::lround(std::clamp(v, 0.0f, static_cast<float>(hi))));
  };
  int l = clampi(x0, image->width - 1), r = clampi(x1, image->width - 1);
  int t = clampi(y0, image->height - 1), b = clampi(y1, image->height - 1);
  int th = std::max(1, thickness);
  FillRect(image, l, t, r + 1, std::min(t + th, b + 1), color);
  FillRect(image, l, std::max(b + 1 - th, t), r + 1, b + 1, color);
  FillRect(image, l, t, std::min(l + th, r + 1), b + 1, color);
  FillRect(image, std::max(r + 1 - th, l), t, r + 1, b + 1, color);
}

std::array<int, 2> TextSize(const std::string& text, int scale) {
  std::string copy = DrawableText(text);
  int w = stb_easy_font_width(copy.data());
  int h = stb_easy_font_height(copy.data());
  return {w * scale, h * scale};
}

void DrawLabel(Image* image, int x, int y, const std::string& text, Rgb fg, Rgb bg, int scale) {
  scale = std::max(1, scale);
  auto [w, h] = TextSize(text, scale);
  const int pad = scale;
  FillRect(image, x, y, x + w + 2 * pad, y + h + 2 * pad, bg);
  for (const auto& q : TextQuads(DrawableText(text))) {
    int qx0 = x + pad + static_cast<int>(q[0] * scale), qy0 = y + pad + static_cast<int>(q[1] * scale);
    int qx1 = x + pad + static_cast<int>(q[2] * scale), qy1 = y + pad + static_cast<int>(q[3] * scale);
    FillRect(image, qx0, qy0, qx1, qy1, fg);
  }
}

}  // namespace detlite
