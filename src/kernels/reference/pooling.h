// MAX_POOL_2D and AVERAGE_POOL_2D over NHWC tensors.
//
// Windows are clipped to the input: padded positions are never read, so a
// max ignores them and an average divides by the number of input pixels the
// window actually covers (not by the filter area).
//
// Quantized average pool sums raw values (input and output share scale and
// zero point) and divides with rounding to nearest; how ties round is a
// TFLite detail kept in RoundedDivide below. (The real runtime keeps
// quantized average pooling in TFLite's kernel, so TFLite's rounding is the
// one to match; checked on inputs full of ties.)
#ifndef DETLITE_KERNELS_REFERENCE_POOLING_H_
#define DETLITE_KERNELS_REFERENCE_POOLING_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace detlite::kernels::reference {

struct PoolParams {
  int32_t batches = 0;
  int32_t in_h = 0, in_w = 0, channels = 0;
  int32_t out_h = 0, out_w = 0;
  int32_t filter_h = 1, filter_w = 1;
  int32_t stride_h = 1, stride_w = 1;
  int32_t pad_top = 0, pad_left = 0;
};

// Output size and leading padding of one spatial dimension, as TFLite
// computes them for SAME and VALID padding.
inline void PoolOutputSize(bool same_padding, int32_t in, int32_t filter,
                           int32_t stride, int32_t* out, int32_t* pad_before) {
  *out = same_padding ? (in + stride - 1) / stride
                      : (in - filter + stride) / stride;
  const int32_t total = (*out - 1) * stride + filter - in;
  // An odd total puts the extra padding after, never before.
  *pad_before = std::max(total, int32_t{0}) / 2;
}

// Calls f(out_offset, y0, y1, x0, x1, in_base) for every output element,
// where [y0, y1) x [x0, x1) is its window clipped to the input and in_base
// the input offset of (batch, 0, 0, channel).
template <typename F>
void ForEachPoolWindow(const PoolParams& p, F f) {
  for (int32_t b = 0; b < p.batches; ++b) {
    for (int32_t oy = 0; oy < p.out_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_top;
      const int32_t y0 = std::max(iy0, int32_t{0});
      const int32_t y1 = std::min(iy0 + p.filter_h, p.in_h);
      for (int32_t ox = 0; ox < p.out_w; ++ox) {
        const int32_t ix0 = ox * p.stride_w - p.pad_left;
        const int32_t x0 = std::max(ix0, int32_t{0});
        const int32_t x1 = std::min(ix0 + p.filter_w, p.in_w);
        const int64_t out_base =
            ((int64_t{b} * p.out_h + oy) * p.out_w + ox) * p.channels;
        const int64_t in_batch = int64_t{b} * p.in_h * p.in_w * p.channels;
        for (int32_t c = 0; c < p.channels; ++c) {
          f(out_base + c, y0, y1, x0, x1, in_batch + c);
        }
      }
    }
  }
}

template <typename T>
void MaxPool(const PoolParams& p, T act_min, T act_max, const T* in, T* out) {
  const int64_t row = int64_t{p.in_w} * p.channels;
  ForEachPoolWindow(p, [&](int64_t o, int32_t y0, int32_t y1, int32_t x0,
                           int32_t x1, int64_t base) {
    T m = std::numeric_limits<T>::lowest();
    for (int32_t y = y0; y < y1; ++y) {
      for (int32_t x = x0; x < x1; ++x) {
        m = std::max(m, in[base + y * row + int64_t{x} * p.channels]);
      }
    }
    out[o] = std::min(std::max(m, act_min), act_max);
  });
}

// acc / count rounded to nearest. TFLite's uint8 kernel adds count/2 and
// truncates; its int8/int16 kernels round ties away from zero. For the
// non-negative sums of uint8 the two agree.
inline int32_t RoundedDivide(int32_t acc, int32_t count) {
  return acc >= 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
}

template <typename T>
void AveragePool(const PoolParams& p, T act_min, T act_max, const T* in,
                 T* out) {
  const int64_t row = int64_t{p.in_w} * p.channels;
  ForEachPoolWindow(p, [&](int64_t o, int32_t y0, int32_t y1, int32_t x0,
                           int32_t x1, int64_t base) {
    using Acc = std::conditional_t<std::is_floating_point_v<T>, T, int32_t>;
    Acc sum = 0;
    int32_t count = 0;
    for (int32_t y = y0; y < y1; ++y) {
      for (int32_t x = x0; x < x1; ++x) {
        sum += in[base + y * row + int64_t{x} * p.channels];
        ++count;
      }
    }
    T v;
    if constexpr (std::is_floating_point_v<T>) {
      v = count > 0 ? sum / static_cast<T>(count) : T{0};
    } else {
      v = static_cast<T>(count > 0 ? RoundedDivide(sum, count) : 0);
    }
    out[o] = std::min(std::max(v, act_min), act_max);
  });
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_POOLING_H_
