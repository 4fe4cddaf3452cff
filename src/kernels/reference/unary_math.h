// Float elementwise functions of one input: EXP, SQRT, RSQRT, ABS, NEG,
// SQUARE, LOGISTIC, TANH, ELU, LOG, CEIL, FLOOR, ROUND (half to even, as
// TFLite's and TensorFlow's Round), SIN, COS, SIGN.
#ifndef DETLITE_KERNELS_REFERENCE_UNARY_MATH_H_
#define DETLITE_KERNELS_REFERENCE_UNARY_MATH_H_

#include <cmath>
#include <cstdint>

namespace detlite::kernels::reference {

enum class UnaryOp {
  kExp,
  kSqrt,
  kRsqrt,
  kAbs,
  kNeg,
  kSquare,
  kLogistic,
  kTanh,
  kElu,
  kLog,
  kCeil,
  kFloor,
  kRound,
  kSin,
  kCos,
  kSign,
};

inline float ApplyUnaryOp(UnaryOp op, float x) {
  switch (op) {
    case UnaryOp::kExp:
      return std::exp(x);
    case UnaryOp::kSqrt:
      return std::sqrt(x);
    case UnaryOp::kRsqrt:
      return 1.0f / std::sqrt(x);
    case UnaryOp::kAbs:
      return std::fabs(x);
    case UnaryOp::kNeg:
      return -x;
    case UnaryOp::kSquare:
      return x * x;
    case UnaryOp::kLogistic:
      // Written to avoid overflow of exp for large |x|; equal to
      // 1 / (1 + e^-x) within float rounding.
      if (x >= 0.0f) return 1.0f / (1.0f + std::exp(-x));
      {
        const float e = std::exp(x);
        return e / (1.0f + e);
      }
    case UnaryOp::kTanh:
      return std::tanh(x);
    case UnaryOp::kLog:
      return std::log(x);
    case UnaryOp::kCeil:
      return std::ceil(x);
    case UnaryOp::kFloor:
      return std::floor(x);
    case UnaryOp::kRound:
      // Half to even, keeping the sign of a zero result (-0.5 -> -0) as the
      // real runtime (XNNPACK) does; the default rounding mode is to nearest.
      return std::nearbyint(x);
    case UnaryOp::kElu:
      return x < 0.0f ? std::expm1(x) : x;
    case UnaryOp::kSin:
      return std::sin(x);
    case UnaryOp::kCos:
      return std::cos(x);
    case UnaryOp::kSign:
      // -1, 0 or 1; NaN stays NaN (TFLite's and TensorFlow's sign).
      return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x == 0.0f ? 0.0f : x;
  }
  return x;
}

inline void UnaryFloat(UnaryOp op, int64_t n, const float* in, float* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = ApplyUnaryOp(op, in[i]);
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_UNARY_MATH_H_
