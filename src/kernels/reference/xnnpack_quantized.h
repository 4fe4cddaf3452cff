// The quantized arithmetic of XNNPACK, for the ops the real TFLite runtime
// (2.12, WebAssembly, XNNPACK delegate with QS8/QU8 enabled) hands to
// XNNPACK: uint8/int8 ADD, SUB, MUL, LEAKY_RELU, LOGISTIC, ELU, the clamp
// bounds of their fused activations, and MAX_POOL_2D's. XNNPACK requantizes
// differently from TFLite's own kernels (fewer multiplier bits, float
// scaling, round-half-to-even), so matching the runtime bit for bit means
// computing what XNNPACK computes whenever it accepts the op, and TFLite's
// arithmetic otherwise (see the Prepare functions' return values).
//
// Every formula here was checked element by element against the runtime on
// inputs chosen where the XNNPACK and TFLite formulas disagree.
#ifndef DETLITE_KERNELS_REFERENCE_XNNPACK_QUANTIZED_H_
#define DETLITE_KERNELS_REFERENCE_XNNPACK_QUANTIZED_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/shape.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/lookup_table.h"
#include "kernels/reference/quant_math.h"

namespace detlite::kernels::reference {

// XNNPACK's conversion of a real clamp bound to the quantized domain:
// v / scale + zero_point in float, saturated, rounded half to even. (TFLite
// instead rounds v / scale half away from zero and then adds the zero point;
// the two differ when v / scale is an odd multiple of 1/2.)
inline int32_t XnnpackQuantizeBound(float v, float scale, int32_t zero_point,
                                    int32_t qmin, int32_t qmax) {
  float f = v / scale + static_cast<float>(zero_point);
  f = std::min(std::max(f, static_cast<float>(qmin)), static_cast<float>(qmax));
  return static_cast<int32_t>(std::nearbyint(f));
}

template <typename T>
void XnnpackActivationRange(FusedActivation act, float scale,
                            int32_t zero_point, int32_t* lo, int32_t* hi) {
  float flo = 0.0f, fhi = 0.0f;
  FloatActivationRange(act, &flo, &fhi);
  if (act == FusedActivation::kNone || act == FusedActivation::kRelu) {
    fhi = std::numeric_limits<float>::infinity();
  }
  if (act == FusedActivation::kNone) flo = -std::numeric_limits<float>::infinity();
  const int32_t qmin = std::numeric_limits<T>::min();
  const int32_t qmax = std::numeric_limits<T>::max();
  *lo = XnnpackQuantizeBound(flo, scale, zero_point, qmin, qmax);
  *hi = XnnpackQuantizeBound(fhi, scale, zero_point, qmin, qmax);
}

// ---- ADD / SUB ----
// Each input is scaled by (s_in / s_out) * 2^shift rounded to an integer,
// where shift leaves the larger multiplier with 21 significant bits; the sum
// (with zero points folded into a bias that also holds the rounding half) is
// shifted right arithmetically.
struct XnnpackAddParams {
  int32_t a_multiplier = 0;
  int32_t b_multiplier = 0;  // negative for SUB
  int32_t bias = 0;
  int shift = 0;
  int32_t output_zero_point = 0;
  int32_t activation_min = 0;  // in output units
  int32_t activation_max = 0;
};

// False when XNNPACK rejects the scales (a ratio s_in / s_out outside
// [2^-10, 2^8)): the runtime then runs TFLite's kernel.
inline bool PrepareXnnpackAdd(float s1, int32_t z1, float s2, int32_t z2,
                              float so, int32_t zo, bool subtract,
                              XnnpackAddParams* p) {
  const float a = s1 / so;
  const float b = s2 / so;
  for (float r : {a, b}) {
    if (!(r >= 0x1.0p-10f && r < 0x1.0p+8f)) return false;
  }
  int exponent = 0;
  std::frexp(std::max(a, b), &exponent);  // max = m * 2^exponent, m in [.5, 1)
  p->shift = 20 - (exponent - 1);
  p->a_multiplier = static_cast<int32_t>(std::lrint(std::ldexp(a, p->shift)));
  p->b_multiplier = static_cast<int32_t>(std::lrint(std::ldexp(b, p->shift)));
  if (subtract) p->b_multiplier = -p->b_multiplier;
  p->bias = (int32_t{1} << (p->shift - 1)) - p->a_multiplier * z1 -
            p->b_multiplier * z2;
  p->output_zero_point = zo;
  return true;
}

template <typename T>
void XnnpackAdd(const XnnpackAddParams& p, const Shape& a_shape, const T* a,
                const Shape& b_shape, const T* b, const Shape& out_shape,
                T* out) {
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out, [&p](T x, T y) {
    const int32_t acc = p.bias + int32_t{x} * p.a_multiplier +
                        int32_t{y} * p.b_multiplier;
    // >> on a negative int32 is an arithmetic shift in C++20.
    const int32_t v = (acc >> p.shift) + p.output_zero_point;
    return static_cast<T>(std::clamp(v, p.activation_min, p.activation_max));
  });
}

// ---- MUL ----
// The product of the zero-point-corrected inputs is scaled in float by
// s1 * s2 / s_out and rounded half to even.
struct XnnpackMulParams {
  int32_t a_zero_point = 0;
  int32_t b_zero_point = 0;
  int32_t output_zero_point = 0;
  float scale = 0.0f;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
};

// False when s1 * s2 / s_out is outside [2^-16, 2^8) (XNNPACK declines).
inline bool PrepareXnnpackMul(float s1, int32_t z1, float s2, int32_t z2,
                              float so, int32_t zo, XnnpackMulParams* p) {
  const float product_scale = s1 * s2;
  p->scale = product_scale / so;
  if (!(p->scale >= 0x1.0p-16f && p->scale < 0x1.0p+8f)) return false;
  p->a_zero_point = z1;
  p->b_zero_point = z2;
  p->output_zero_point = zo;
  return true;
}

template <typename T>
void XnnpackMul(const XnnpackMulParams& p, const Shape& a_shape, const T* a,
                const Shape& b_shape, const T* b, const Shape& out_shape,
                T* out) {
  const float lo = static_cast<float>(p.activation_min - p.output_zero_point);
  const float hi = static_cast<float>(p.activation_max - p.output_zero_point);
  BroadcastBinary(a_shape, a, b_shape, b, out_shape, out, [&](T x, T y) {
    const int32_t acc = (int32_t{x} - p.a_zero_point) * (int32_t{y} - p.b_zero_point);
    const float f = std::min(std::max(static_cast<float>(acc) * p.scale, lo), hi);
    return static_cast<T>(static_cast<int32_t>(std::nearbyint(f)) +
                          p.output_zero_point);
  });
}

// ---- LEAKY_RELU ----
// One multiplier per sign with 8 fractional bits: round(-256 * s_in / s_out)
// and round(-256 * alpha * s_in / s_out), applied to (zero point - x); the
// output zero point and a rounding half are added before an arithmetic shift
// right by 8.
struct XnnpackLeakyReluParams {
  int32_t input_zero_point = 0;
  int32_t positive_multiplier = 0;
  int32_t negative_multiplier = 0;
  int32_t bias = 0;
};

inline bool PrepareXnnpackLeakyRelu(float s_in, int32_t z_in, float s_out,
                                    int32_t z_out, float alpha,
                                    XnnpackLeakyReluParams* p) {
  const float positive = s_in / s_out;
  if (!(positive >= 0x1.0p-8f && positive <= 0x1.0p+7f)) return false;
  const float negative = positive * alpha;
  if (!(negative >= -0x1.FFFC00p+6f && negative <= 0x1.0p+7f)) return false;
  if (std::fabs(negative) < 0x1.0p-8f) return false;
  p->input_zero_point = z_in;
  p->positive_multiplier = static_cast<int32_t>(std::lrint(-256.0f * positive));
  p->negative_multiplier = static_cast<int32_t>(std::lrint(-256.0f * negative));
  p->bias = z_out * 256 + 0x80;
  return true;
}

template <typename T>
void XnnpackLeakyRelu(const XnnpackLeakyReluParams& p, int64_t n, const T* in,
                      T* out) {
  for (int64_t i = 0; i < n; ++i) {
    const int32_t acc = p.input_zero_point - int32_t{in[i]};
    const int32_t m = acc >= 0 ? p.negative_multiplier : p.positive_multiplier;
    const int32_t v = (p.bias + acc * m) >> 8;
    out[i] = static_cast<T>(std::clamp<int32_t>(v, std::numeric_limits<T>::min(),
                                                std::numeric_limits<T>::max()));
  }
}

// ---- LOGISTIC and ELU tables ----

// XNNPACK's sigmoid table (accepted only for output scale 1/256 with zero
// point 0 for uint8, -128 for int8): the scaled sigmoid is formed as
// 256 / (1 + e^-x) for x < 0 and 256 - 256 / (1 + e^x) otherwise, and
// rounded half to even.
template <typename T>
ByteTable MakeXnnpackSigmoidTable(float input_scale, int32_t input_zero_point,
                                  int32_t output_zero_point) {
  ByteTable table{};
  const float inv_output_scale = 256.0f;
  const int32_t lo = std::numeric_limits<T>::min();
  const int32_t hi = std::numeric_limits<T>::max();
  for (int32_t v = lo; v <= hi; ++v) {
    const float x = input_scale * static_cast<float>(v - input_zero_point);
    const float y = std::signbit(x)
                        ? inv_output_scale / (1.0f + std::exp(-x))
                        : inv_output_scale - inv_output_scale / (1.0f + std::exp(x));
    const float q = std::clamp(std::nearbyint(y) + static_cast<float>(output_zero_point),
                               static_cast<float>(lo), static_cast<float>(hi));
    table[static_cast<uint8_t>(static_cast<T>(v))] =
        static_cast<uint8_t>(static_cast<T>(static_cast<int32_t>(q)));
  }
  return table;
}

// XNNPACK's int8 ELU table (alpha 1): expm1 for negative inputs, identity
// otherwise, times 1 / s_out, rounded half to even.
inline ByteTable MakeXnnpackEluTable(float input_scale, int32_t input_zero_point,
                                     float output_scale, int32_t output_zero_point) {
  ByteTable table{};
  const float inv_output_scale = 1.0f / output_scale;
  for (int32_t v = -128; v <= 127; ++v) {
    const float x = input_scale * static_cast<float>(v - input_zero_point);
    const float y = std::signbit(x) ? std::expm1(x) : x;
    const float q = std::clamp(std::nearbyint(y * inv_output_scale) +
                                   static_cast<float>(output_zero_point),
                               -128.0f, 127.0f);
    table[static_cast<uint8_t>(static_cast<int8_t>(v))] =
        static_cast<uint8_t>(static_cast<int8_t>(static_cast<int32_t>(q)));
  }
  return table;
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_XNNPACK_QUANTIZED_H_
