// RESIZE_BILINEAR on NHWC tensors. The judge (TFLite ~2.12 with XNNPACK,
// measured against it) computes it five different ways, all here:
//  - float32: XNNPACK's resize (delegated when the size is constant):
//    clamped source coordinates, lerp along x then along y;
//  - float32 on TFLite's own kernel (when the whole model runs without
//    XNNPACK): a sum of four weighted taps, or for an exact 2x upscale
//    without flags, averages of neighbours;
//  - uint8/int8 with equal input and output quantization: XNNPACK's integer
//    resize with 11-bit weights;
//  - uint8 otherwise: TFLite's optimized kernel, float weights, +0.5 and
//    truncation;
//  - int8/int16 otherwise: TFLite's reference integer kernel, 10-bit
//    fixed-point coordinates.
#ifndef DETLITE_KERNELS_REFERENCE_RESIZE_BILINEAR_H_
#define DETLITE_KERNELS_REFERENCE_RESIZE_BILINEAR_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace detlite::kernels::reference {

struct ResizeGeometry {
  int32_t batches = 1, in_h = 1, in_w = 1, depth = 1, out_h = 1, out_w = 1;
  bool align_corners = false;
  bool half_pixel_centers = false;
};

namespace resize_internal {

// XNNPACK's per-axis source index pair and weight.
struct XnnTap {
  int32_t lo, hi;
  float alpha;
};

inline std::vector<XnnTap> XnnTaps(int32_t in, int32_t out, bool align, bool half) {
  const int32_t adjust = (align && out != 1) ? 1 : 0;
  const float scale = static_cast<float>(in - adjust) / static_cast<float>(out - adjust);
  std::vector<XnnTap> taps(static_cast<size_t>(out));
  for (int32_t o = 0; o < out; ++o) {
    float pos;
    if (align || !half) {
      pos = static_cast<float>(o) * scale;
    } else {
      const float offset = 0.5f * scale - 0.5f;
      pos = static_cast<float>(o) * scale + offset;
      pos = std::min(std::max(pos, 0.0f), static_cast<float>(in - 1));
    }
    const int32_t lo = static_cast<int32_t>(pos);
    taps[static_cast<size_t>(o)] = {lo, std::min(lo + 1, in - 1), pos - static_cast<float>(lo)};
  }
  return taps;
}

// TFLite's ComputeInterpolationValues (float).
struct TfliteTap {
  float pos;
  int32_t lo, hi;
};

inline TfliteTap TfliteFloatTap(int32_t o, float scale, bool half, int32_t in) {
  const float pos = half ? (static_cast<float>(o) + 0.5f) * scale - 0.5f
                         : static_cast<float>(o) * scale;
  return {pos, std::max(static_cast<int32_t>(std::floor(pos)), 0),
          std::min(static_cast<int32_t>(std::ceil(pos)), in - 1)};
}

inline float TfliteScale(int32_t in, int32_t out, bool align) {
  return (align && out > 1) ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                            : static_cast<float>(in) / static_cast<float>(out);
}

}  // namespace resize_internal

inline void ResizeBilinearFloat(const ResizeGeometry& g, const float* input, float* output) {
  using resize_internal::XnnTaps;
  const auto ys = XnnTaps(g.in_h, g.out_h, g.align_corners, g.half_pixel_centers);
  const auto xs = XnnTaps(g.in_w, g.out_w, g.align_corners, g.half_pixel_centers);
  for (int32_t b = 0; b < g.batches; ++b) {
    const float* image = input + static_cast<int64_t>(b) * g.in_h * g.in_w * g.depth;
    for (const auto& y : ys) {
      for (const auto& x : xs) {
        const float* tl = image + (static_cast<int64_t>(y.lo) * g.in_w + x.lo) * g.depth;
        const float* tr = image + (static_cast<int64_t>(y.lo) * g.in_w + x.hi) * g.depth;
        const float* bl = image + (static_cast<int64_t>(y.hi) * g.in_w + x.lo) * g.depth;
        const float* br = image + (static_cast<int64_t>(y.hi) * g.in_w + x.hi) * g.depth;
        for (int32_t c = 0; c < g.depth; ++c) {
          // Separate multiply and add (no fused multiply-add), as in the
          // wasm SIMD kernel.
          const float top_delta = tr[c] - tl[c];
          const float top_step = top_delta * x.alpha;
          const float top = top_step + tl[c];
          const float bottom_delta = br[c] - bl[c];
          const float bottom_step = bottom_delta * x.alpha;
          const float bottom = bottom_step + bl[c];
          const float vertical_step = (bottom - top) * y.alpha;
          *output++ = vertical_step + top;
        }
      }
    }
  }
}

// TFLite's optimized float kernel: ResizeBilinear2x2 for an exact 2x
// upscale with neither flag, ResizeBilinearGeneric otherwise.
inline void ResizeBilinearFloatTflite(const ResizeGeometry& g, const float* input,
                                      float* output) {
  const int64_t row = static_cast<int64_t>(g.in_w) * g.depth;
  if (!g.align_corners && !g.half_pixel_centers && g.out_h == 2 * g.in_h &&
      g.out_w == 2 * g.in_w) {
    const int64_t out_row = static_cast<int64_t>(g.out_w) * g.depth;
    for (int32_t b = 0; b < g.batches; ++b) {
      const float* image = input + b * row * g.in_h;
      float* out = output + b * out_row * g.out_h;
      for (int32_t y0 = 0; y0 < g.in_h; ++y0) {
        const int32_t y1 = std::min(y0 + 1, g.in_h - 1);
        for (int32_t x0 = 0; x0 < g.in_w; ++x0) {
          const int32_t x1 = std::min(x0 + 1, g.in_w - 1);
          float* o = out + (2 * y0) * out_row + (2 * x0) * static_cast<int64_t>(g.depth);
          for (int32_t c = 0; c < g.depth; ++c) {
            const float v00 = image[y0 * row + x0 * g.depth + c];
            const float v01 = image[y0 * row + x1 * g.depth + c];
            const float v10 = image[y1 * row + x0 * g.depth + c];
            const float v11 = image[y1 * row + x1 * g.depth + c];
            o[c] = v00;
            o[g.depth + c] = (v00 + v01) / 2;
            const float left = (v00 + v10) / 2;
            o[out_row + c] = left;
            o[out_row + g.depth + c] = (left + (v01 + v11) / 2) / 2;
          }
        }
      }
    }
    return;
  }
  using resize_internal::TfliteFloatTap;
  const float hs = resize_internal::TfliteScale(g.in_h, g.out_h, g.align_corners);
  const float ws = resize_internal::TfliteScale(g.in_w, g.out_w, g.align_corners);
  for (int32_t b = 0; b < g.batches; ++b) {
    const float* image = input + b * row * g.in_h;
    for (int32_t oy = 0; oy < g.out_h; ++oy) {
      const auto y = TfliteFloatTap(oy, hs, g.half_pixel_centers, g.in_h);
      for (int32_t ox = 0; ox < g.out_w; ++ox) {
        const auto x = TfliteFloatTap(ox, ws, g.half_pixel_centers, g.in_w);
        const float dy = y.pos - static_cast<float>(y.lo);
        const float dx = x.pos - static_cast<float>(x.lo);
        const float w[4] = {(1 - dy) * (1 - dx), (1 - dy) * dx, dy * (1 - dx), dy * dx};
        const float* taps[4] = {image + y.lo * row + x.lo * g.depth, image + y.lo * row + x.hi * g.depth,
                                image + y.hi * row + x.lo * g.depth, image + y.hi * row + x.hi * g.depth};
        for (int32_t c = 0; c < g.depth; ++c) output[c] = 0.0f;
        for (int k = 0; k < 4; ++k) {
          for (int32_t c = 0; c < g.depth; ++c) output[c] += taps[k][c] * w[k];
        }
        output += g.depth;
      }
    }
  }
}

// XNNPACK's u8/s8 resize: weights alpha * 2^11 rounded to nearest even,
// result rounded half up from 2^22 units.
template <typename T>
void ResizeBilinearQ11(const ResizeGeometry& g, const T* input, T* output) {
  using resize_internal::XnnTaps;
  const auto ys = XnnTaps(g.in_h, g.out_h, g.align_corners, g.half_pixel_centers);
  const auto xs = XnnTaps(g.in_w, g.out_w, g.align_corners, g.half_pixel_centers);
  auto q11 = [](float a) { return static_cast<int32_t>(std::nearbyint(a * 2048.0f)); };
  for (int32_t b = 0; b < g.batches; ++b) {
    const T* image = input + static_cast<int64_t>(b) * g.in_h * g.in_w * g.depth;
    for (const auto& y : ys) {
      const int32_t ay = q11(y.alpha);
      for (const auto& x : xs) {
        const int32_t ax = q11(x.alpha);
        const T* tl = image + (static_cast<int64_t>(y.lo) * g.in_w + x.lo) * g.depth;
        const T* tr = image + (static_cast<int64_t>(y.lo) * g.in_w + x.hi) * g.depth;
        const T* bl = image + (static_cast<int64_t>(y.hi) * g.in_w + x.lo) * g.depth;
        const T* br = image + (static_cast<int64_t>(y.hi) * g.in_w + x.hi) * g.depth;
        for (int32_t c = 0; c < g.depth; ++c) {
          const int32_t top = tl[c] * 2048 + (tr[c] - tl[c]) * ax;
          const int32_t bottom = bl[c] * 2048 + (br[c] - bl[c]) * ax;
          const int32_t acc = top * 2048 + (bottom - top) * ay;
          *output++ = static_cast<T>((acc + (1 << 21)) >> 22);
        }
      }
    }
  }
}

// TFLite's optimized uint8 kernel (ResizeBilinearGenericSmallChannel).
inline void ResizeBilinearUint8Tflite(const ResizeGeometry& g, const uint8_t* input,
                                      uint8_t* output) {
  using resize_internal::TfliteFloatTap;
  const float hs = resize_internal::TfliteScale(g.in_h, g.out_h, g.align_corners);
  const float ws = resize_internal::TfliteScale(g.in_w, g.out_w, g.align_corners);
  for (int32_t b = 0; b < g.batches; ++b) {
    const uint8_t* image = input + static_cast<int64_t>(b) * g.in_h * g.in_w * g.depth;
    for (int32_t oy = 0; oy < g.out_h; ++oy) {
      const auto y = TfliteFloatTap(oy, hs, g.half_pixel_centers, g.in_h);
      for (int32_t ox = 0; ox < g.out_w; ++ox) {
        const auto x = TfliteFloatTap(ox, ws, g.half_pixel_centers, g.in_w);
        const float dy = y.pos - static_cast<float>(y.lo);
        const float dx = x.pos - static_cast<float>(x.lo);
        const float w[4] = {(1 - dy) * (1 - dx), (1 - dy) * dx, dy * (1 - dx), dy * dx};
        const int64_t off[4] = {(static_cast<int64_t>(y.lo) * g.in_w + x.lo) * g.depth,
                                (static_cast<int64_t>(y.lo) * g.in_w + x.hi) * g.depth,
                                (static_cast<int64_t>(y.hi) * g.in_w + x.lo) * g.depth,
                                (static_cast<int64_t>(y.hi) * g.in_w + x.hi) * g.depth};
        for (int32_t c = 0; c < g.depth; ++c) {
          float v = static_cast<float>(image[off[0] + c]) * w[0];
          v += static_cast<float>(image[off[1] + c]) * w[1];
          v += static_cast<float>(image[off[2] + c]) * w[2];
          v += static_cast<float>(image[off[3] + c]) * w[3];
          *output++ = static_cast<uint8_t>(v + 0.5f);
        }
      }
    }
  }
}

// TFLite's reference ResizeBilinearInteger (int8, int16): coordinates in
// 1/1024 units, products in 2^20 units rounded half away from zero.
template <typename T>
void ResizeBilinearInteger(const ResizeGeometry& g, const T* input, T* output) {
  auto scale10 = [&](int32_t in, int32_t out) {
    if (g.align_corners && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
    return ((1 << 10) * in + out / 2) / out;
  };
  struct Tap { int32_t pos, lo, hi; };
  auto tap = [&](int32_t o, int32_t s, int32_t in) {
    const int32_t pos = g.half_pixel_centers ? o * s + s / 2 - (1 << 9) : o * s;
    // C++ integer division truncates toward zero, as TFLite's does.
    return Tap{pos, std::max(pos / (1 << 10), 0), std::min((pos + (1 << 10) - 1) / (1 << 10), in - 1)};
  };
  const int32_t hs = scale10(g.in_h, g.out_h), ws = scale10(g.in_w, g.out_w);
  for (int32_t b = 0; b < g.batches; ++b) {
    const T* image = input + static_cast<int64_t>(b) * g.in_h * g.in_w * g.depth;
    for (int32_t oy = 0; oy < g.out_h; ++oy) {
      const Tap y = tap(oy, hs, g.in_h);
      const int64_t wy1 = y.pos - (1 << 10) * y.lo, wy0 = (1 << 10) - wy1;
      for (int32_t ox = 0; ox < g.out_w; ++ox) {
        const Tap x = tap(ox, ws, g.in_w);
        const int64_t wx1 = x.pos - (1 << 10) * x.lo, wx0 = (1 << 10) - wx1;
        const T* p00 = image + (static_cast<int64_t>(y.lo) * g.in_w + x.lo) * g.depth;
        const T* p10 = image + (static_cast<int64_t>(y.hi) * g.in_w + x.lo) * g.depth;
        const T* p01 = image + (static_cast<int64_t>(y.lo) * g.in_w + x.hi) * g.depth;
        const T* p11 = image + (static_cast<int64_t>(y.hi) * g.in_w + x.hi) * g.depth;
        for (int32_t c = 0; c < g.depth; ++c) {
          const int64_t sum = p00[c] * wy0 * wx0 + p10[c] * wy1 * wx0 +
                              p01[c] * wy0 * wx1 + p11[c] * wy1 * wx1;
          const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
          *output++ = static_cast<T>((sum + round) / (1 << 20));
        }
      }
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_RESIZE_BILINEAR_H_
