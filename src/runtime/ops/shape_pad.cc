// PAD, PADV2 and MIRROR_PAD. Paddings come from an int32/int64 [rank, 2]
// tensor; quantized PAD pads with the output zero point (what the real
// value 0 quantizes to), PADV2 with its constant, copied as stored.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "kernels/optimized/pad.h"
#include "kernels/reference/pad.h"
#include "runtime/ops/conv_common.h"
#include "runtime/op_registry.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;
using shape::OptionsOr;

struct PadData : OpData {
  ref::PadGeometry geometry;
  bool at_eval = false;         // paddings known only when the model runs
  bool mirror = false;
  bool symmetric = false;
  uint64_t pad_bits = 0;        // the pad value's bytes (PAD/PADV2)
};

bool PadTypeSupported(DType t) {
  return t == DType::kFloat32 || t == DType::kUInt8 || t == DType::kInt8 ||
         t == DType::kInt16 || t == DType::kInt32 || t == DType::kInt64 ||
         t == DType::kBool || t == DType::kFloat16;
}

// Reads [rank, 2] paddings and checks them against the input.
Status ReadPaddings(const OpContext& ctx, const Shape& in, const TensorRef* paddings,
                    bool mirror, bool symmetric, ref::PadGeometry* g) {
  if (paddings->shape.rank() != 2 || paddings->shape.dim(0) != in.rank() ||
      paddings->shape.dim(1) != 2) {
    return ctx.Error("paddings shape " + paddings->shape.ToString() + " should be [" +
                     std::to_string(in.rank()) + ",2]");
  }
  std::vector<int64_t> p;
  RETURN_IF_ERROR(shape::ReadInts(ctx, paddings, "paddings", &p));
  g->input_dims = shape::Dims64(in);
  g->before.clear();
  g->after.clear();
  for (int d = 0; d < in.rank(); ++d) {
    const int64_t before = p[static_cast<size_t>(2 * d)], after = p[static_cast<size_t>(2 * d + 1)];
    if (before < 0 || after < 0) return ctx.Error("paddings must not be negative");
    // TensorFlow's limit for MIRROR_PAD; beyond it TFLite reads past the
    // input.
    const int64_t limit = mirror ? in.dim(d) - (symmetric ? 0 : 1) : INT32_MAX;
    if (before > limit || after > limit) {
      return ctx.Error("padding of dimension " + std::to_string(d) + " exceeds " +
                       std::to_string(limit) + " for a mirror pad of " + in.ToString());
    }
    g->before.push_back(before);
    g->after.push_back(after);
  }
  return Status::Ok();
}

Shape OutputShape(const ref::PadGeometry& g) {
  std::vector<int32_t> dims;
  for (int64_t d : g.OutputDims()) dims.push_back(static_cast<int32_t>(d));
  return Shape(std::move(dims));
}

Status PadPrepareCommon(OpContext& ctx, ir::OpKind kind) {
  const bool mirror = kind == ir::OpKind::kMirrorPad;
  const bool v2 = kind == ir::OpKind::kPadv2;
  RETURN_IF_ERROR(CheckInputCount(ctx, 2, v2 ? 3 : 2));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  if (!PadTypeSupported(in.dtype)) return shape::UnsupportedType(ctx, in.dtype, "input");
  RETURN_IF_ERROR(CheckDType(ctx, &out, in.dtype, "output"));
  auto& data = ctx.SetData(std::make_unique<PadData>());
  data.mirror = mirror;
  if (mirror) {
    ASSIGN_OR_RETURN(const ir::MirrorPadOptions opts, OptionsOr<ir::MirrorPadOptions>(ctx));
    data.symmetric = opts.symmetric;
  }
  const bool quantized = in.dtype == DType::kUInt8 || in.dtype == DType::kInt8 ||
                         in.dtype == DType::kInt16;
  const TensorRef* constant = v2 && ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
  if (constant != nullptr) {
    RETURN_IF_ERROR(CheckDType(ctx, constant, in.dtype, "constant_values"));
    if (constant->NumElements() != 1 || !shape::HasValues(constant)) {
      return ctx.Error("constant_values must be one constant value");
    }
    if (quantized && !shape::SameQuant(*constant, out)) {
      return ctx.Error("constant_values must share the output's scale and zero point");
    }
    std::memcpy(&data.pad_bits, constant->data, DTypeSize(in.dtype));
  } else if (!mirror && quantized) {
    const int64_t zp = out.zero_point();
    const bool in_range = in.dtype == DType::kUInt8 ? (zp >= 0 && zp <= 255)
                          : in.dtype == DType::kInt8 ? (zp >= -128 && zp <= 127)
                                                     : (zp >= -32768 && zp <= 32767);
    if (!in_range) return ctx.Error("output zero point " + std::to_string(zp) + " is out of range");
    const int64_t bits = zp;
    std::memcpy(&data.pad_bits, &bits, DTypeSize(in.dtype));  // little endian
  }
  const TensorRef* paddings = ctx.input(1);
  RETURN_IF_ERROR(shape::CheckIntType(ctx, paddings, "paddings"));
  if (!shape::HasValues(paddings)) {
    data.at_eval = true;
    ASSIGN_OR_RETURN(Shape s, shape::DeclaredOutputShape(ctx, 0, "the padding"));
    ctx.SetOutputShape(0, std::move(s));
    return Status::Ok();
  }
  RETURN_IF_ERROR(ReadPaddings(ctx, in.shape, paddings, mirror, data.symmetric, &data.geometry));
  ctx.SetOutputShape(0, OutputShape(data.geometry));
  return Status::Ok();
}

Status PadPrepare(OpContext& ctx) { return PadPrepareCommon(ctx, ir::OpKind::kPad); }
Status PadV2Prepare(OpContext& ctx) { return PadPrepareCommon(ctx, ir::OpKind::kPadv2); }
Status MirrorPadPrepare(OpContext& ctx) { return PadPrepareCommon(ctx, ir::OpKind::kMirrorPad); }

Status PadEval(OpContext& ctx) {
  const auto& data = ctx.data<PadData>();
  ref::PadGeometry g = data.geometry;
  const TensorRef& in = *ctx.input(0);
  if (data.at_eval) {
    RETURN_IF_ERROR(ReadPaddings(ctx, in.shape, ctx.input(1), data.mirror, data.symmetric, &g));
    RETURN_IF_ERROR(shape::CheckPlannedShape(ctx, 0, OutputShape(g)));
  }
  TensorRef* out = ctx.output(0);
  shape::DispatchBySize(DTypeSize(in.dtype), [&]<typename T>() {
    if (data.mirror) {
      ref::MirrorPad<T>(g, data.symmetric, in.Data<T>(), out->MutableData<T>());
    } else {
      T value;
      std::memcpy(&value, &data.pad_bits, sizeof(T));
      if (conv::UseOptimizedKernels()) {
        kernels::optimized::PadConstant<T>(g, value, in.Data<T>(), out->MutableData<T>());
      } else {
        ref::PadConstant<T>(g, value, in.Data<T>(), out->MutableData<T>());
      }
    }
  });
  return Status::Ok();
}

}  // namespace

void RegisterShapePadOps(OpRegistry* r) {
  r->Add(ir::OpKind::kPad, OpKernel{&PadPrepare, &PadEval});
  r->Add(ir::OpKind::kPadv2, OpKernel{&PadV2Prepare, &PadEval});
  r->Add(ir::OpKind::kMirrorPad, OpKernel{&MirrorPadPrepare, &PadEval});
}

}  // namespace detlite::runtime
