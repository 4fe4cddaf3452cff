// Helpers shared by the conv family's kernel tests: quantizing random float
// data, building per-channel requantizers the way the runtime glue does, and
// the "quantized result within one step of the float result" check.
#ifndef DETLITE_TESTS_KERNELS_CONV_TEST_UTIL_H_
#define DETLITE_TESTS_KERNELS_CONV_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/reference/quant_math.h"
#include "kernels/reference/requantize.h"

namespace detlite::kernels::testing {

template <typename T>
T QuantizeValue(float v, float scale, int32_t zero_point) {
  const double q = std::round(static_cast<double>(v) / scale) + zero_point;
  const double lo = std::numeric_limits<T>::min(),
               hi = std::numeric_limits<T>::max();
  return static_cast<T>(std::clamp(q, lo, hi));
}

template <typename T>
std::vector<T> Quantize(const std::vector<float>& v, float scale,
                        int32_t zero_point) {
  std::vector<T> out(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    out[i] = QuantizeValue<T>(v[i], scale, zero_point);
  return out;
}

// Per-channel quantization of a filter whose channel is `channel_of(i)`.
template <typename T, typename ChannelOf>
std::vector<T> QuantizePerChannel(const std::vector<float>& v,
                                  const std::vector<float>& scales,
                                  ChannelOf channel_of) {
  std::vector<T> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    out[i] = QuantizeValue<T>(v[i], scales[channel_of(i)], 0);
  }
  return out;
}

template <typename T>
std::vector<float> Dequantize(const std::vector<T>& q, float scale,
                              int32_t zero_point) {
  std::vector<float> out(q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    out[i] =
        scale * (static_cast<float>(q[i]) - static_cast<float>(zero_point));
  }
  return out;
}

inline std::vector<float> RandomFloats(size_t n, float lo, float hi,
                                       uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Multipliers and float scales for input_scale * filter_scale[c] /
// output_scale, the same way the runtime computes them.
struct Multipliers {
  std::vector<int32_t> multiplier;
  std::vector<int> shift;
  std::vector<float> fp32_scale;

  Multipliers(float input_scale, const std::vector<float>& filter_scales,
              float output_scale) {
    for (float fs : filter_scales) {
      int32_t m;
      int s;
      QuantizeMultiplier(static_cast<double>(input_scale) * fs / output_scale,
                         &m, &s);
      multiplier.push_back(m);
      shift.push_back(s);
      fp32_scale.push_back(Fp32RequantScale(input_scale, fs, output_scale));
    }
  }
  FixedPointRequant Fixed(int32_t zp, int32_t lo, int32_t hi) const {
    return {multiplier.data(), shift.data(), zp, lo, hi};
  }
  WideFixedPointRequant Wide(int32_t zp, int32_t lo, int32_t hi) const {
    return {multiplier.data(), shift.data(), zp, lo, hi};
  }
  Fp32Requant Fp32(int32_t zp, int32_t lo, int32_t hi) const {
    return {fp32_scale.data(), zp, lo, hi};
  }
};

// Every quantized output must be within one step of the float result (on
// the dequantized inputs) quantized the same way.
template <typename T>
void ExpectWithinOneStep(const std::vector<T>& quantized,
                         const std::vector<float>& expected, float scale,
                         int32_t zero_point) {
  ASSERT_EQ(quantized.size(), expected.size());
  int worst = 0;
  for (size_t i = 0; i < quantized.size(); ++i) {
    const int want = QuantizeValue<T>(expected[i], scale, zero_point);
    const int diff = std::abs(static_cast<int>(quantized[i]) - want);
    worst = std::max(worst, diff);
    ASSERT_LE(diff, 1) << "element " << i << ": got "
                       << static_cast<int>(quantized[i]) << ", float result "
                       << expected[i] << " quantizes to " << want;
  }
}

}  // namespace detlite::kernels::testing

#endif  // DETLITE_TESTS_KERNELS_CONV_TEST_UTIL_H_
