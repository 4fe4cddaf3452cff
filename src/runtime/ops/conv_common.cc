#include "runtime/ops/conv_common.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace detlite::runtime::conv {
namespace {

using kernels::FusedActivation;

Status ToFusedActivation(const OpContext& ctx, ir::Activation a,
                         FusedActivation* out) {
  switch (a) {
    case ir::Activation::kNone:
      *out = FusedActivation::kNone;
      return Status::Ok();
    case ir::Activation::kRelu:
      *out = FusedActivation::kRelu;
      return Status::Ok();
    case ir::Activation::kReluN1To1:
      *out = FusedActivation::kReluN1To1;
      return Status::Ok();
    case ir::Activation::kRelu6:
      *out = FusedActivation::kRelu6;
      return Status::Ok();
    default:
      break;
  }
  return Unimplemented(ctx.Error("fused activation " +
                                 std::to_string(static_cast<int>(a)) +
                                 " is not supported by this op")
                           .message());
}

Status CheckBias(const OpContext& ctx, const QuantRequest& req, DType want,
                 DType also_ok) {
  if (req.bias == nullptr) return Status::Ok();
  if (req.bias->dtype != want && req.bias->dtype != also_ok) {
    RETURN_IF_ERROR(CheckDType(ctx, req.bias, want, "bias"));
  }
  if (req.bias->NumElements() != req.channels) {
    return ctx.Error("bias '" + req.bias->name() + "' has shape " +
                     req.bias->shape.ToString() + ", expected " +
                     std::to_string(req.channels) +
                     " elements (one per output channel)");
  }
  return Status::Ok();
}

// Per-tensor quantization of an activation tensor (input or output).
Status CheckActivationQuant(const OpContext& ctx, const TensorRef* t,
                            const char* what, bool zero_point_must_be_zero) {
  const QuantParams& q = *t->quant;
  if (q.scale.size() != 1 || q.zero_point.size() > 1) {
    return ctx.Error(std::string(what) + " '" + t->name() +
                     "' must be quantized per tensor (one scale), has " +
                     std::to_string(q.scale.size()) + " scales");
  }
  if (!(q.scale[0] > 0.0f) || !std::isfinite(q.scale[0])) {
    return ctx.Error(std::string(what) + " '" + t->name() + "' has scale " +
                     std::to_string(q.scale[0]) +
                     ", expected a positive number");
  }
  const int64_t zp = q.zero_point.empty() ? 0 : q.zero_point[0];
  int64_t lo = 0, hi = 0;
  switch (t->dtype) {
    case DType::kUInt8:
      lo = 0;
      hi = 255;
      break;
    case DType::kInt8:
      lo = -128;
      hi = 127;
      break;
    default:
      lo = hi = 0;
      break;  // int16: symmetric
  }
  if (zero_point_must_be_zero) lo = hi = 0;
  if (zp < lo || zp > hi) {
    return ctx.Error(std::string(what) + " '" + t->name() +
                     "' has zero point " + std::to_string(zp) + ", expected " +
                     (lo == hi ? std::to_string(lo)
                               : "[" + std::to_string(lo) + ", " +
                                     std::to_string(hi) + "]"));
  }
  return Status::Ok();
}

// Filter scales (one, or one per output channel along filter_channel_axis)
// and zero points (uint8: one in [0, 255]; int8: all 0). Fills *scales with
// one entry per output channel.
Status CheckFilterQuant(const OpContext& ctx, const QuantRequest& req,
                        std::vector<float>* scales, int32_t* zero_point) {
  const TensorRef* f = req.filter;
  const QuantParams& q = *f->quant;
  const std::string name = "filter '" + f->name() + "'";
  if (q.scale.empty()) return ctx.Error(name + " has no quantization scale");
  if (q.scale.size() != 1) {
    if (f->dtype != DType::kInt8) {
      return ctx.Error(
          name + " is " + std::string(DTypeName(f->dtype)) +
          " with per-channel scales; only int8 filters may be per-channel");
    }
    if (static_cast<int>(q.scale.size()) != req.channels) {
      return ctx.Error(name + " has " + std::to_string(q.scale.size()) +
                       " scales, expected 1 or " +
                       std::to_string(req.channels));
    }
    if (q.quantized_dimension != req.filter_channel_axis) {
      return ctx.Error(name + " is quantized along dimension " +
                       std::to_string(q.quantized_dimension) + ", expected " +
                       std::to_string(req.filter_channel_axis));
    }
  }
  for (float s : q.scale) {
    if (!(s >= 0.0f) || !std::isfinite(s)) {
      return ctx.Error(name + " has scale " + std::to_string(s) +
                       ", expected a non-negative number");
    }
  }
  if (q.zero_point.size() > 1 && q.zero_point.size() != q.scale.size()) {
    return ctx.Error(name + " has " + std::to_string(q.zero_point.size()) +
                     " zero points for " + std::to_string(q.scale.size()) +
                     " scales");
  }
  *zero_point = 0;
  if (f->dtype == DType::kUInt8) {
    const int64_t zp = q.zero_point.empty() ? 0 : q.zero_point[0];
    if (zp < 0 || zp > 255) {
      return ctx.Error(name + " has zero point " + std::to_string(zp) +
                       ", expected [0, 255]");
    }
    *zero_point = static_cast<int32_t>(zp);
  } else {
    // TFLite's int8 kernels ignore the filter zero point, so a non-zero one
    // would be silently wrong there: refuse it.
    for (int64_t zp : q.zero_point) {
      if (zp != 0) {
        return ctx.Error(name + " has zero point " + std::to_string(zp) +
                         "; int8 filters must be symmetric (zero point 0)");
      }
    }
  }
  scales->assign(static_cast<size_t>(req.channels), q.scale[0]);
  if (q.scale.size() > 1) scales->assign(q.scale.begin(), q.scale.end());
  return Status::Ok();
}

// Hybrid op: float input and output, int8 filter with zero point 0, float
// bias. The input is quantized per batch at Eval (conv_hybrid.h).
Status PrepareHybrid(const OpContext& ctx, const QuantRequest& req,
                     QuantSetup* q) {
  RETURN_IF_ERROR(CheckDType(ctx, req.output, DType::kFloat32, "output"));
  RETURN_IF_ERROR(CheckBias(ctx, req, DType::kFloat32, DType::kFloat32));
  std::vector<float> scales;
  int32_t zero_point = 0;
  RETURN_IF_ERROR(CheckFilterQuant(ctx, req, &scales, &zero_point));
  if (scales.size() == 1) scales.assign(static_cast<size_t>(req.channels), scales[0]);
  FusedActivation act;
  RETURN_IF_ERROR(ToFusedActivation(ctx, req.activation, &act));
  q->kind = RequantKind::kHybrid;
  kernels::FloatActivationRange(act, &q->float_act_min, &q->float_act_max);
  q->filter_scale = std::move(scales);
  q->hybrid_asymmetric = req.hybrid_asymmetric != nullptr
                             ? *req.hybrid_asymmetric
                             : req.filter->quant->scale.size() > 1;
  return Status::Ok();
}

Status PrepareFloat(const OpContext& ctx, const QuantRequest& req,
                    QuantSetup* q) {
  if (req.filter->dtype == DType::kInt8 && req.filter->quant != nullptr) {
    return PrepareHybrid(ctx, req, q);
  }
  if (req.filter->dtype != DType::kFloat32) {
    return Unimplemented(
        ctx.Error("float32 input with " +
                  std::string(DTypeName(req.filter->dtype)) +
                  " filter is not supported (hybrid ops need a quantized int8 filter)")
            .message());
  }
  RETURN_IF_ERROR(CheckDType(ctx, req.output, DType::kFloat32, "output"));
  RETURN_IF_ERROR(CheckBias(ctx, req, DType::kFloat32, DType::kFloat32));
  FusedActivation act;
  RETURN_IF_ERROR(ToFusedActivation(ctx, req.activation, &act));
  q->kind = RequantKind::kFloat;
  kernels::FloatActivationRange(act, &q->float_act_min, &q->float_act_max);
  return Status::Ok();
}

}  // namespace

bool UseOptimizedKernels() {
  static const bool use = [] {
    const char* v = std::getenv("DETLITE_REFERENCE_KERNELS");
    return v == nullptr || std::string(v) == "0";
  }();
  return use;
}

Status PrepareQuant(const OpContext& ctx, const QuantRequest& req,
                    QuantSetup* q) {
  const DType in = req.input->dtype;
  if (in == DType::kFloat32) return PrepareFloat(ctx, req, q);
  if (in != DType::kUInt8 && in != DType::kInt8 && in != DType::kInt16) {
    return Unimplemented(ctx.Error("input type " + std::string(DTypeName(in)) +
                                   " is not supported")
                             .message());
  }
  const bool wide = in == DType::kInt16;
  RETURN_IF_ERROR(CheckDType(ctx, req.filter,
                             in == DType::kUInt8 ? DType::kUInt8 : DType::kInt8,
                             "filter"));
  RETURN_IF_ERROR(CheckDType(ctx, req.output, in, "output"));
  RETURN_IF_ERROR(wide ? CheckBias(ctx, req, DType::kInt64, DType::kInt32)
                       : CheckBias(ctx, req, DType::kInt32, DType::kInt32));
  RETURN_IF_ERROR(CheckActivationQuant(ctx, req.input, "input", wide));
  RETURN_IF_ERROR(CheckActivationQuant(ctx, req.output, "output", wide));
  std::vector<float> filter_scales;
  int32_t filter_zero_point = 0;
  RETURN_IF_ERROR(
      CheckFilterQuant(ctx, req, &filter_scales, &filter_zero_point));

  const float input_scale = req.input->scale();
  const float output_scale = req.output->scale();
  q->input_offset = -req.input->zero_point();
  q->filter_offset = -filter_zero_point;
  q->output_zero_point = req.output->zero_point();

  const bool constant_weights =
      req.filter->is_constant && (req.bias == nullptr || req.bias->is_constant);
  const QuantParams& fq = *req.filter->quant;
  const bool per_channel = fq.scale.size() > 1;
  const bool xnnpack =
      req.xnnpack_eligible && constant_weights &&
      (req.per_channel_xnnpack || !per_channel) &&
      (req.filter->dtype != DType::kUInt8 || fq.quantized_dimension == 0);
  if (wide) {
    q->kind = RequantKind::kWideFixedPoint;
  } else if (xnnpack) {
    q->kind = RequantKind::kFp32;
  } else if (req.builtin_rounding == BuiltinRounding::kSingle) {
    q->kind = RequantKind::kSingleRounding;
  } else {
    q->kind = RequantKind::kFixedPoint;
  }

  FusedActivation act;
  RETURN_IF_ERROR(ToFusedActivation(ctx, req.activation, &act));
  int32_t qmin = -32768, qmax = 32767;
  if (in == DType::kUInt8) {
    qmin = 0;
    qmax = 255;
  }
  if (in == DType::kInt8) {
    qmin = -128;
    qmax = 127;
  }
  if (q->kind == RequantKind::kFp32) {
    float lo, hi;
    kernels::FloatActivationRange(act, &lo, &hi);
    q->act_min = kernels::Fp32QuantizeBound(lo, output_scale,
                                            q->output_zero_point, qmin, qmax);
    q->act_max = kernels::Fp32QuantizeBound(hi, output_scale,
                                            q->output_zero_point, qmin, qmax);
  } else if (in == DType::kUInt8) {
    kernels::QuantizedActivationRange<uint8_t>(
        act, output_scale, q->output_zero_point, &q->act_min, &q->act_max);
  } else if (in == DType::kInt8) {
    kernels::QuantizedActivationRange<int8_t>(
        act, output_scale, q->output_zero_point, &q->act_min, &q->act_max);
  } else {
    kernels::QuantizedActivationRange<int16_t>(
        act, output_scale, q->output_zero_point, &q->act_min, &q->act_max);
  }

  const size_t n = static_cast<size_t>(req.channels);
  q->multiplier.assign(n, 0);
  q->shift.assign(n, 0);
  q->fp32_scale.assign(n, 0.0f);
  for (size_t c = 0; c < n; ++c) {
    // Both forms are TFLite's; see QuantRequest::float_product_multiplier.
    const double real =
        req.float_product_multiplier && !per_channel
            ? static_cast<double>(input_scale * filter_scales[c]) /
                  static_cast<double>(output_scale)
            : static_cast<double>(input_scale) *
                  static_cast<double>(filter_scales[c]) /
                  static_cast<double>(output_scale);
    kernels::QuantizeMultiplier(real, &q->multiplier[c], &q->shift[c]);
    q->fp32_scale[c] =
        kernels::Fp32RequantScale(input_scale, filter_scales[c], output_scale);
  }
  return Status::Ok();
}

Status ToPaddingType(const OpContext& ctx, ir::Padding padding,
                     kernels::PaddingType* out) {
  switch (padding) {
    case ir::Padding::kSame:
      *out = kernels::PaddingType::kSame;
      return Status::Ok();
    case ir::Padding::kValid:
      *out = kernels::PaddingType::kValid;
      return Status::Ok();
  }
  return ctx.Error("unknown padding " +
                   std::to_string(static_cast<int>(padding)));
}

Status ComputeWindowGeometry(const OpContext& ctx, const TensorRef* input,
                             const WindowParams& p, kernels::ConvGeometry* g) {
  if (p.stride_h < 1 || p.stride_w < 1 || p.dilation_h < 1 ||
      p.dilation_w < 1) {
    return ctx.Error("strides (" + std::to_string(p.stride_h) + ", " +
                     std::to_string(p.stride_w) + ") and dilations (" +
                     std::to_string(p.dilation_h) + ", " +
                     std::to_string(p.dilation_w) + ") must be at least 1");
  }
  kernels::PaddingType padding;
  RETURN_IF_ERROR(ToPaddingType(ctx, p.padding, &padding));
  g->batches = input->shape.dim(0);
  g->in_h = input->shape.dim(1);
  g->in_w = input->shape.dim(2);
  g->stride_h = p.stride_h;
  g->stride_w = p.stride_w;
  g->dilation_h = p.dilation_h;
  g->dilation_w = p.dilation_w;
  const int64_t out_h = kernels::ConvOutputSize(padding, g->in_h, g->filter_h,
                                                g->stride_h, g->dilation_h);
  const int64_t out_w = kernels::ConvOutputSize(padding, g->in_w, g->filter_w,
                                                g->stride_w, g->dilation_w);
  if (out_h < 0 || out_w < 0) {
    return ctx.Error("filter " + std::to_string(g->filter_h) + "x" +
                     std::to_string(g->filter_w) + " (dilation " +
                     std::to_string(g->dilation_h) + "x" +
                     std::to_string(g->dilation_w) + ") does not fit the " +
                     std::to_string(g->in_h) + "x" + std::to_string(g->in_w) +
                     " input with VALID padding");
  }
  g->out_h = static_cast<int32_t>(out_h);
  g->out_w = static_cast<int32_t>(out_w);
  g->pad_h = kernels::ComputeAxisPadding(g->in_h, g->filter_h, g->stride_h,
                                         g->dilation_h, out_h)
                 .before;
  g->pad_w = kernels::ComputeAxisPadding(g->in_w, g->filter_w, g->stride_w,
                                         g->dilation_w, out_w)
                 .before;
  return Status::Ok();
}

Status CheckNonEmpty(const OpContext& ctx, const TensorRef* t,
                     const char* what) {
  for (int32_t d : t->shape.dims()) {
    if (d <= 0) {
      return ctx.Error(std::string(what) + " '" + t->name() + "' has shape " +
                       t->shape.ToString() +
                       "; every dimension must be positive");
    }
  }
  return Status::Ok();
}

}  // namespace detlite::runtime::conv
