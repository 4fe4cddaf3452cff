#include "kernels/optimized/quantize_q8.h"

#include <algorithm>
#include <type_traits>

#include "kernels/reference/quantize.h"

namespace detlite::kernels::optimized {

template <typename T>
void QuantizeQ8(Isa isa, const float* in, int64_t n, float scale,
                int32_t zero_point, T* out, const Parallel& par) {
  QuantizeQ8Fn<T> fn = &reference::QuantizeFloatXnnpack<T>;
#if defined(__x86_64__) || defined(__i386__)
  if constexpr (std::is_same_v<T, int8_t>) {
    if (isa >= Isa::kAvx512) {
      fn = QuantizeS8Avx512();
    } else if (isa >= Isa::kAvx2) {
      fn = QuantizeS8Avx2();
    }
  } else {
    if (isa >= Isa::kAvx512) {
      fn = QuantizeU8Avx512();
    } else if (isa >= Isa::kAvx2) {
      fn = QuantizeU8Avx2();
    }
  }
#endif
  constexpr int64_t kChunk = 1 << 14;
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  ParallelRanges(par, chunks, 4, [&](int64_t c0, int64_t c1) {
    const int64_t b = c0 * kChunk, e = std::min(n, c1 * kChunk);
    fn(in + b, e - b, scale, zero_point, out + b);
  });
}

namespace {

template <typename T>
void DequantizeLoop(const T* in, int64_t n, float scale, int32_t zero_point,
                    float* out) {
  for (int64_t i = 0; i < n; ++i) {
    out[i] = static_cast<float>(static_cast<int32_t>(in[i]) - zero_point) * scale;
  }
}

}  // namespace

template <typename T>
void DequantizeQ8(Isa isa, const T* in, int64_t n, float scale,
                  int32_t zero_point, float* out, const Parallel& par) {
  DequantizeQ8Fn<T> fn = &DequantizeLoop<T>;
#if defined(__x86_64__) || defined(__i386__)
  if constexpr (std::is_same_v<T, int8_t>) {
    if (isa >= Isa::kAvx512) {
      fn = DequantizeS8Avx512();
    } else if (isa >= Isa::kAvx2) {
      fn = DequantizeS8Avx2();
    }
  } else {
    if (isa >= Isa::kAvx512) {
      fn = DequantizeU8Avx512();
    } else if (isa >= Isa::kAvx2) {
      fn = DequantizeU8Avx2();
    }
  }
#endif
  constexpr int64_t kChunk = 1 << 14;
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  ParallelRanges(par, chunks, 2, [&](int64_t c0, int64_t c1) {
    const int64_t b = c0 * kChunk, e = std::min(n, c1 * kChunk);
    fn(in + b, e - b, scale, zero_point, out + b);
  });
}

template void DequantizeQ8<int8_t>(Isa, const int8_t*, int64_t, float, int32_t,
                                   float*, const Parallel&);
template void DequantizeQ8<uint8_t>(Isa, const uint8_t*, int64_t, float,
                                    int32_t, float*, const Parallel&);

template void QuantizeQ8<int8_t>(Isa, const float*, int64_t, float, int32_t,
                                 int8_t*, const Parallel&);
template void QuantizeQ8<uint8_t>(Isa, const float*, int64_t, float, int32_t,
                                  uint8_t*, const Parallel&);

}  // namespace detlite::kernels::optimized
