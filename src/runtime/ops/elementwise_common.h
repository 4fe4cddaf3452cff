// Helpers shared by the elementwise family's Prepare functions
// (elementwise_*.cc): option lookup, fused-activation ranges, and the
// quantization checks every quantized kernel needs.
#ifndef DETLITE_RUNTIME_OPS_ELEMENTWISE_COMMON_H_
#define DETLITE_RUNTIME_OPS_ELEMENTWISE_COMMON_H_

#include <cstdint>
#include <limits>
#include <string>
#include <variant>

#include "detlite/status.h"
#include "ir/op_options.h"
#include "kernels/reference/quant_math.h"
#include "runtime/kernel_api.h"

namespace detlite::runtime::elementwise {

// The op's options of type T, or the defaults when the op carries none
// (std::monostate); an error if it carries options of another type.
template <typename T>
StatusOr<T> OptionsOr(const OpContext& ctx) {
  if (const T* o = std::get_if<T>(&ctx.op().options)) return *o;
  if (std::holds_alternative<std::monostate>(ctx.op().options)) return T{};
  return ctx.Error("has options of an unexpected type");
}

// NONE, RELU, RELU_N1_TO_1 and RELU6 are what TFLite's arithmetic, pooling
// and similar kernels implement; TANH and SIGN_BIT are rejected.
StatusOr<kernels::FusedActivation> ToFusedActivation(const OpContext& ctx,
                                                     ir::Activation act);

// Float clamp bounds of a fused activation. Open ends are +/-infinity (not
// +/-FLT_MAX) so infinities pass through unclamped, as in XNNPACK, which
// runs TFLite's float arithmetic in the real runtime.
void FloatActivationBounds(kernels::FusedActivation act, float* lo, float* hi);

// Integer (non-quantized) activation bounds within T's range.
template <typename T>
void IntActivationBounds(kernels::FusedActivation act, T* lo, T* hi) {
  *lo = std::numeric_limits<T>::lowest();
  *hi = std::numeric_limits<T>::max();
  switch (act) {
    case kernels::FusedActivation::kNone:
      break;
    case kernels::FusedActivation::kRelu:
      *lo = 0;
      break;
    case kernels::FusedActivation::kRelu6:
      *lo = 0;
      *hi = 6;
      break;
    case kernels::FusedActivation::kReluN1To1:
      *lo = static_cast<T>(-1);
      *hi = 1;
      break;
  }
}

// Quantized activation range of an 8/16-bit output type.
Status QuantizedActivationBounds(const OpContext& ctx,
                                 kernels::FusedActivation act,
                                 const TensorRef& output, int32_t* lo,
                                 int32_t* hi);

bool IsQuantized8(DType t);  // uint8 or int8

// A per-tensor scale > 0 and a zero point inside the type's range (0 for
// int16, as TFLite's int16 kernels require).
Status CheckPerTensorQuant(const OpContext& ctx, const TensorRef& t,
                           const char* what);

Status CheckSameDType(const OpContext& ctx, const TensorRef& a,
                      const TensorRef& b, const char* what_b);

// "ADD does not support int64 inputs" style error.
Status UnsupportedType(const OpContext& ctx, DType t);

}  // namespace detlite::runtime::elementwise

#endif  // DETLITE_RUNTIME_OPS_ELEMENTWISE_COMMON_H_
