// Activations: RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1, LEAKY_RELU, PRELU,
// HARD_SWISH, LOGISTIC, TANH, ELU.
//
// Quantized types follow what the real runtime runs. TFLite's builtin
// kernels: RELU-style ops requantize from input to output scale; TANH goes
// through a 256-entry table filled from float math (TFLite's optimized path;
// its reference kernels use fixed point and differ in some LSBs); PRELU uses
// two fixed-point multipliers; HARD_SWISH the 16-bit fixed-point scheme of
// reference/hard_swish.h. XNNPACK, which the runtime delegates these to when
// it accepts the parameters: 8-bit LEAKY_RELU, LOGISTIC and int8 ELU
// (reference/xnnpack_quantized.h), with TFLite's kernels as the fallback.
#include <cstdint>
#include <limits>
#include <memory>

#include "kernels/optimized/sigmoid_f32.h"
#include "kernels/reference/activations.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/hard_swish.h"
#include "kernels/reference/lookup_table.h"
#include "kernels/reference/prelu.h"
#include "kernels/reference/unary_math.h"
#include "kernels/reference/xnnpack_quantized.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_fast.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;
using elementwise::CheckPerTensorQuant;
using elementwise::CheckSameDType;

constexpr float kInf = std::numeric_limits<float>::infinity();

// Checks shared by every single-input activation; sets the output shape.
Status PrepareUnaryCommon(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  RETURN_IF_ERROR(CheckSameDType(ctx, *ctx.input(0), *ctx.output(0), "output"));
  ctx.SetOutputShape(0, ctx.input(0)->shape);
  return Status::Ok();
}

Status CheckQuantPair(const OpContext& ctx) {
  RETURN_IF_ERROR(CheckPerTensorQuant(ctx, *ctx.input(0), "input"));
  return CheckPerTensorQuant(ctx, *ctx.output(0), "output");
}

// ---- RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1 ----

struct ClampData : OpData {
  DType dtype = DType::kFloat32;
  float lo = 0.0f, hi = kInf;
  ref::QuantizedClampParams q;
};

void ClampBounds(ir::OpKind kind, float* lo, float* hi) {
  switch (kind) {
    case ir::OpKind::kRelu6:
      *lo = 0.0f;
      *hi = 6.0f;
      break;
    case ir::OpKind::kReluN1To1:
      *lo = -1.0f;
      *hi = 1.0f;
      break;
    case ir::OpKind::kRelu0To1:
      *lo = 0.0f;
      *hi = 1.0f;
      break;
    default:
      *lo = 0.0f;
      *hi = kInf;
      break;
  }
}

Status PrepareClamp(OpContext& ctx) {
  RETURN_IF_ERROR(PrepareUnaryCommon(ctx));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  const ir::OpKind kind = ctx.op().kind;
  auto d = std::make_unique<ClampData>();
  d->dtype = in.dtype;
  ClampBounds(kind, &d->lo, &d->hi);
  const bool int16_ok = kind == ir::OpKind::kRelu || kind == ir::OpKind::kRelu6;
  if (in.dtype == DType::kUInt8 || in.dtype == DType::kInt8 ||
      (in.dtype == DType::kInt16 && int16_ok)) {
    RETURN_IF_ERROR(CheckQuantPair(ctx));
    d->q.input_zero_point = in.zero_point();
    d->q.output_zero_point = out.zero_point();
    // Scale ratios are formed in float, as TFLite does, then widened.
    const float ratio = in.scale() / out.scale();
    kernels::QuantizeMultiplier(ratio, &d->q.output_multiplier,
                                &d->q.output_shift);
    switch (in.dtype) {
      case DType::kUInt8:
        ref::QuantizedClampRange<uint8_t>(d->lo, d->hi, out.scale(),
                                          out.zero_point(), &d->q.activation_min,
                                          &d->q.activation_max);
        break;
      case DType::kInt8:
        ref::QuantizedClampRange<int8_t>(d->lo, d->hi, out.scale(),
                                         out.zero_point(), &d->q.activation_min,
                                         &d->q.activation_max);
        break;
      default:
        ref::QuantizedClampRange<int16_t>(d->lo, d->hi, out.scale(),
                                          out.zero_point(), &d->q.activation_min,
                                          &d->q.activation_max);
        break;
    }
  } else if (in.dtype != DType::kFloat32) {
    return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetData(std::move(d));
  return Status::Ok();
}

Status EvalClamp(OpContext& ctx) {
  const auto& d = ctx.data<ClampData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  const int64_t n = in.NumElements();
  switch (d.dtype) {
    case DType::kFloat32:
      if (elementwise::UseFastFloat()) {
        kernels::optimized::EltwiseF32Args e;
        elementwise::SplitRows(in.shape, &e.rows, &e.channels);
        e.x = in.Data<float>();
        e.out = out.MutableData<float>();
        e.lo = d.lo;
        e.hi = d.hi;
        elementwise::RunEltwise(e);
        break;
      }
      ref::ClampFloat(d.lo, d.hi, n, in.Data<float>(), out.MutableData<float>());
      break;
    case DType::kUInt8:
      ref::QuantizedClamp(d.q, n, in.Data<uint8_t>(), out.MutableData<uint8_t>());
      break;
    case DType::kInt8:
      ref::QuantizedClamp(d.q, n, in.Data<int8_t>(), out.MutableData<int8_t>());
      break;
    case DType::kInt16:
      ref::QuantizedClamp(d.q, n, in.Data<int16_t>(), out.MutableData<int16_t>());
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

// ---- LEAKY_RELU ----

struct LeakyReluData : OpData {
  DType dtype = DType::kFloat32;
  float alpha = 0.0f;
  bool xnnpack = false;
  ref::QuantizedLeakyReluParams q;
  ref::XnnpackLeakyReluParams x;
};

Status PrepareLeakyRelu(OpContext& ctx) {
  RETURN_IF_ERROR(PrepareUnaryCommon(ctx));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  ASSIGN_OR_RETURN(const ir::LeakyReluOptions opts,
                   elementwise::OptionsOr<ir::LeakyReluOptions>(ctx));
  auto d = std::make_unique<LeakyReluData>();
  d->dtype = in.dtype;
  d->alpha = opts.alpha;
  if (in.dtype == DType::kUInt8 || in.dtype == DType::kInt8 ||
      in.dtype == DType::kInt16) {
    RETURN_IF_ERROR(CheckQuantPair(ctx));
    d->q.input_zero_point = in.zero_point();
    d->q.output_zero_point = out.zero_point();
    // Scale ratios are formed in float, as TFLite does, then widened.
    const float alpha_ratio = in.scale() * opts.alpha / out.scale();
    const float identity_ratio = in.scale() / out.scale();
    kernels::QuantizeMultiplier(alpha_ratio, &d->q.alpha_multiplier,
                                &d->q.alpha_shift);
    kernels::QuantizeMultiplier(identity_ratio, &d->q.identity_multiplier,
                                &d->q.identity_shift);
    d->xnnpack = elementwise::IsQuantized8(in.dtype) &&
                 ref::PrepareXnnpackLeakyRelu(in.scale(), in.zero_point(),
                                              out.scale(), out.zero_point(),
                                              opts.alpha, &d->x);
  } else if (in.dtype != DType::kFloat32) {
    return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetData(std::move(d));
  return Status::Ok();
}

Status EvalLeakyRelu(OpContext& ctx) {
  const auto& d = ctx.data<LeakyReluData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  const int64_t n = in.NumElements();
  switch (d.dtype) {
    case DType::kFloat32:
      ref::LeakyReluFloat(d.alpha, n, in.Data<float>(), out.MutableData<float>());
      break;
    case DType::kUInt8:
      if (d.xnnpack) {
        ref::XnnpackLeakyRelu(d.x, n, in.Data<uint8_t>(), out.MutableData<uint8_t>());
      } else {
        ref::QuantizedLeakyRelu(d.q, n, in.Data<uint8_t>(),
                                out.MutableData<uint8_t>());
      }
      break;
    case DType::kInt8:
      if (d.xnnpack) {
        ref::XnnpackLeakyRelu(d.x, n, in.Data<int8_t>(), out.MutableData<int8_t>());
      } else {
        ref::QuantizedLeakyRelu(d.q, n, in.Data<int8_t>(), out.MutableData<int8_t>());
      }
      break;
    case DType::kInt16:
      ref::QuantizedLeakyRelu(d.q, n, in.Data<int16_t>(),
                              out.MutableData<int16_t>());
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

// ---- PRELU ----

struct PreluData : OpData {
  DType dtype = DType::kFloat32;
  bool per_channel = false;  // alpha [..., C]: the optimized float rows
  ref::QuantizedPreluParams q;
};

Status PreparePrelu(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& alpha = *ctx.input(1);
  const TensorRef& out = *ctx.output(0);
  RETURN_IF_ERROR(CheckSameDType(ctx, in, alpha, "alpha"));
  RETURN_IF_ERROR(CheckSameDType(ctx, in, out, "output"));
  Shape bshape;
  if (!ref::BroadcastShapes(in.shape, alpha.shape, &bshape) ||
      bshape != in.shape) {
    return ctx.Error("alpha " + alpha.shape.ToString() +
                     " does not broadcast to the input " + in.shape.ToString());
  }
  auto d = std::make_unique<PreluData>();
  d->dtype = in.dtype;
  d->per_channel = elementwise::PerChannel(alpha.shape, in.shape);
  if (in.dtype == DType::kUInt8 || in.dtype == DType::kInt8) {
    RETURN_IF_ERROR(CheckQuantPair(ctx));
    RETURN_IF_ERROR(CheckPerTensorQuant(ctx, alpha, "alpha"));
    d->q.input_zero_point = in.zero_point();
    d->q.alpha_zero_point = alpha.zero_point();
    d->q.output_zero_point = out.zero_point();
    // Scale ratios are formed in float, as TFLite does, then widened.
    const float identity_ratio = in.scale() / out.scale();
    const float alpha_ratio = in.scale() * alpha.scale() / out.scale();
    kernels::QuantizeMultiplier(identity_ratio, &d->q.identity_multiplier,
                                &d->q.identity_shift);
    kernels::QuantizeMultiplier(alpha_ratio, &d->q.alpha_multiplier,
                                &d->q.alpha_shift);
  } else if (in.dtype != DType::kFloat32) {
    return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetData(std::move(d));
  ctx.SetOutputShape(0, in.shape);
  return Status::Ok();
}

Status EvalPrelu(OpContext& ctx) {
  const auto& d = ctx.data<PreluData>();
  const TensorRef& in = *ctx.input(0);
  const TensorRef& alpha = *ctx.input(1);
  TensorRef& out = *ctx.output(0);
  switch (d.dtype) {
    case DType::kFloat32:
      if (d.per_channel && elementwise::UseFastFloat()) {
        kernels::optimized::EltwiseF32Args e;
        e.channels = in.shape.dim(in.shape.rank() - 1);
        e.rows = e.channels > 0 ? in.NumElements() / e.channels : 0;
        e.x = in.Data<float>();
        e.out = out.MutableData<float>();
        e.alpha = alpha.Data<float>();
        elementwise::RunEltwise(e);
        break;
      }
      ref::PreluFloat(in.shape, in.Data<float>(), alpha.shape,
                      alpha.Data<float>(), out.shape, out.MutableData<float>());
      break;
    case DType::kUInt8:
      ref::QuantizedPrelu(d.q, in.shape, in.Data<uint8_t>(), alpha.shape,
                          alpha.Data<uint8_t>(), out.shape,
                          out.MutableData<uint8_t>());
      break;
    case DType::kInt8:
      ref::QuantizedPrelu(d.q, in.shape, in.Data<int8_t>(), alpha.shape,
                          alpha.Data<int8_t>(), out.shape,
                          out.MutableData<int8_t>());
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

// ---- HARD_SWISH ----

struct HardSwishData : OpData {
  DType dtype = DType::kFloat32;
  ref::QuantizedHardSwishParams q;
};

Status PrepareHardSwish(OpContext& ctx) {
  RETURN_IF_ERROR(PrepareUnaryCommon(ctx));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  auto d = std::make_unique<HardSwishData>();
  d->dtype = in.dtype;
  if (elementwise::IsQuantized8(in.dtype)) {
    RETURN_IF_ERROR(CheckQuantPair(ctx));
    if (!ref::PrepareQuantizedHardSwish(in.scale(), in.zero_point(),
                                        out.scale(), out.zero_point(), &d->q)) {
      return ctx.Error("output scale must be at least input scale / 256");
    }
  } else if (in.dtype != DType::kFloat32) {
    return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetData(std::move(d));
  return Status::Ok();
}

Status EvalHardSwish(OpContext& ctx) {
  const auto& d = ctx.data<HardSwishData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  const int64_t n = in.NumElements();
  switch (d.dtype) {
    case DType::kFloat32:
      ref::HardSwishFloat(n, in.Data<float>(), out.MutableData<float>());
      break;
    case DType::kUInt8:
      ref::QuantizedHardSwish(d.q, n, in.Data<uint8_t>(),
                              out.MutableData<uint8_t>());
      break;
    case DType::kInt8:
      ref::QuantizedHardSwish(d.q, n, in.Data<int8_t>(), out.MutableData<int8_t>());
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

// ---- LOGISTIC, TANH, ELU ----

struct TableData : OpData {
  DType dtype = DType::kFloat32;
  ref::UnaryOp op = ref::UnaryOp::kLogistic;
  ref::ByteTable table{};
};

Status PrepareTableActivation(OpContext& ctx) {
  RETURN_IF_ERROR(PrepareUnaryCommon(ctx));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  const ir::OpKind kind = ctx.op().kind;
  auto d = std::make_unique<TableData>();
  d->dtype = in.dtype;
  float (*fn)(float) = &ref::LogisticForTable;
  if (kind == ir::OpKind::kTanh) {
    d->op = ref::UnaryOp::kTanh;
    fn = &ref::TanhForTable;
  } else if (kind == ir::OpKind::kElu) {
    d->op = ref::UnaryOp::kElu;
    fn = &ref::EluForTable;
  }
  const bool quantized =
      in.dtype == DType::kInt8 ||
      (in.dtype == DType::kUInt8 && kind != ir::OpKind::kElu);
  if (quantized) {
    RETURN_IF_ERROR(CheckQuantPair(ctx));
    // TFLite insists on this exact output scale for 8-bit LOGISTIC (its
    // zero point is not checked on the table path).
    if (kind == ir::OpKind::kLogistic && out.scale() != 1.0f / 256.0f) {
      return ctx.Error("8-bit LOGISTIC needs output scale 1/256, has " +
                       std::to_string(out.scale()));
    }
    const int32_t xnn_sigmoid_zp = in.dtype == DType::kUInt8 ? 0 : -128;
    if (kind == ir::OpKind::kLogistic && out.zero_point() == xnn_sigmoid_zp) {
      // The zero point XNNPACK insists on; with any other the runtime keeps
      // TFLite's table.
      d->table = in.dtype == DType::kUInt8
                     ? ref::MakeXnnpackSigmoidTable<uint8_t>(
                           in.scale(), in.zero_point(), out.zero_point())
                     : ref::MakeXnnpackSigmoidTable<int8_t>(
                           in.scale(), in.zero_point(), out.zero_point());
    } else if (kind == ir::OpKind::kElu) {
      d->table = ref::MakeXnnpackEluTable(in.scale(), in.zero_point(),
                                          out.scale(), out.zero_point());
    } else if (in.dtype == DType::kUInt8) {
      d->table = ref::MakeByteTable<uint8_t>(in.scale(), in.zero_point(),
                                             out.scale(), out.zero_point(), fn);
    } else {
      d->table = ref::MakeByteTable<int8_t>(in.scale(), in.zero_point(),
                                            out.scale(), out.zero_point(), fn);
    }
  } else if (in.dtype != DType::kFloat32) {
    return elementwise::UnsupportedType(ctx, in.dtype);
  }
  ctx.SetData(std::move(d));
  return Status::Ok();
}

Status EvalTableActivation(OpContext& ctx) {
  const auto& d = ctx.data<TableData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef& out = *ctx.output(0);
  const int64_t n = in.NumElements();
  switch (d.dtype) {
    case DType::kFloat32:
      if (d.op == ref::UnaryOp::kLogistic && elementwise::UseFastFloat()) {
        kernels::optimized::SigmoidF32(kernels::optimized::ActiveIsa(), n,
                                       in.Data<float>(), out.MutableData<float>(),
                                       CurrentParallel());
        break;
      }
      ref::UnaryFloat(d.op, n, in.Data<float>(), out.MutableData<float>());
      break;
    case DType::kUInt8:
      ref::ApplyByteTable(d.table, n, in.Data<uint8_t>(),
                          out.MutableData<uint8_t>());
      break;
    case DType::kInt8:
      ref::ApplyByteTable(d.table, n, in.Data<int8_t>(), out.MutableData<int8_t>());
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

}  // namespace

void RegisterElementwiseActivationOps(OpRegistry* r) {
  for (ir::OpKind kind : {ir::OpKind::kRelu, ir::OpKind::kRelu6,
                          ir::OpKind::kReluN1To1, ir::OpKind::kRelu0To1}) {
    r->Add(kind, OpKernel{&PrepareClamp, &EvalClamp});
  }
  r->Add(ir::OpKind::kLeakyRelu, OpKernel{&PrepareLeakyRelu, &EvalLeakyRelu});
  r->Add(ir::OpKind::kPrelu, OpKernel{&PreparePrelu, &EvalPrelu});
  r->Add(ir::OpKind::kHardSwish, OpKernel{&PrepareHardSwish, &EvalHardSwish});
  for (ir::OpKind kind :
       {ir::OpKind::kLogistic, ir::OpKind::kTanh, ir::OpKind::kElu}) {
    r->Add(kind, OpKernel{&PrepareTableActivation, &EvalTableActivation});
  }
}

}  // namespace detlite::runtime
