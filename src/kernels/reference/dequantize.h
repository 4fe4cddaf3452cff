// DEQUANTIZE: float16 -> float32 (exact) and affine int8/uint8/int16 ->
// float32, per tensor or per axis. real = (q - zero_point) * scale is one
// float multiply of exact operands, so it equals TFLite's reference (double
// product rounded to float) and XNNPACK's convert bit for bit.
#ifndef DETLITE_KERNELS_REFERENCE_DEQUANTIZE_H_
#define DETLITE_KERNELS_REFERENCE_DEQUANTIZE_H_

#include <cstdint>
#include <cstring>

#include "core/fp16.h"

namespace detlite::kernels::reference {

// `input` holds little-endian binary16 values (not necessarily aligned).
inline void DequantizeFloat16(const uint8_t* input, int64_t count,
                              float* output) {
  for (int64_t i = 0; i < count; ++i) {
    uint16_t h;
    std::memcpy(&h, input + 2 * i, sizeof(h));
    output[i] = HalfToFloat(h);
  }
}

template <typename T>
void DequantizePerTensor(const T* input, int64_t count, float scale,
                         int32_t zero_point, float* output) {
  for (int64_t i = 0; i < count; ++i) {
    output[i] = static_cast<float>(static_cast<int32_t>(input[i]) - zero_point) * scale;
  }
}

// The tensor seen as [outer, channels, inner] with `channels` the quantized
// dimension; scale and zero_point have one entry per channel.
template <typename T>
void DequantizePerAxis(const T* input, int64_t outer, int64_t channels,
                       int64_t inner, const float* scale,
                       const int32_t* zero_point, float* output) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t base = (o * channels + c) * inner;
      for (int64_t i = 0; i < inner; ++i) {
        output[base + i] =
            static_cast<float>(static_cast<int32_t>(input[base + i]) - zero_point[c]) *
            scale[c];
      }
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_DEQUANTIZE_H_
