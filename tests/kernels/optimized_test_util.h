// Random geometries and requantizers for the optimized-vs-reference kernel
// tests: every case is a fresh draw of shape, stride, dilation, padding and
// quantization, so many loops cover the corners (1x1, odd sizes, extreme
// zero points, per-channel scales).
#ifndef DETLITE_TESTS_KERNELS_OPTIMIZED_TEST_UTIL_H_
#define DETLITE_TESTS_KERNELS_OPTIMIZED_TEST_UTIL_H_

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <algorithm>

#include "kernels/optimized/cpu.h"
#include "kernels/reference/conv_geometry.h"
#include "kernels/reference/quant_math.h"

namespace detlite::kernels::testing {

// Runs fn(isa) once per instruction set level this machine supports
// (reference, avx2, avx512), with that level forced for the kernels.
template <typename Fn>
void ForEachIsa(Fn&& fn) {
  for (optimized::Isa isa : optimized::SupportedIsas()) {
    optimized::ScopedIsa scope(isa);
    SCOPED_TRACE(std::string("isa ") + optimized::IsaName(isa));
    fn(isa);
  }
}

// The float tolerance of an optimized kernel against the reference:
// `relative` of the reference output's range (at least 1).
inline float RangeTolerance(const std::vector<float>& want, float relative) {
  if (want.empty()) return relative;
  const auto [lo, hi] = std::minmax_element(want.begin(), want.end());
  return relative * std::max(1.0f, *hi - *lo);
}

// Draws a geometry with in_c input channels per group and out_c outputs;
// depthwise callers set out_c = in_c * depth_multiplier themselves.
inline ConvGeometry RandomGeometry(std::mt19937& rng, int out_c) {
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  ConvGeometry g;
  g.batches = pick(1, 2);
  g.in_h = pick(1, 13);
  g.in_w = pick(1, 13);
  g.in_c = pick(1, 3) == 1 ? pick(1, 5) : pick(6, 70);
  g.out_c = out_c;
  const bool one_by_one = pick(0, 3) == 0;
  g.filter_h = one_by_one ? 1 : pick(1, 5);
  g.filter_w = one_by_one ? 1 : pick(1, 5);
  g.stride_h = pick(1, 2);
  g.stride_w = pick(1, 3) == 3 ? 3 : g.stride_h;
  const bool dilated = pick(0, 4) == 0;
  g.dilation_h = dilated ? pick(1, 3) : 1;
  g.dilation_w = dilated ? pick(1, 3) : 1;
  PaddingType padding = pick(0, 1) ? PaddingType::kSame : PaddingType::kValid;
  int64_t oh = ConvOutputSize(padding, g.in_h, g.filter_h, g.stride_h,
                              g.dilation_h);
  int64_t ow = ConvOutputSize(padding, g.in_w, g.filter_w, g.stride_w,
                              g.dilation_w);
  if (oh <= 0 || ow <= 0) {  // VALID did not fit: fall back to SAME
    padding = PaddingType::kSame;
    oh = ConvOutputSize(padding, g.in_h, g.filter_h, g.stride_h, g.dilation_h);
    ow = ConvOutputSize(padding, g.in_w, g.filter_w, g.stride_w, g.dilation_w);
  }
  g.out_h = static_cast<int32_t>(oh);
  g.out_w = static_cast<int32_t>(ow);
  g.pad_h = ComputeAxisPadding(g.in_h, g.filter_h, g.stride_h, g.dilation_h, oh)
                .before;
  g.pad_w = ComputeAxisPadding(g.in_w, g.filter_w, g.stride_w, g.dilation_w, ow)
                .before;
  return g;
}

inline std::string Describe(const ConvGeometry& g) {
  return "in " + std::to_string(g.batches) + "x" + std::to_string(g.in_h) +
         "x" + std::to_string(g.in_w) + "x" + std::to_string(g.in_c) +
         " filter " + std::to_string(g.filter_h) + "x" +
         std::to_string(g.filter_w) + " out_c " + std::to_string(g.out_c) +
         " stride " + std::to_string(g.stride_h) + "," +
         std::to_string(g.stride_w) + " dilation " +
         std::to_string(g.dilation_h) + "," + std::to_string(g.dilation_w) +
         " pad " + std::to_string(g.pad_h) + "," + std::to_string(g.pad_w);
}

// Uniform over the whole range of T, so the extremes occur.
template <typename T>
std::vector<T> RandomInts(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> d(std::numeric_limits<T>::min(),
                                       std::numeric_limits<T>::max());
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(d(rng));
  return v;
}

// A zero point of T: an extreme half the time.
template <typename T>
int32_t RandomZeroPoint(std::mt19937& rng) {
  const int lo = std::numeric_limits<T>::min();
  const int hi = std::numeric_limits<T>::max();
  switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
    case 0:
      return lo;
    case 1:
      return hi;
    default:
      return std::uniform_int_distribution<int>(lo, hi)(rng);
  }
}

// Per-channel multipliers (all equal when !per_channel) for scales typical
// of real models, plus the matching float scales.
struct RandomRequantParams {
  std::vector<int32_t> multiplier;
  std::vector<int> shift;
  std::vector<float> scale;
};

// typical_acc: the accumulator magnitude that should map to about 64 steps.
inline RandomRequantParams RandomRequant(std::mt19937& rng, int channels,
                                         bool per_channel,
                                         double typical_acc) {
  RandomRequantParams p;
  std::uniform_real_distribution<double> d(20.0 / typical_acc,
                                           200.0 / typical_acc);
  const double shared = d(rng);
  for (int c = 0; c < channels; ++c) {
    const double real = per_channel ? d(rng) : shared;
    int32_t m;
    int s;
    QuantizeMultiplier(real, &m, &s);
    p.multiplier.push_back(m);
    p.shift.push_back(s);
    p.scale.push_back(static_cast<float>(real));
  }
  return p;
}

}  // namespace detlite::kernels::testing

#endif  // DETLITE_TESTS_KERNELS_OPTIMIZED_TEST_UTIL_H_
