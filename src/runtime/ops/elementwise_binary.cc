// ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE: two inputs of one
// type, broadcast against each other.
//
// Types, as in TFLite: float32 and int32 everywhere (int64 for ADD, SUB, MUL,
// MAXIMUM, MINIMUM); uint8/int8 ADD, SUB, MUL with requantization; int16 ADD
// and SUB (general scales, or the power-of-two path) and int16 MUL (zero
// points 0); MAXIMUM and MINIMUM of uint8/int8/int16 compare raw values, as
// TFLite does, whatever the quantization.
//
// uint8/int8 ADD, SUB and MUL run in XNNPACK in the real runtime whenever
// XNNPACK accepts their scales, with XNNPACK's requantization and clamp
// bounds (reference/xnnpack_quantized.h); TFLite's own arithmetic
// (reference/quantized_add.h, quantized_mul.h) covers the rest.
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "kernels/optimized/add_q8.h"
#include "kernels/reference/binary_arithmetic.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/quantized_add.h"
#include "kernels/reference/quantized_mul.h"
#include "kernels/reference/xnnpack_quantized.h"
#include "runtime/ops/elementwise_common.h"
#include "runtime/ops/elementwise_fast.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;
using elementwise::CheckPerTensorQuant;
using elementwise::CheckSameDType;

enum class Path {
  kPlain,        // float32, int32, int64, or raw 8/16-bit compare
  kQuantAdd,     // uint8/int8/int16 ADD and SUB, general scales
  kInt16PotAdd,  // int16 ADD and SUB, power-of-two scales
  kQuantMul,     // uint8/int8/int16 MUL
  kXnnpackAdd,   // uint8/int8 ADD and SUB that XNNPACK accepts
  kXnnpackMul,   // uint8/int8 MUL that XNNPACK accepts
};

struct BinaryData : OpData {
  Path path = Path::kPlain;
  DType dtype = DType::kFloat32;
  ref::BinaryOp op = ref::BinaryOp::kAdd;
  kernels::FusedActivation act = kernels::FusedActivation::kNone;
  ref::QuantizedAddParams add;
  ref::Int16PotAddParams pot;
  ref::QuantizedMulParams mul;
  ref::XnnpackAddParams xadd;
  ref::XnnpackMulParams xmul;
};

ref::BinaryOp OpFor(ir::OpKind kind) {
  switch (kind) {
    case ir::OpKind::kSub:
      return ref::BinaryOp::kSub;
    case ir::OpKind::kMul:
      return ref::BinaryOp::kMul;
    case ir::OpKind::kDiv:
      return ref::BinaryOp::kDiv;
    case ir::OpKind::kMaximum:
      return ref::BinaryOp::kMaximum;
    case ir::OpKind::kMinimum:
      return ref::BinaryOp::kMinimum;
    case ir::OpKind::kSquaredDifference:
      return ref::BinaryOp::kSquaredDifference;
    default:
      return ref::BinaryOp::kAdd;
  }
}

bool HasFusedActivation(ir::OpKind kind) {
  return kind == ir::OpKind::kAdd || kind == ir::OpKind::kSub ||
         kind == ir::OpKind::kMul || kind == ir::OpKind::kDiv;
}

bool IsPowerOfTwo(float scale, int* log2) {
  const double l = std::log2(static_cast<double>(scale));
  const double r = std::round(l);
  *log2 = static_cast<int>(r);
  // TFLite's CheckedLog2 tolerance.
  return std::abs(l - r) < 1e-3;
}

// Which type/op combinations run, before any quantization is looked at.
bool Supported(ir::OpKind kind, DType t) {
  switch (t) {
    case DType::kFloat32:
    case DType::kInt32:
      return true;
    case DType::kInt64:
      return kind != ir::OpKind::kDiv && kind != ir::OpKind::kSquaredDifference;
    case DType::kUInt8:
    case DType::kInt8:
    case DType::kInt16:
      return kind == ir::OpKind::kAdd || kind == ir::OpKind::kSub ||
             kind == ir::OpKind::kMul || kind == ir::OpKind::kMaximum ||
             kind == ir::OpKind::kMinimum;
    default:
      return false;
  }
}

Status PrepareQuantized(OpContext& ctx, BinaryData* d, const TensorRef& a,
                        const TensorRef& b, const TensorRef& out,
                        const ir::ArithmeticOptions& opts) {
  const ir::OpKind kind = ctx.op().kind;
  RETURN_IF_ERROR(CheckPerTensorQuant(ctx, a, "input 0"));
  RETURN_IF_ERROR(CheckPerTensorQuant(ctx, b, "input 1"));
  RETURN_IF_ERROR(CheckPerTensorQuant(ctx, out, "output"));
  int32_t lo = 0, hi = 0;
  RETURN_IF_ERROR(
      elementwise::QuantizedActivationBounds(ctx, d->act, out, &lo, &hi));
  if (elementwise::IsQuantized8(out.dtype)) {
    int32_t xlo = 0, xhi = 0;
    if (out.dtype == DType::kUInt8) {
      ref::XnnpackActivationRange<uint8_t>(d->act, out.scale(), out.zero_point(),
                                           &xlo, &xhi);
    } else {
      ref::XnnpackActivationRange<int8_t>(d->act, out.scale(), out.zero_point(),
                                          &xlo, &xhi);
    }
    if (kind == ir::OpKind::kMul &&
        ref::PrepareXnnpackMul(a.scale(), a.zero_point(), b.scale(),
                               b.zero_point(), out.scale(), out.zero_point(),
                               &d->xmul)) {
      d->path = Path::kXnnpackMul;
      d->xmul.activation_min = xlo;
      d->xmul.activation_max = xhi;
      return Status::Ok();
    }
    if (kind != ir::OpKind::kMul &&
        ref::PrepareXnnpackAdd(a.scale(), a.zero_point(), b.scale(),
                               b.zero_point(), out.scale(), out.zero_point(),
                               kind == ir::OpKind::kSub, &d->xadd)) {
      d->path = Path::kXnnpackAdd;
      d->xadd.activation_min = xlo;
      d->xadd.activation_max = xhi;
      return Status::Ok();
    }
  }
  if (kind == ir::OpKind::kMul) {
    d->path = Path::kQuantMul;
    ref::PrepareQuantizedMul(a.scale(), b.scale(), out.scale(), &d->mul);
    d->mul.input1_offset = -a.zero_point();
    d->mul.input2_offset = -b.zero_point();
    d->mul.output_offset = out.zero_point();
    d->mul.activation_min = lo;
    d->mul.activation_max = hi;
    return Status::Ok();
  }
  const int sign = kind == ir::OpKind::kSub ? -1 : 1;
  if (out.dtype == DType::kInt16 && opts.pot_scale_int16) {
    int la = 0, lb = 0, lo2 = 0;
    if (IsPowerOfTwo(a.scale(), &la) && IsPowerOfTwo(b.scale(), &lb) &&
        IsPowerOfTwo(out.scale(), &lo2)) {
      d->path = Path::kInt16PotAdd;
      d->pot.input1_shift = la - lo2;
      d->pot.input2_shift = lb - lo2;
      d->pot.subtract = sign < 0;
      d->pot.activation_min = lo;
      d->pot.activation_max = hi;
      if ((d->pot.input1_shift != 0 && d->pot.input2_shift != 0) ||
          d->pot.input1_shift > 0 || d->pot.input2_shift > 0) {
        return ctx.Error(
            "int16 power-of-two path needs one input at the output scale and "
            "the other at a finer or equal scale");
      }
      if (a.shape != b.shape) {
        return Status(StatusCode::kUnimplemented,
                      ctx.Error("int16 power-of-two path does not broadcast "
                                "(TFLite does not either)")
                          .message());
      }
      return Status::Ok();
    }
  }
  d->path = Path::kQuantAdd;
  const int left_shift = out.dtype == DType::kInt16 ? 15 : 20;
  ref::PrepareQuantizedAdd(a.scale(), b.scale(), out.scale(), left_shift, sign,
                           &d->add);
  d->add.input1_offset = -a.zero_point();
  d->add.input2_offset = -b.zero_point();
  d->add.output_offset = out.zero_point();
  d->add.activation_min = lo;
  d->add.activation_max = hi;
  return Status::Ok();
}

Status PrepareBinary(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& a = *ctx.input(0);
  const TensorRef& b = *ctx.input(1);
  TensorRef& out = *ctx.output(0);
  const ir::OpKind kind = ctx.op().kind;
  RETURN_IF_ERROR(CheckSameDType(ctx, a, b, "input 1"));
  RETURN_IF_ERROR(CheckSameDType(ctx, a, out, "output"));
  if (!Supported(kind, a.dtype)) return elementwise::UnsupportedType(ctx, a.dtype);

  Shape out_shape;
  if (!ref::BroadcastShapes(a.shape, b.shape, &out_shape)) {
    return ctx.Error("cannot broadcast " + a.shape.ToString() + " with " +
                     b.shape.ToString());
  }
  if (out_shape.rank() > ref::kMaxBroadcastRank && a.shape != b.shape) {
    return Status(StatusCode::kUnimplemented,
                  ctx.Error("broadcasting beyond " +
                            std::to_string(ref::kMaxBroadcastRank) +
                            " dimensions")
                      .message());
  }

  auto data = std::make_unique<BinaryData>();
  data->dtype = a.dtype;
  data->op = OpFor(kind);
  ir::ArithmeticOptions opts;
  if (HasFusedActivation(kind)) {
    ASSIGN_OR_RETURN(opts, elementwise::OptionsOr<ir::ArithmeticOptions>(ctx));
    ASSIGN_OR_RETURN(data->act,
                     elementwise::ToFusedActivation(ctx, opts.activation));
  }
  const bool quantized_math =
      (a.dtype == DType::kUInt8 || a.dtype == DType::kInt8 ||
       a.dtype == DType::kInt16) &&
      kind != ir::OpKind::kMaximum && kind != ir::OpKind::kMinimum;
  if (quantized_math) {
    RETURN_IF_ERROR(PrepareQuantized(ctx, data.get(), a, b, out, opts));
  }
  if (kind == ir::OpKind::kDiv && a.dtype == DType::kInt32 && b.is_constant) {
    const int32_t* div = b.Data<int32_t>();
    for (int64_t i = 0; i < b.NumElements(); ++i) {
      if (div[i] == 0) return ctx.Error("integer division by zero");
    }
  }
  ctx.SetData(std::move(data));
  ctx.SetOutputShape(0, std::move(out_shape));
  return Status::Ok();
}

template <typename T>
void EvalPlain(const BinaryData& d, const TensorRef& a, const TensorRef& b,
               TensorRef& out) {
  ref::BinaryParams<T> p;
  p.op = d.op;
  if constexpr (std::is_same_v<T, float>) {
    elementwise::FloatActivationBounds(d.act, &p.activation_min,
                                       &p.activation_max);
  } else {
    elementwise::IntActivationBounds(d.act, &p.activation_min,
                                     &p.activation_max);
  }
  ref::BinaryArithmetic(p, a.shape, a.Data<T>(), b.shape, b.Data<T>(),
                        out.shape, out.MutableData<T>());
}

template <typename T>
void EvalQuantized(const BinaryData& d, const TensorRef& a, const TensorRef& b,
                   TensorRef& out) {
  switch (d.path) {
    case Path::kQuantAdd:
      ref::QuantizedAdd(d.add, a.shape, a.Data<T>(), b.shape, b.Data<T>(),
                        out.shape, out.MutableData<T>());
      break;
    case Path::kQuantMul:
      ref::QuantizedMul(d.mul, a.shape, a.Data<T>(), b.shape, b.Data<T>(),
                        out.shape, out.MutableData<T>());
      break;
    case Path::kInt16PotAdd:
      if constexpr (std::is_same_v<T, int16_t>) {
        ref::Int16PotAdd(d.pot, a.shape, a.Data<T>(), b.shape, b.Data<T>(),
                         out.shape, out.MutableData<T>());
      }
      break;
    case Path::kXnnpackAdd:
      if constexpr (sizeof(T) == 1) {
        if (a.shape == b.shape && elementwise::UseFastFloat()) {
          kernels::optimized::AddQ8<T>(kernels::optimized::ActiveIsa(), d.xadd,
                                       a.Data<T>(), b.Data<T>(),
                                       out.NumElements(), out.MutableData<T>(),
                                       CurrentParallel());
          break;
        }
        ref::XnnpackAdd(d.xadd, a.shape, a.Data<T>(), b.shape, b.Data<T>(),
                        out.shape, out.MutableData<T>());
      }
      break;
    case Path::kXnnpackMul:
      if constexpr (sizeof(T) == 1) {
        ref::XnnpackMul(d.xmul, a.shape, a.Data<T>(), b.shape, b.Data<T>(),
                        out.shape, out.MutableData<T>());
      }
      break;
    case Path::kPlain:
      EvalPlain<T>(d, a, b, out);
      break;
  }
}

Status EvalBinary(OpContext& ctx) {
  const auto& d = ctx.data<BinaryData>();
  const TensorRef& a = *ctx.input(0);
  const TensorRef& b = *ctx.input(1);
  TensorRef& out = *ctx.output(0);
  switch (d.dtype) {
    case DType::kFloat32:
      if (d.op == ref::BinaryOp::kAdd && a.shape == b.shape &&
          elementwise::UseFastFloat()) {
        kernels::optimized::EltwiseF32Args e;
        elementwise::SplitRows(out.shape, &e.rows, &e.channels);
        e.x = a.Data<float>();
        e.res = b.Data<float>();
        e.res_c = e.channels;
        e.out = out.MutableData<float>();
        elementwise::FloatActivationBounds(d.act, &e.lo, &e.hi);
        elementwise::RunEltwise(e);
        break;
      }
      EvalPlain<float>(d, a, b, out);
      break;
    case DType::kInt32:
      if (d.op == ref::BinaryOp::kDiv) {
        const int32_t* div = b.Data<int32_t>();
        for (int64_t i = 0; i < b.NumElements(); ++i) {
          if (div[i] == 0) return ctx.Error("integer division by zero");
        }
      }
      EvalPlain<int32_t>(d, a, b, out);
      break;
    case DType::kInt64:
      EvalPlain<int64_t>(d, a, b, out);
      break;
    case DType::kUInt8:
      EvalQuantized<uint8_t>(d, a, b, out);
      break;
    case DType::kInt8:
      EvalQuantized<int8_t>(d, a, b, out);
      break;
    case DType::kInt16:
      EvalQuantized<int16_t>(d, a, b, out);
      break;
    default:
      return elementwise::UnsupportedType(ctx, d.dtype);
  }
  return Status::Ok();
}

}  // namespace

void RegisterElementwiseBinaryOps(OpRegistry* r) {
  const OpKernel k{&PrepareBinary, &EvalBinary};
  for (ir::OpKind kind :
       {ir::OpKind::kAdd, ir::OpKind::kSub, ir::OpKind::kMul, ir::OpKind::kDiv,
        ir::OpKind::kMaximum, ir::OpKind::kMinimum,
        ir::OpKind::kSquaredDifference}) {
    r->Add(kind, k);
  }
}

}  // namespace detlite::runtime
