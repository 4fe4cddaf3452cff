#include "passes/ssd/anchor_retarget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace detlite::ssd {
namespace {

// One layer's scheme: per anchor type, centre offsets in cells and a size.
struct LayerScheme {
  std::vector<float> offset_y, offset_x;
  std::vector<Anchor> size;  // h, w used
};

Anchor Evaluate(const LayerScheme& s, int a, int y, int x, FeatureMapSize grid) {
  const size_t i = static_cast<size_t>(a);
  Anchor r;
  r.y = (static_cast<float>(y) + s.offset_y[i]) / static_cast<float>(grid.height);
  r.x = (static_cast<float>(x) + s.offset_x[i]) / static_cast<float>(grid.width);
  r.h = s.size[i].h;
  r.w = s.size[i].w;
  return r;
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

}  // namespace

StatusOr<std::vector<Anchor>> RetargetAnchors(const std::vector<Anchor>& anchors,
                                              const std::vector<AnchorLayer>& from,
                                              const std::vector<FeatureMapSize>& to,
                                              float tolerance) {
  if (from.size() != to.size()) {
    return InvalidArgument("anchor layers: " + std::to_string(from.size()) + " before, " +
                           std::to_string(to.size()) + " after");
  }
  size_t total = 0;
  for (const AnchorLayer& l : from) {
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
  std::vector<Anchor> out;
  size_t base = 0;
  for (size_t l = 0; l < from.size(); ++l) {
    const AnchorLayer& layer = from[l];
    const int A = layer.per_cell;
    LayerScheme s;
    // Per type, the median over the cells: one stray anchor cannot move the
    // scheme (it is then the one named below), quantized anchors read well.
    for (int a = 0; a < A; ++a) {
      std::vector<float> oy, ox, h, w;
      for (int y = 0; y < layer.grid.height; ++y) {
        for (int x = 0; x < layer.grid.width; ++x) {
          const Anchor& an = anchors[base + (static_cast<size_t>(y) * layer.grid.width + x) * A + a];
          oy.push_back(an.y * static_cast<float>(layer.grid.height) - static_cast<float>(y));
          ox.push_back(an.x * static_cast<float>(layer.grid.width) - static_cast<float>(x));
          h.push_back(an.h);
          w.push_back(an.w);
        }
      }
      s.offset_y.push_back(Median(oy));
      s.offset_x.push_back(Median(ox));
      s.size.push_back({0, 0, Median(h), Median(w)});
    }
    // Every anchor of the layer must be what the scheme gives.
    for (int y = 0; y < layer.grid.height; ++y) {
      for (int x = 0; x < layer.grid.width; ++x) {
        for (int a = 0; a < A; ++a) {
          const size_t k =
              base + (static_cast<size_t>(y) * static_cast<size_t>(layer.grid.width) +
                      static_cast<size_t>(x)) * static_cast<size_t>(A) + static_cast<size_t>(a);
          const Anchor want = Evaluate(s, a, y, x, layer.grid);
          const Anchor& got = anchors[k];
          if (std::fabs(want.y - got.y) > tolerance ||
              std::fabs(want.x - got.x) > tolerance ||
              std::fabs(want.h - got.h) > tolerance ||
              std::fabs(want.w - got.w) > tolerance) {
            return InvalidArgument(
                "anchor " + std::to_string(k) + " (feature map " + std::to_string(l) + ", " +
                std::to_string(layer.grid.height) + "x" + std::to_string(layer.grid.width) +
                "x" + std::to_string(A) + ", cell " + std::to_string(y) + "," +
                std::to_string(x) + ", type " + std::to_string(a) + ") is " + Describe(got) +
                " but a grid of centres (cell + offset) / grid size with one size per type "
                "gives " + Describe(want) +
                ": the anchors follow no scheme detlite can move to another input size");
          }
        }
      }
    }
    const FeatureMapSize g = to[l];
    if (g.height < 1 || g.width < 1) return InvalidArgument("empty feature map at the new size");
    for (int y = 0; y < g.height; ++y) {
      for (int x = 0; x < g.width; ++x) {
        for (int a = 0; a < A; ++a) out.push_back(Evaluate(s, a, y, x, g));
      }
    }
    base += static_cast<size_t>(layer.grid.height) * static_cast<size_t>(layer.grid.width) *
            static_cast<size_t>(A);
  }
  return out;
}

}  // namespace detlite::ssd
