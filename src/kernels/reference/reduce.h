// MEAN and SUM over a set of axes.
//
// Sums are accumulated by walking the input once in row-major order, adding
// each element into its output slot, which is also the order (and so the
// float rounding) of TFLite's reference reduction.
//
// Quantized MEAN in the real runtime takes one of three routes, each with its
// own rounding, and the kernel below keeps them apart:
//  - kRescaleEven: 4-D input reduced over H and W ({1, 2}) or W only ({2}),
//    with s_in / s_out in [2^-8, 2^8). XNNPACK runs these (as global average
//    pooling): the zero-point-corrected sum is multiplied by
//    s_in / (s_out * n) in float and rounded half to even.
//  - kTruncate: other axes with identical input and output quantization.
//    TFLite averages the raw values with integer division (toward zero).
//  - kRescaleAway: other axes, different quantization. TFLite divides the raw
//    sum by n in float, rescales in float and rounds half away from zero.
// All three were checked value by value against TFLite 2.12 (WebAssembly).
#ifndef DETLITE_KERNELS_REFERENCE_REDUCE_H_
#define DETLITE_KERNELS_REFERENCE_REDUCE_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/shape.h"

namespace detlite::kernels::reference {

// How input elements map onto output elements.
struct ReduceGeometry {
  Shape input;
  std::vector<bool> reduced;  // per input dimension
  int64_t output_count = 1;
  int64_t reduced_count = 1;  // input elements per output element
};

inline ReduceGeometry MakeReduceGeometry(const Shape& input,
                                         const std::vector<bool>& reduced) {
  ReduceGeometry g;
  g.input = input;
  g.reduced = reduced;
  for (int i = 0; i < input.rank(); ++i) {
    if (reduced[static_cast<size_t>(i)]) {
      g.reduced_count *= input.dim(i);
    } else {
      g.output_count *= input.dim(i);
    }
  }
  return g;
}

// Calls visit(i, o) for every input element i, in input order, with the
// output element o it reduces into.
template <typename Visit>
void ForEachReduction(const ReduceGeometry& g, Visit visit) {
  const int rank = g.input.rank();
  // Output stride of each input dimension (0 for reduced ones).
  std::vector<int64_t> out_stride(static_cast<size_t>(rank), 0);
  int64_t s = 1;
  for (int i = rank - 1; i >= 0; --i) {
    if (!g.reduced[static_cast<size_t>(i)]) {
      out_stride[static_cast<size_t>(i)] = s;
      s *= g.input.dim(i);
    }
  }
  const int64_t total = g.input.NumElements();
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  int64_t o = 0;
  for (int64_t i = 0; i < total; ++i) {
    visit(i, o);
    for (int d = rank - 1; d >= 0; --d) {
      const size_t du = static_cast<size_t>(d);
      ++index[du];
      o += out_stride[du];
      if (index[du] < g.input.dim(d)) break;
      o -= out_stride[du] * index[du];
      index[du] = 0;
    }
  }
}

// acc[o] = sum of the input elements that reduce into output o. Acc is
// zero-filled here; it must hold g.output_count values.
template <typename T, typename Acc>
void ReduceSum(const ReduceGeometry& g, const T* in, Acc* acc) {
  std::fill(acc, acc + g.output_count, Acc{0});
  if (g.input.rank() == 0) {
    acc[0] = static_cast<Acc>(in[0]);
    return;
  }
  ForEachReduction(g, [&](int64_t i, int64_t o) { acc[o] += static_cast<Acc>(in[i]); });
}

// out[o] = the largest (is_max) or smallest input element reducing into o;
// g.reduced_count must be at least 1.
template <typename T>
void ReduceMaxMin(const ReduceGeometry& g, bool is_max, const T* in, T* out) {
  std::vector<bool> seen(static_cast<size_t>(g.output_count), false);
  ForEachReduction(g, [&](int64_t i, int64_t o) {
    const size_t ou = static_cast<size_t>(o);
    if (!seen[ou] || (is_max ? in[i] > out[o] : in[i] < out[o])) out[o] = in[i];
    seen[ou] = true;
  });
}

// out[o] = the product of the input elements reducing into o, in input
// order (1 for an empty reduction), as TFLite's REDUCE_PROD.
template <typename T>
void ReduceProd(const ReduceGeometry& g, const T* in, T* out) {
  for (int64_t o = 0; o < g.output_count; ++o) out[o] = T{1};
  ForEachReduction(g, [&](int64_t i, int64_t o) { out[o] = out[o] * in[i]; });
}

// out[o] = whether any input element reducing into o is true (REDUCE_ANY).
inline void ReduceAny(const ReduceGeometry& g, const bool* in, bool* out) {
  for (int64_t o = 0; o < g.output_count; ++o) out[o] = false;
  ForEachReduction(g, [&](int64_t i, int64_t o) { out[o] = out[o] || in[i]; });
}

inline void SumFloat(const ReduceGeometry& g, const float* in, float* out) {
  ReduceSum(g, in, out);
}

inline void MeanFloat(const ReduceGeometry& g, const float* in, float* out) {
  ReduceSum(g, in, out);
  const float n = static_cast<float>(g.reduced_count);
  for (int64_t o = 0; o < g.output_count; ++o) out[o] /= n;
}

// int32 SUM wraps like TFLite's int32 adds; MEAN divides an int64 sum
// (truncating toward zero).
inline void SumInt32(const ReduceGeometry& g, const int32_t* in,
                     int32_t* out) {
  std::vector<int64_t> acc(static_cast<size_t>(g.output_count));
  ReduceSum(g, in, acc.data());
  for (int64_t o = 0; o < g.output_count; ++o) {
    out[o] = static_cast<int32_t>(static_cast<uint32_t>(acc[static_cast<size_t>(o)]));
  }
}

inline void MeanInt32(const ReduceGeometry& g, const int32_t* in,
                      int32_t* out) {
  std::vector<int64_t> acc(static_cast<size_t>(g.output_count));
  ReduceSum(g, in, acc.data());
  for (int64_t o = 0; o < g.output_count; ++o) {
    out[o] = static_cast<int32_t>(acc[static_cast<size_t>(o)] / g.reduced_count);
  }
}

enum class QuantizedMeanRoute { kRescaleEven, kTruncate, kRescaleAway };

struct QuantizedMeanParams {
  QuantizedMeanRoute route = QuantizedMeanRoute::kRescaleAway;
  float input_scale = 1.0f;
  int32_t input_zero_point = 0;
  float output_scale = 1.0f;
  int32_t output_zero_point = 0;
};

template <typename T>
void QuantizedMean(const QuantizedMeanParams& p, const ReduceGeometry& g,
                   const T* in, T* out) {
  const int32_t qmin = std::numeric_limits<T>::min();
  const int32_t qmax = std::numeric_limits<T>::max();
  std::vector<int64_t> acc(static_cast<size_t>(g.output_count));
  ReduceSum(g, in, acc.data());
  const int64_t n = g.reduced_count;
  for (int64_t o = 0; o < g.output_count; ++o) {
    const int64_t sum = acc[static_cast<size_t>(o)];
    int32_t v = 0;
    switch (p.route) {
      case QuantizedMeanRoute::kRescaleEven: {
        const float scale =
            p.input_scale / (p.output_scale * static_cast<float>(n));
        float f = static_cast<float>(sum - n * p.input_zero_point) * scale;
        f = std::clamp(f, static_cast<float>(qmin - p.output_zero_point),
                       static_cast<float>(qmax - p.output_zero_point));
        v = static_cast<int32_t>(std::nearbyint(f)) + p.output_zero_point;
        break;
      }
      case QuantizedMeanRoute::kTruncate:
        v = static_cast<int32_t>(sum / n);
        break;
      case QuantizedMeanRoute::kRescaleAway: {
        const float scale = p.input_scale / p.output_scale;
        const float bias = static_cast<float>(-p.input_zero_point) * scale;
        const float mean = static_cast<float>(sum) / static_cast<float>(n);
        float f = std::round(mean * scale + bias) +
                  static_cast<float>(p.output_zero_point);
        f = std::clamp(f, static_cast<float>(qmin), static_cast<float>(qmax));
        v = static_cast<int32_t>(f);
        break;
      }
    }
    out[o] = static_cast<T>(std::clamp(v, qmin, qmax));
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_REDUCE_H_
