#include "runtime/ops/elementwise_common.h"

#include <cmath>
#include <limits>

namespace detlite::runtime::elementwise {

using kernels::FusedActivation;

StatusOr<FusedActivation> ToFusedActivation(const OpContext& ctx,
                                            ir::Activation act) {
  switch (act) {
    case ir::Activation::kNone:
      return FusedActivation::kNone;
    case ir::Activation::kRelu:
      return FusedActivation::kRelu;
    case ir::Activation::kReluN1To1:
      return FusedActivation::kReluN1To1;
    case ir::Activation::kRelu6:
      return FusedActivation::kRelu6;
    case ir::Activation::kTanh:
    case ir::Activation::kSignBit:
      break;
  }
  return Status(StatusCode::kUnimplemented,
                ctx.Error("fused activation " +
                          std::to_string(static_cast<int>(act)) +
                          " is not supported (only NONE, RELU, RELU_N1_TO_1, "
                          "RELU6)")
                    .message());
}

void FloatActivationBounds(FusedActivation act, float* lo, float* hi) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  *lo = -kInf;
  *hi = kInf;
  switch (act) {
    case FusedActivation::kNone:
      break;
    case FusedActivation::kRelu:
      *lo = 0.0f;
      break;
    case FusedActivation::kRelu6:
      *lo = 0.0f;
      *hi = 6.0f;
      break;
    case FusedActivation::kReluN1To1:
      *lo = -1.0f;
      *hi = 1.0f;
      break;
  }
}

Status QuantizedActivationBounds(const OpContext& ctx, FusedActivation act,
                                 const TensorRef& output, int32_t* lo,
                                 int32_t* hi) {
  const float scale = output.scale();
  const int32_t zp = output.zero_point();
  switch (output.dtype) {
    case DType::kUInt8:
      kernels::QuantizedActivationRange<uint8_t>(act, scale, zp, lo, hi);
      break;
    case DType::kInt8:
      kernels::QuantizedActivationRange<int8_t>(act, scale, zp, lo, hi);
      break;
    case DType::kInt16:
      kernels::QuantizedActivationRange<int16_t>(act, scale, zp, lo, hi);
      break;
    default:
      return UnsupportedType(ctx, output.dtype);
  }
  if (*lo > *hi) {
    return ctx.Error("fused activation range is empty for output scale " +
                     std::to_string(scale) + " zero point " + std::to_string(zp));
  }
  return Status::Ok();
}

bool IsQuantized8(DType t) { return t == DType::kUInt8 || t == DType::kInt8; }

Status CheckPerTensorQuant(const OpContext& ctx, const TensorRef& t,
                           const char* what) {
  const QuantParams* q = t.quant;
  if (q == nullptr || q->scale.size() != 1 || q->zero_point.size() > 1) {
    return ctx.Error(std::string(what) + " '" + t.name() +
                     "' needs one per-tensor scale and zero point");
  }
  const float scale = q->scale[0];
  if (!(scale > 0.0f) || !std::isfinite(scale)) {
    return ctx.Error(std::string(what) + " '" + t.name() + "' has scale " +
                     std::to_string(scale));
  }
  const int64_t zp = q->zero_point.empty() ? 0 : q->zero_point[0];
  int64_t lo = 0, hi = 0;
  switch (t.dtype) {
    case DType::kUInt8:
      lo = 0;
      hi = 255;
      break;
    case DType::kInt8:
      lo = -128;
      hi = 127;
      break;
    case DType::kInt16:
      break;  // symmetric: zero point 0
    default:
      return UnsupportedType(ctx, t.dtype);
  }
  if (zp < lo || zp > hi) {
    return ctx.Error(std::string(what) + " '" + t.name() + "' " +
                     std::string(DTypeName(t.dtype)) + " has zero point " +
                     std::to_string(zp));
  }
  return Status::Ok();
}

Status CheckSameDType(const OpContext& ctx, const TensorRef& a,
                      const TensorRef& b, const char* what_b) {
  if (a.dtype != b.dtype) {
    return ctx.Error(std::string(what_b) + " '" + b.name() + "' is " +
                     std::string(DTypeName(b.dtype)) + ", expected " +
                     std::string(DTypeName(a.dtype)));
  }
  return Status::Ok();
}

Status UnsupportedType(const OpContext& ctx, DType t) {
  return Status(StatusCode::kUnimplemented,
                ctx.Error("does not support " + std::string(DTypeName(t)) +
                          " tensors")
                    .message());
}

}  // namespace detlite::runtime::elementwise
