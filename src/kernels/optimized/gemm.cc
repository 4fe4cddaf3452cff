#include "kernels/optimized/gemm.h"

#include "kernels/optimized/cpu.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DETLITE_X86 1
#endif

namespace detlite::kernels::optimized {
namespace {

void GemmI16Portable(int rows, int k, const int16_t* a, const int16_t* b,
                     int n_blocks, int32_t* c) {
  const int ldc = n_blocks * kGemmNr;
  for (int nb = 0; nb < n_blocks; ++nb) {
    const int16_t* bp = b + int64_t{nb} * k * kGemmNr;
    for (int r = 0; r < rows; ++r) {
      const int16_t* ar = a + int64_t{r} * k;
      // Unsigned sums wrap like the reference's int32 without the UB.
      uint32_t acc[kGemmNr] = {};
      for (int kp = 0; kp < k / 2; ++kp) {
        const int16_t* bk = bp + kp * 2 * kGemmNr;
        for (int n = 0; n < kGemmNr; ++n) {
          acc[n] += static_cast<uint32_t>(ar[2 * kp] * bk[2 * n] +
                                          ar[2 * kp + 1] * bk[2 * n + 1]);
        }
      }
      for (int n = 0; n < kGemmNr; ++n) {
        c[int64_t{r} * ldc + nb * kGemmNr + n] = static_cast<int32_t>(acc[n]);
      }
    }
  }
}

#ifdef DETLITE_X86
__attribute__((target("avx2,fma"))) void GemmI16Avx2(
    int rows, int k, const int16_t* a, const int16_t* b, int n_blocks,
    int32_t* c) {
  const int ldc = n_blocks * kGemmNr;
  const int kpairs = k / 2;
  for (int nb = 0; nb < n_blocks; ++nb) {
    const int16_t* bp = b + int64_t{nb} * k * kGemmNr;
    for (int r = 0; r < rows; r += kGemmMr) {
      const int16_t* a0 = a + int64_t{r} * k;
      const int16_t* a1 = a0 + k;
      const int16_t* a2 = a1 + k;
      const int16_t* a3 = a2 + k;
      __m256i c00 = _mm256_setzero_si256(), c01 = _mm256_setzero_si256();
      __m256i c10 = _mm256_setzero_si256(), c11 = _mm256_setzero_si256();
      __m256i c20 = _mm256_setzero_si256(), c21 = _mm256_setzero_si256();
      __m256i c30 = _mm256_setzero_si256(), c31 = _mm256_setzero_si256();
      for (int kp = 0; kp < kpairs; ++kp) {
        const __m256i b0 = _mm256_loadu_si256(
            reinterpret_cast<const __m256i*>(bp + kp * 32));
        const __m256i b1 = _mm256_loadu_si256(
            reinterpret_cast<const __m256i*>(bp + kp * 32 + 16));
        int32_t pair;
        std::memcpy(&pair, a0 + 2 * kp, 4);
        __m256i x = _mm256_set1_epi32(pair);
        c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(x, b0));
        c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(x, b1));
        std::memcpy(&pair, a1 + 2 * kp, 4);
        x = _mm256_set1_epi32(pair);
        c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(x, b0));
        c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(x, b1));
        std::memcpy(&pair, a2 + 2 * kp, 4);
        x = _mm256_set1_epi32(pair);
        c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(x, b0));
        c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(x, b1));
        std::memcpy(&pair, a3 + 2 * kp, 4);
        x = _mm256_set1_epi32(pair);
        c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(x, b0));
        c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(x, b1));
      }
      // Lambdas do not inherit the target attribute, hence no helper.
      __m256i* out =
          reinterpret_cast<__m256i*>(c + int64_t{r} * ldc + nb * kGemmNr);
      const int64_t step = ldc / 8;  // row stride in vectors
      _mm256_storeu_si256(out, c00);
      _mm256_storeu_si256(out + 1, c01);
      _mm256_storeu_si256(out + step, c10);
      _mm256_storeu_si256(out + step + 1, c11);
      _mm256_storeu_si256(out + 2 * step, c20);
      _mm256_storeu_si256(out + 2 * step + 1, c21);
      _mm256_storeu_si256(out + 3 * step, c30);
      _mm256_storeu_si256(out + 3 * step + 1, c31);
    }
  }
}

template <typename T>
__attribute__((target("avx2,fma"))) inline __m256i Widen8(const T* p) {
  const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  if constexpr (sizeof(T) == 1 && static_cast<T>(-1) > 0) {
    return _mm256_cvtepu8_epi32(v);
  } else {
    return _mm256_cvtepi8_epi32(v);
  }
}

template <typename T>
__attribute__((target("avx2,fma"))) void MacAvx2(int n, const T* in,
                                                 int32_t input_offset,
                                                 const T* f,
                                                 int32_t filter_offset,
                                                 int32_t* c) {
  const __m256i io = _mm256_set1_epi32(input_offset);
  const __m256i fo = _mm256_set1_epi32(filter_offset);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i x = _mm256_add_epi32(Widen8(in + i), io);
    const __m256i w = _mm256_add_epi32(Widen8(f + i), fo);
    __m256i* cp = reinterpret_cast<__m256i*>(c + i);
    _mm256_storeu_si256(
        cp, _mm256_add_epi32(_mm256_loadu_si256(cp), _mm256_mullo_epi32(x, w)));
  }
  for (; i < n; ++i) {
    c[i] += (static_cast<int32_t>(in[i]) + input_offset) *
            (static_cast<int32_t>(f[i]) + filter_offset);
  }
}

template <typename T>
__attribute__((target("avx2,fma"))) void RequantFp32Avx2(
    int n, const int32_t* acc, const int32_t* bias, const float* scale,
    int32_t zero_point, int32_t act_min, int32_t act_max, T* out) {
  const __m256 lo = _mm256_set1_ps(static_cast<float>(act_min - zero_point));
  const __m256 hi = _mm256_set1_ps(static_cast<float>(act_max - zero_point));
  const __m256i zp = _mm256_set1_epi32(zero_point);
  int i = 0;
  alignas(32) int32_t tmp[8];
  for (; i + 8 <= n; i += 8) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + i));
    if (bias != nullptr) {
      a = _mm256_add_epi32(
          a, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias + i)));
    }
    __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(a), _mm256_loadu_ps(scale + i));
    v = _mm256_min_ps(_mm256_max_ps(v, lo), hi);
    // cvtps rounds in the current (default: nearest-even) mode, like
    // nearbyint in Fp32Requant.
    _mm256_store_si256(reinterpret_cast<__m256i*>(tmp),
                       _mm256_add_epi32(_mm256_cvtps_epi32(v), zp));
    for (int j = 0; j < 8; ++j) out[i + j] = static_cast<T>(tmp[j]);
  }
  for (; i < n; ++i) {
    const int32_t a = bias != nullptr ? acc[i] + bias[i] : acc[i];
    float v = static_cast<float>(a) * scale[i];
    v = std::clamp(v, static_cast<float>(act_min - zero_point),
                   static_cast<float>(act_max - zero_point));
    out[i] = static_cast<T>(static_cast<int32_t>(std::nearbyint(v)) + zero_point);
  }
}
#endif  // DETLITE_X86

template <typename T>
void RequantFp32Portable(int n, const int32_t* acc, const int32_t* bias,
                         const float* scale, int32_t zero_point,
                         int32_t act_min, int32_t act_max, T* out) {
  for (int i = 0; i < n; ++i) {
    const int32_t a = bias != nullptr ? acc[i] + bias[i] : acc[i];
    float v = static_cast<float>(a) * scale[i];
    v = std::clamp(v, static_cast<float>(act_min - zero_point),
                   static_cast<float>(act_max - zero_point));
    out[i] = static_cast<T>(static_cast<int32_t>(std::nearbyint(v)) + zero_point);
  }
}

template <typename T>
void MacPortable(int n, const T* in, int32_t input_offset, const T* f,
                 int32_t filter_offset, int32_t* c) {
  for (int i = 0; i < n; ++i) {
    c[i] += (static_cast<int32_t>(in[i]) + input_offset) *
            (static_cast<int32_t>(f[i]) + filter_offset);
  }
}

}  // namespace

void RequantFp32U8(int n, const int32_t* acc, const int32_t* bias,
                   const float* scale, int32_t zero_point, int32_t act_min,
                   int32_t act_max, uint8_t* out) {
#ifdef DETLITE_X86
  if (HasAvx2Fma()) {
    return RequantFp32Avx2(n, acc, bias, scale, zero_point, act_min, act_max,
                           out);
  }
#endif
  RequantFp32Portable(n, acc, bias, scale, zero_point, act_min, act_max, out);
}

void RequantFp32I8(int n, const int32_t* acc, const int32_t* bias,
                   const float* scale, int32_t zero_point, int32_t act_min,
                   int32_t act_max, int8_t* out) {
#ifdef DETLITE_X86
  if (HasAvx2Fma()) {
    return RequantFp32Avx2(n, acc, bias, scale, zero_point, act_min, act_max,
                           out);
  }
#endif
  RequantFp32Portable(n, acc, bias, scale, zero_point, act_min, act_max, out);
}

bool HasAvx2Fma() {
#ifdef DETLITE_X86
  return ActiveIsa() >= Isa::kAvx2;
#else
  return false;
#endif
}

void GemmI16(int rows, int k, const int16_t* a, const int16_t* b,
             int n_blocks, int32_t* c) {
#ifdef DETLITE_X86
  if (HasAvx2Fma()) return GemmI16Avx2(rows, k, a, b, n_blocks, c);
#endif
  GemmI16Portable(rows, k, a, b, n_blocks, c);
}

void MacU8(int n, const uint8_t* in, int32_t input_offset, const uint8_t* f,
           int32_t filter_offset, int32_t* c) {
#ifdef DETLITE_X86
  if (HasAvx2Fma()) return MacAvx2(n, in, input_offset, f, filter_offset, c);
#endif
  MacPortable(n, in, input_offset, f, filter_offset, c);
}

void MacI8(int n, const int8_t* in, int32_t input_offset, const int8_t* f,
           int32_t filter_offset, int32_t* c) {
#ifdef DETLITE_X86
  if (HasAvx2Fma()) return MacAvx2(n, in, input_offset, f, filter_offset, c);
#endif
  MacPortable(n, in, input_offset, f, filter_offset, c);
}

}  // namespace detlite::kernels::optimized
