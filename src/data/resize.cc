#include "data/resize.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace detlite {
namespace {

uint8_t RoundToByte(double v) {
  return static_cast<uint8_t>(std::clamp(std::floor(v + 0.5), 0.0, 255.0));
}

// The source pixels [first, first + weights.size()) that make one output
// pixel along one axis, and their weights (summing to 1).
struct Taps {
  int first = 0;
  std::vector<double> weights;
};

// PIL's resampling coefficients for the triangle filter (support 1): when
// shrinking by `scale` > 1 the filter is stretched by `scale`, so each output
// pixel averages the whole source span it covers instead of sampling it.
std::vector<Taps> TriangleTaps(int in_size, int out_size) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = filter_scale;
  const double inv_filter_scale =
      1.0 / filter_scale;  // multiplied, as PIL does
  std::vector<Taps> taps(static_cast<size_t>(out_size));
  for (int i = 0; i < out_size; ++i) {
    const double center = (i + 0.5) * scale;
    const int lo = std::max(static_cast<int>(center - support + 0.5), 0);
    const int hi = std::min(static_cast<int>(center + support + 0.5), in_size);
    Taps& t = taps[static_cast<size_t>(i)];
    t.first = lo;
    double total = 0;
    for (int x = lo; x < hi; ++x) {
      const double w =
          std::max(0.0, 1.0 - std::fabs((x - center + 0.5) * inv_filter_scale));
      t.weights.push_back(w);
      total += w;
    }
    if (total != 0) {
      for (double& w : t.weights) w /= total;
    }
  }
  return taps;
}

// One separable pass. `horizontal` resamples along x, otherwise along y; the
// result is rounded to bytes, as PIL stores its intermediate image.
Image TrianglePass(const Image& src, int out_size, bool horizontal) {
  Image dst;
  dst.width = horizontal ? out_size : src.width;
  dst.height = horizontal ? src.height : out_size;
  dst.channels = src.channels;
  dst.pixels.resize(static_cast<size_t>(dst.width) * dst.height * dst.channels);
  const std::vector<Taps> taps =
      TriangleTaps(horizontal ? src.width : src.height, out_size);
  for (int y = 0; y < dst.height; ++y) {
    for (int x = 0; x < dst.width; ++x) {
      const Taps& t = taps[static_cast<size_t>(horizontal ? x : y)];
      for (int c = 0; c < dst.channels; ++c) {
        double sum = 0;
        for (size_t k = 0; k < t.weights.size(); ++k) {
          const int s = t.first + static_cast<int>(k);
          sum +=
              t.weights[k] * (horizontal ? src.at(s, y, c) : src.at(x, s, c));
        }
        dst.pixels[dst.Index(x, y, c)] = RoundToByte(sum);
      }
    }
  }
  return dst;
}

Image ResizeAntialias(const Image& src, int width, int height) {
  if (width == src.width && height == src.height) return src;
  if (width == src.width) {
    return TrianglePass(src, height, /*horizontal=*/false);
  }
  Image wide = TrianglePass(src, width, /*horizontal=*/true);
  if (height == src.height) return wide;
  return TrianglePass(wide, height, /*horizontal=*/false);
}

// tf.image.resize's sample position along one axis, in float as TF computes
// it: the lower and upper neighbour and the weight of the upper one.
struct Lerp {
  int lo, hi;
  float frac;
};

std::vector<Lerp> HalfPixelLerps(int in_size, int out_size) {
  const float scale =
      static_cast<float>(in_size) / static_cast<float>(out_size);
  std::vector<Lerp> out(static_cast<size_t>(out_size));
  for (int i = 0; i < out_size; ++i) {
    const float in = (static_cast<float>(i) + 0.5f) * scale - 0.5f;
    const float fl = std::floor(in);
    out[static_cast<size_t>(i)] = {
        std::max(static_cast<int>(fl), 0),
        std::min(static_cast<int>(std::ceil(in)), in_size - 1), in - fl};
  }
  return out;
}

Image ResizeTfBilinear(const Image& src, int width, int height) {
  Image dst{width, height, src.channels, {}};
  dst.pixels.resize(static_cast<size_t>(width) * height * src.channels);
  const std::vector<Lerp> xs = HalfPixelLerps(src.width, width);
  const std::vector<Lerp> ys = HalfPixelLerps(src.height, height);
  for (int y = 0; y < height; ++y) {
    const Lerp& ly = ys[static_cast<size_t>(y)];
    for (int x = 0; x < width; ++x) {
      const Lerp& lx = xs[static_cast<size_t>(x)];
      for (int c = 0; c < src.channels; ++c) {
        const float tl = src.at(lx.lo, ly.lo, c), tr = src.at(lx.hi, ly.lo, c);
        const float bl = src.at(lx.lo, ly.hi, c), br = src.at(lx.hi, ly.hi, c);
        const float top = tl + (tr - tl) * lx.frac;
        const float bottom = bl + (br - bl) * lx.frac;
        dst.pixels[dst.Index(x, y, c)] =
            RoundToByte(top + (bottom - top) * ly.frac);
      }
    }
  }
  return dst;
}

}  // namespace

Image ResizeBilinear(const Image& src, int width, int height,
                     ResizeMethod method) {
  if (!ValidateImage(src).ok() || width <= 0 || height <= 0 ||
      int64_t{width} * height > kMaxImagePixels) {
    return Image{};
  }
  return method == ResizeMethod::kAntialias
             ? ResizeAntialias(src, width, height)
             : ResizeTfBilinear(src, width, height);
}

}  // namespace detlite
