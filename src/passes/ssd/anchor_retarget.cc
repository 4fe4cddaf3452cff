#include "passes/ssd/anchor_retarget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace detlite::ssd {
namespace {

// One layer's scheme: per anchor type, centre offsets in cells and a size;
// one stride per axis (normalized).
struct LayerScheme {
  float stride_y = 0, stride_x = 0;
  std::vector<float> offset_y, offset_x, h, w;
};

Anchor Evaluate(const LayerScheme& s, size_t a, int y, int x) {
  return {(static_cast<float>(y) + s.offset_y[a]) * s.stride_y,
          (static_cast<float>(x) + s.offset_x[a]) * s.stride_x, s.h[a], s.w[a]};
}

float Median(std::vector<float> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

std::string Describe(const Anchor& a) {
  char buf[96];
  std::snprintf(buf, sizeof(buf), "(yc %.7g, xc %.7g, h %.7g, w %.7g)", a.y, a.x, a.h, a.w);
  return buf;
}

size_t Index(size_t base, const AnchorLayer& l, int y, int x, int a) {
  return base + (static_cast<size_t>(y) * static_cast<size_t>(l.grid.width) +
                 static_cast<size_t>(x)) * static_cast<size_t>(l.per_cell) + static_cast<size_t>(a);
}

// Strides are the median step between cells (an axis of one cell: offset
// 0.5, as every generator); offsets and sizes the medians over the cells.
LayerScheme ReadLayer(const std::vector<Anchor>& anchors, size_t base, const AnchorLayer& l) {
  LayerScheme s;
  std::vector<float> sy, sx;
  for (int a = 0; a < l.per_cell; ++a) {
    for (int y = 0; y < l.grid.height; ++y) {
      for (int x = 0; x < l.grid.width; ++x) {
        const Anchor& an = anchors[Index(base, l, y, x, a)];
        if (y > 0) sy.push_back((an.y - anchors[Index(base, l, 0, x, a)].y) / static_cast<float>(y));
        if (x > 0) sx.push_back((an.x - anchors[Index(base, l, y, 0, a)].x) / static_cast<float>(x));
      }
    }
  }
  const Anchor& first = anchors[base];
  s.stride_y = sy.empty() ? first.y / 0.5f : Median(sy);
  s.stride_x = sx.empty() ? first.x / 0.5f : Median(sx);
  for (int a = 0; a < l.per_cell; ++a) {
    std::vector<float> oy, ox, h, w;
    for (int y = 0; y < l.grid.height; ++y) {
      for (int x = 0; x < l.grid.width; ++x) {
        const Anchor& an = anchors[Index(base, l, y, x, a)];
        oy.push_back(an.y / s.stride_y - static_cast<float>(y));
        ox.push_back(an.x / s.stride_x - static_cast<float>(x));
        h.push_back(an.h);
        w.push_back(an.w);
      }
    }
    s.offset_y.push_back(Median(oy));
    s.offset_x.push_back(Median(ox));
    s.h.push_back(Median(h));
    s.w.push_back(Median(w));
  }
  return s;
}

bool Near(float a, float b, float tol) { return std::fabs(a - b) <= tol; }

// Pixel-relative: some stride is not 1/grid, or (two layers or more) every
// anchor type spans the same number of cells on every layer.
bool PixelRelative(const std::vector<LayerScheme>& s, const std::vector<AnchorLayer>& l,
                   float tol) {
  for (size_t k = 0; k < s.size(); ++k) {
    if (!Near(s[k].stride_y * static_cast<float>(l[k].grid.height), 1.0f, 1e-3f + tol) ||
        !Near(s[k].stride_x * static_cast<float>(l[k].grid.width), 1.0f, 1e-3f + tol)) {
      return true;
    }
  }
  if (s.size() < 2) return false;
  for (size_t k = 1; k < s.size(); ++k) {
    if (l[k].per_cell != l[0].per_cell) return false;
    const float g0 = static_cast<float>(l[0].grid.height), gk = static_cast<float>(l[k].grid.height);
    const float w0 = static_cast<float>(l[0].grid.width), wk = static_cast<float>(l[k].grid.width);
    for (size_t a = 0; a < s[k].h.size(); ++a) {
      if (!Near(s[k].h[a] * gk, s[0].h[a] * g0, 2 * tol * (g0 + gk) + 1e-4f) ||
          !Near(s[k].w[a] * wk, s[0].w[a] * w0, 2 * tol * (w0 + wk) + 1e-4f)) {
        return false;
      }
    }
  }
  return true;
}

// multiscale_anchor_generator centres cells (offset 0.5) only when the image
// is a multiple of the stride, else starts them at the corner (offset 0).
// Offsets that follow that rule at the old size follow it at the new one.
void FollowDivisibility(int from, int to, float stride, std::vector<float>* offsets) {
  const float px = stride * static_cast<float>(from);
  const int stride_px = static_cast<int>(std::lround(px));
  if (stride_px < 1 || std::fabs(px - static_cast<float>(stride_px)) > 1e-2f) return;
  const float was = from % stride_px == 0 ? 0.5f : 0.0f;
  for (float o : *offsets) {
    if (!Near(o, was, 1e-3f)) return;
  }
  for (float& o : *offsets) o = to % stride_px == 0 ? 0.5f : 0.0f;
}

}  // namespace

StatusOr<std::vector<Anchor>> RetargetAnchors(const std::vector<Anchor>& anchors,
                                              const RetargetRequest& r, std::string* scheme) {
  if (r.from.size() != r.to.size()) {
    return InvalidArgument("anchor layers: " + std::to_string(r.from.size()) + " before, " +
                           std::to_string(r.to.size()) + " after");
  }
  size_t total = 0;
  for (const AnchorLayer& l : r.from) {
    if (l.grid.height < 1 || l.grid.width < 1 || l.per_cell < 1) {
      return InvalidArgument("anchor layer with an empty grid");
    }
    total += static_cast<size_t>(l.grid.height) * static_cast<size_t>(l.grid.width) *
             static_cast<size_t>(l.per_cell);
  }
  if (total != anchors.size()) {
    return InvalidArgument("the feature maps give " + std::to_string(total) +
                           " anchors, the anchor tensor holds " + std::to_string(anchors.size()));
  }
  const float tol = r.tolerance;
  std::vector<LayerScheme> schemes;
  size_t base = 0;
  for (size_t k = 0; k < r.from.size(); ++k) {
    const AnchorLayer& l = r.from[k];
    schemes.push_back(ReadLayer(anchors, base, l));
    for (int y = 0; y < l.grid.height; ++y) {
      for (int x = 0; x < l.grid.width; ++x) {
        for (int a = 0; a < l.per_cell; ++a) {
          const size_t i = Index(base, l, y, x, a);
          const Anchor want = Evaluate(schemes.back(), static_cast<size_t>(a), y, x);
          const Anchor& got = anchors[i];
          if (!Near(want.y, got.y, tol) || !Near(want.x, got.x, tol) ||
              !Near(want.h, got.h, tol) || !Near(want.w, got.w, tol)) {
            return InvalidArgument(
                "anchor " + std::to_string(i) + " (feature map " + std::to_string(k) + ", " +
                std::to_string(l.grid.height) + "x" + std::to_string(l.grid.width) + "x" +
                std::to_string(l.per_cell) + ", cell " + std::to_string(y) + "," +
                std::to_string(x) + ", type " + std::to_string(a) + ") is " + Describe(got) +
                " but a grid of centres (cell + offset) x stride with one size per type "
                "gives " + Describe(want) +
                ": the anchors follow no scheme detlite can move to another input size");
          }
        }
      }
    }
    base += static_cast<size_t>(l.grid.height) * static_cast<size_t>(l.grid.width) *
            static_cast<size_t>(l.per_cell);
  }
  const bool pixels = PixelRelative(schemes, r.from, tol);
  if (pixels && (r.image_from.height < 1 || r.image_to.height < 1)) {
    return InvalidArgument("pixel-relative anchors need the input sizes");
  }
  if (scheme != nullptr) {
    *scheme = pixels ? "strides and sizes kept in input pixels (multiscale / FPN)"
                     : "centres on each feature map's grid, sizes relative to the image "
                       "(ssd_anchor_generator / MediaPipe)";
  }
  const float ky = pixels ? static_cast<float>(r.image_from.height) /
                                static_cast<float>(r.image_to.height) : 1.0f;
  const float kx = pixels ? static_cast<float>(r.image_from.width) /
                                static_cast<float>(r.image_to.width) : 1.0f;
  std::vector<Anchor> out;
  for (size_t k = 0; k < r.to.size(); ++k) {
    LayerScheme s = schemes[k];
    const FeatureMapSize g = r.to[k];
    if (g.height < 1 || g.width < 1) return InvalidArgument("empty feature map at the new size");
    if (pixels) {
      FollowDivisibility(r.image_from.height, r.image_to.height, s.stride_y, &s.offset_y);
      FollowDivisibility(r.image_from.width, r.image_to.width, s.stride_x, &s.offset_x);
      s.stride_y *= ky;
      s.stride_x *= kx;
      for (float& v : s.h) v *= ky;
      for (float& v : s.w) v *= kx;
    } else {
      s.stride_y = 1.0f / static_cast<float>(g.height);
      s.stride_x = 1.0f / static_cast<float>(g.width);
    }
    for (int y = 0; y < g.height; ++y) {
      for (int x = 0; x < g.width; ++x) {
        for (size_t a = 0; a < s.h.size(); ++a) out.push_back(Evaluate(s, a, y, x));
      }
    }
  }
  return out;
}

}  // namespace detlite::ssd
