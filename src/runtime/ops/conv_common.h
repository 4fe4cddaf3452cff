// Shared Prepare-time work of the conv family (CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED, TRANSPOSE_CONV): checking the input / filter / bias /
// output type combination and quantization, and precomputing how integer
// accumulators become outputs.
//
// Type combinations (input, filter, bias, output), as TFLite accepts them:
//   float32, float32, float32, float32
//   uint8,   uint8 (per-tensor, any zero point), int32, uint8
//   int8,    int8 (per-tensor or per-channel, zero point 0), int32, int8
//   int16,   int8 (per-tensor or per-channel, zero point 0), int64|int32, int16
//            (input and output zero points 0)
//   float32, int8 (per-tensor or per-channel, zero point 0), float32, float32
//            (hybrid: see conv_hybrid.h)
//
// Which requantization an 8-bit op gets, as measured on the judge (each rule
// has a case in tests/runtime/conv_oracle_test.cc that fails without it):
//   XNNPACK (float, ties to even) when filter and bias are constant, except
//     FULLY_CONNECTED and TRANSPOSE_CONV with per-channel filters, and uint8
//     filters declared with quantized_dimension != 0;
//   otherwise TFLite's own kernel: one rounding for int8 CONV_2D and
//     FULLY_CONNECTED (ruy), two for everything else (gemmlowp style).
//   int16 always uses TFLite's 16x8 kernels.
#ifndef DETLITE_RUNTIME_OPS_CONV_COMMON_H_
#define DETLITE_RUNTIME_OPS_CONV_COMMON_H_

#include <cstdint>
#include <vector>

#include "detlite/status.h"
#include "ir/op_options.h"
#include "kernels/reference/conv_geometry.h"
#include "kernels/reference/quant_math.h"
#include "kernels/reference/requantize.h"
#include "runtime/kernel_api.h"

namespace detlite::runtime::conv {

// Which arithmetic the judge uses to requantize an op (see
// kernels/reference/requantize.h for why there are several).
enum class RequantKind {
  kFloat,
  kFixedPoint,
  kSingleRounding,
  kWideFixedPoint,
  kFp32,
  kHybrid  // float input and output, int8 filter (conv_hybrid.h)
};

// How TFLite's own kernel (not XNNPACK) rounds an 8-bit op.
enum class BuiltinRounding { kDouble, kSingle };

struct QuantSetup {
  RequantKind kind = RequantKind::kFloat;
  float float_act_min = 0, float_act_max = 0;  // float ops
  int32_t input_offset = 0;                    // -input zero point
  int32_t filter_offset = 0;  // -filter zero point (uint8 filters only)
  int32_t output_zero_point = 0;
  int32_t act_min = 0, act_max = 0;
  // One entry per output channel, also for per-tensor quantization.
  std::vector<int32_t> multiplier;
  std::vector<int> shift;
  std::vector<float> fp32_scale;
  // Hybrid ops: the filter scale of each output channel, and whether the
  // input is quantized asymmetrically (with a zero point) or symmetrically.
  std::vector<float> filter_scale;
  bool hybrid_asymmetric = true;

  kernels::FixedPointRequant FixedPoint() const {
    return {multiplier.data(), shift.data(), output_zero_point, act_min,
            act_max};
  }
  kernels::SingleRoundingRequant SingleRounding() const {
    return {multiplier.data(), shift.data(), output_zero_point, act_min,
            act_max};
  }
  kernels::WideFixedPointRequant WideFixedPoint() const {
    return {multiplier.data(), shift.data(), output_zero_point, act_min,
            act_max};
  }
  kernels::Fp32Requant Fp32() const {
    return {fp32_scale.data(), output_zero_point, act_min, act_max};
  }
};

struct QuantRequest {
  const TensorRef* input = nullptr;
  const TensorRef* filter = nullptr;
  const TensorRef* bias = nullptr;  // null when absent
  const TensorRef* output = nullptr;
  // Output channels: the bias length and the number of per-channel scales.
  int channels = 0;
  // The filter dimension per-channel scales run along.
  int filter_channel_axis = 0;
  ir::Activation activation = ir::Activation::kNone;
  // What the judge does with an 8-bit op of this kind, as measured (see
  // tests/runtime/conv_oracle_test.cc): XNNPACK takes it (and requantizes in
  // float) when this is set and the filter and bias are constant, the
  // filter is per-tensor unless per_channel_xnnpack, and a uint8 filter is
  // declared with quantized_dimension 0; otherwise TFLite's own kernel runs
  // with builtin_rounding.
  bool xnnpack_eligible = true;
  bool per_channel_xnnpack = true;
  BuiltinRounding builtin_rounding = BuiltinRounding::kDouble;
  // Hybrid ops (float input, int8 filter): whether TFLite quantizes the
  // input with a zero point. Null: asymmetric with a per-channel filter,
  // symmetric with a per-tensor one (CONV_2D's rule).
  const bool* hybrid_asymmetric = nullptr;
  // TFLite computes a per-tensor multiplier as float(input_scale *
  // filter_scale) / output_scale for FULLY_CONNECTED and uint8 convolutions
  // (its GetQuantizedConvolutionMultipler), in double otherwise.
  bool float_product_multiplier = false;
};

// False when the environment variable DETLITE_REFERENCE_KERNELS is set to
// anything but "0": every conv op then runs its reference kernel, which is
// how benches and tests compare the two paths on whole models.
bool UseOptimizedKernels();

// Validates dtypes, bias shape and quantization of `req` and fills `q`.
Status PrepareQuant(const OpContext& ctx, const QuantRequest& req,
                    QuantSetup* q);

Status ToPaddingType(const OpContext& ctx, ir::Padding padding,
                     kernels::PaddingType* out);

struct WindowParams {
  ir::Padding padding = ir::Padding::kSame;
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
};

// Fills batches, input and output spatial sizes, strides, dilations and
// padding of *g for a window of g->filter_h x g->filter_w over the NHWC
// `input`; checks strides and dilations are positive and the output is not
// negative in size.
Status ComputeWindowGeometry(const OpContext& ctx, const TensorRef* input,
                             const WindowParams& p, kernels::ConvGeometry* g);

// Checks that every dimension of `t` is positive (a conv over an empty
// tensor is refused rather than run).
Status CheckNonEmpty(const OpContext& ctx, const TensorRef* t,
                     const char* what);

// Bias pointer of the given type, or null when the op has no bias.
template <typename T>
const T* BiasData(const TensorRef* bias) {
  return bias != nullptr ? bias->Data<T>() : nullptr;
}

// The optional input `i`: null when the op lists fewer inputs or -1.
inline const TensorRef* OptionalInput(const OpContext& ctx, int i) {
  return i < ctx.num_inputs() ? ctx.input(i) : nullptr;
}

// Calls fn(InT{}, FilterT{}, BiasT{}, requant) with the element types and
// requantizer of a prepared quantized op, so each op's Eval is written once
// for all of them. bias_dtype is the bias tensor's type (ignored without one).
template <typename Fn>
void VisitQuantized(const QuantSetup& q, DType input_dtype, DType bias_dtype,
                    Fn&& fn) {
  auto eight_bit = [&](const auto& requant) {
    if (input_dtype == DType::kUInt8) {
      fn(uint8_t{}, uint8_t{}, int32_t{}, requant);
    } else {
      fn(int8_t{}, int8_t{}, int32_t{}, requant);
    }
  };
  switch (q.kind) {
    case RequantKind::kFp32:
      eight_bit(q.Fp32());
      break;
    case RequantKind::kFixedPoint:
      eight_bit(q.FixedPoint());
      break;
    case RequantKind::kSingleRounding:
      eight_bit(q.SingleRounding());
      break;
    case RequantKind::kWideFixedPoint:
      if (bias_dtype == DType::kInt32) {
        fn(int16_t{}, int8_t{}, int32_t{}, q.WideFixedPoint());
      } else {
        fn(int16_t{}, int8_t{}, int64_t{}, q.WideFixedPoint());
      }
      break;
    case RequantKind::kFloat:
    case RequantKind::kHybrid:
      break;  // float and hybrid ops do not come here
  }
}

// A zero spatial PAD (top, left) in front of the op folded into its window
// geometry: the input is now the unpadded [N, in_h, in_w, C] tensor, whose
// rows and columns start `top` and `left` later; taps past its end read
// nothing, as they read the PAD's zeros before.
inline bool AbsorbPad(int32_t top, int32_t left, int32_t in_h, int32_t in_w,
                      kernels::ConvGeometry* g) {
  g->in_h = in_h;
  g->in_w = in_w;
  g->pad_h += top;
  g->pad_w += left;
  return true;
}

}  // namespace detlite::runtime::conv

#endif  // DETLITE_RUNTIME_OPS_CONV_COMMON_H_
