// Drawing detections onto an RGB image: box outlines and text labels on a
// filled background. Text comes from stb_easy_font (Debian's libstb-dev), a
// built-in vector font, so no font file has to be found at run time.
#ifndef DETLITE_DATA_DRAW_H_
#define DETLITE_DATA_DRAW_H_

#include <array>
#include <cstdint>
#include <string>

#include "data/image.h"

namespace detlite {

using Rgb = std::array<uint8_t, 3>;

// A distinct, saturated colour for class `k` (stable across runs).
Rgb ClassColor(int k);

// Outline of the box [x0, x1] x [y0, y1] (pixels, clipped to the image),
// `thickness` pixels wide, drawn inward from the box edge.
void DrawBox(Image* image, float x0, float y0, float x1, float y1, Rgb color, int thickness);

// Fills [x0, x1) x [y0, y1) (clipped).
void FillRect(Image* image, int x0, int y0, int x1, int y1, Rgb color);

// Labels longer than this are drawn as their first kMaxDrawnLabelChars - 3
// characters and "...": drawing costs memory per character, and a label file
// can hold a line of any length.
inline constexpr size_t kMaxDrawnLabelChars = 64;

// `text` as drawn: printable ASCII (others become '?'), cut to `max_chars`
// (at least 4, at most kMaxDrawnLabelChars) with a trailing "...".
std::string DrawableText(const std::string& text, size_t max_chars = kMaxDrawnLabelChars);

// Size in pixels of DrawableText(text) drawn at `scale` (1 = 9 pixel tall glyph cells).
std::array<int, 2> TextSize(const std::string& text, int scale);

// DrawableText(text) with its top-left corner at (x, y), on a filled
// background box, clipped to the image.
void DrawLabel(Image* image, int x, int y, const std::string& text, Rgb fg, Rgb bg, int scale);

}  // namespace detlite

#endif  // DETLITE_DATA_DRAW_H_
