// CAST, ARG_MAX and ARG_MIN.
#include <memory>
#include <string>
#include <vector>

#include "kernels/reference/arg_min_max.h"
#include "kernels/reference/cast.h"
#include "core/fp16.h"
#include "runtime/op_registry.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;
using shape::OptionsOr;

// --- CAST ------------------------------------------------------------------

bool CastTypeSupported(DType t) {
  switch (t) {
    case DType::kFloat32: case DType::kFloat64: case DType::kFloat16:
    case DType::kInt8: case DType::kInt16: case DType::kInt32: case DType::kInt64:
    case DType::kUInt8: case DType::kUInt16: case DType::kUInt32: case DType::kUInt64:
    case DType::kBool:
      return true;
    default:
      return false;
  }
}

// Calls f.template operator()<T>() with T the C++ type of `t` (float16 is
// handled by the caller).
template <typename F>
void DispatchNumeric(DType t, F&& f) {
  switch (t) {
    case DType::kFloat32: f.template operator()<float>(); break;
    case DType::kFloat64: f.template operator()<double>(); break;
    case DType::kInt8: f.template operator()<int8_t>(); break;
    case DType::kInt16: f.template operator()<int16_t>(); break;
    case DType::kInt32: f.template operator()<int32_t>(); break;
    case DType::kInt64: f.template operator()<int64_t>(); break;
    case DType::kUInt8: f.template operator()<uint8_t>(); break;
    case DType::kUInt16: f.template operator()<uint16_t>(); break;
    case DType::kUInt32: f.template operator()<uint32_t>(); break;
    case DType::kUInt64: f.template operator()<uint64_t>(); break;
    default: f.template operator()<bool>(); break;
  }
}

Status CastPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  if (!CastTypeSupported(in.dtype)) return shape::UnsupportedType(ctx, in.dtype, "input");
  if (!CastTypeSupported(out.dtype)) return shape::UnsupportedType(ctx, out.dtype, "output");
  // TFLite converts between the tensors' own types and ignores CastOptions,
  // so detlite does too.
  ctx.SetOutputShape(0, in.shape);
  return Status::Ok();
}

Status CastEval(OpContext& ctx) {
  const TensorRef& in = *ctx.input(0);
  TensorRef* out = ctx.output(0);
  const int64_t n = in.NumElements();
  // float16 goes through float32, which holds every half value exactly and
  // rounds to half once on the way back.
  std::vector<float> widened;
  const void* src = in.data;
  DType src_type = in.dtype;
  if (in.dtype == DType::kFloat16) {
    widened.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) widened[static_cast<size_t>(i)] = HalfToFloat(in.Data<uint16_t>()[i]);
    src = widened.data();
    src_type = DType::kFloat32;
  }
  if (out->dtype == DType::kFloat16) {
    std::vector<float> narrowed(static_cast<size_t>(n));
    DispatchNumeric(src_type, [&]<typename From>() {
      ref::Cast<From, float>(static_cast<const From*>(src), n, narrowed.data());
    });
    for (int64_t i = 0; i < n; ++i) out->MutableData<uint16_t>()[i] = FloatToHalf(narrowed[static_cast<size_t>(i)]);
    return Status::Ok();
  }
  DispatchNumeric(src_type, [&]<typename From>() {
    DispatchNumeric(out->dtype, [&]<typename To>() {
      ref::Cast<From, To>(static_cast<const From*>(src), n, out->MutableData<To>());
    });
  });
  return Status::Ok();
}

// --- ARG_MAX / ARG_MIN -----------------------------------------------------

struct ArgData : OpData {
  int64_t outer = 1, axis_size = 1, inner = 1;
};

Status ArgPrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  switch (in.dtype) {
    case DType::kFloat32: case DType::kUInt8: case DType::kInt8: case DType::kInt16:
    case DType::kInt32: case DType::kInt64: case DType::kBool:
      break;
    default:
      return shape::UnsupportedType(ctx, in.dtype, "input");
  }
  if (out.dtype != DType::kInt32 && out.dtype != DType::kInt64) {
    return shape::UnsupportedType(ctx, out.dtype, "output");
  }
  ASSIGN_OR_RETURN(const ir::ArgMinMaxOptions opts, OptionsOr<ir::ArgMinMaxOptions>(ctx));
  if (std::holds_alternative<ir::ArgMinMaxOptions>(ctx.op().options) && opts.output_type != out.dtype) {
    return ctx.Error("output_type differs from the output tensor's type");
  }
  const TensorRef* axis_t = ctx.input(1);
  if (!shape::HasValues(axis_t)) return ctx.Error("axis must be constant");
  std::vector<int64_t> axis;
  RETURN_IF_ERROR(shape::ReadInts(ctx, axis_t, "axis", &axis));
  if (axis.size() != 1) return ctx.Error("axis must hold exactly one value");
  int a;
  RETURN_IF_ERROR(shape::NormalizeAxis(ctx, axis[0], in.shape.rank(), "axis", &a));
  if (in.shape.dim(a) <= 0) return ctx.Error("cannot reduce an empty axis");
  auto& data = ctx.SetData(std::make_unique<ArgData>());
  data.outer = shape::Product(in.shape, 0, a);
  data.axis_size = in.shape.dim(a);
  data.inner = shape::Product(in.shape, a + 1, in.shape.rank());
  std::vector<int32_t> dims = in.shape.dims();
  dims.erase(dims.begin() + a);
  ctx.SetOutputShape(0, Shape(std::move(dims)));
  return Status::Ok();
}

Status ArgEval(OpContext& ctx, bool is_max) {
  const auto& d = ctx.data<ArgData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef* out = ctx.output(0);
  DispatchNumeric(in.dtype, [&]<typename T>() {
    if (out->dtype == DType::kInt32) {
      ref::ArgMinMax<T, int32_t>(in.Data<T>(), d.outer, d.axis_size, d.inner, is_max,
                                 out->MutableData<int32_t>());
    } else {
      ref::ArgMinMax<T, int64_t>(in.Data<T>(), d.outer, d.axis_size, d.inner, is_max,
                                 out->MutableData<int64_t>());
    }
  });
  return Status::Ok();
}

Status ArgMaxEval(OpContext& ctx) { return ArgEval(ctx, true); }
Status ArgMinEval(OpContext& ctx) { return ArgEval(ctx, false); }

}  // namespace

void RegisterShapeMiscOps(OpRegistry* r) {
  r->Add(ir::OpKind::kCast, OpKernel{&CastPrepare, &CastEval});
  r->Add(ir::OpKind::kArgMax, OpKernel{&ArgPrepare, &ArgMaxEval});
  r->Add(ir::OpKind::kArgMin, OpKernel{&ArgPrepare, &ArgMinEval});
}

}  // namespace detlite::runtime
