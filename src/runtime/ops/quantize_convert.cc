// DEQUANTIZE (float16, int8, uint8, int16 -> float32) and QUANTIZE (float32
// -> int8/uint8/int16, and requantization between integer types). Which
// arithmetic the judge uses for each type pair is documented in
// kernels/reference/quantize.h.
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/optimized/quantize_q8.h"
#include "kernels/reference/dequantize.h"
#include "kernels/reference/quant_math.h"
#include "kernels/reference/quantize.h"
#include "runtime/op_registry.h"
#include "runtime/ops/conv_common.h"
#include "runtime/ops/shape_common.h"
#include "runtime/ops/shape_internal.h"
#include "runtime/thread_pool.h"

namespace detlite::runtime {
namespace {

namespace ref = kernels::reference;

bool IsQuantType(DType t) {
  return t == DType::kUInt8 || t == DType::kInt8 || t == DType::kInt16;
}

// Per-axis view of a tensor's quantization: [outer, channels, inner] with
// one scale and zero point per channel (channels == 1 for per tensor).
struct AxisQuant {
  int64_t outer = 1, channels = 1, inner = 1;
  std::vector<float> scale;
  std::vector<int32_t> zero_point;
};

Status ReadAxisQuant(const OpContext& ctx, const TensorRef& t, const char* what,
                     AxisQuant* q) {
  const QuantParams& p = *t.quant;
  if (p.scale.empty()) return ctx.Error(std::string(what) + " '" + t.name() + "' has no scale");
  for (float s : p.scale) {
    if (!(s > 0) || !std::isfinite(s)) {
      return ctx.Error(std::string(what) + " '" + t.name() + "' has scale " + std::to_string(s));
    }
  }
  const size_t n = p.scale.size();
  if (!p.zero_point.empty() && p.zero_point.size() != n && p.zero_point.size() != 1) {
    return ctx.Error(std::string(what) + " has " + std::to_string(p.zero_point.size()) +
                     " zero points for " + std::to_string(n) + " scales");
  }
  q->scale = p.scale;
  q->zero_point.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (!p.zero_point.empty()) q->zero_point[i] = static_cast<int32_t>(p.zero_point[p.zero_point.size() == 1 ? 0 : i]);
  }
  q->outer = t.NumElements();
  q->channels = 1;
  q->inner = 1;
  if (n > 1) {
    const int axis = p.quantized_dimension;
    if (axis < 0 || axis >= t.shape.rank() || t.shape.dim(axis) != static_cast<int32_t>(n)) {
      return ctx.Error(std::string(what) + " has " + std::to_string(n) +
                       " scales along dimension " + std::to_string(axis) + " of " +
                       t.shape.ToString());
    }
    q->outer = shape::Product(t.shape, 0, axis);
    q->channels = static_cast<int64_t>(n);
    q->inner = shape::Product(t.shape, axis + 1, t.shape.rank());
  }
  return Status::Ok();
}

// --- DEQUANTIZE ------------------------------------------------------------

struct DequantizeData : OpData {
  AxisQuant quant;
  std::vector<float> constant_result;  // for a constant input
  bool precomputed = false;
};

void Dequantize(const TensorRef& in, const AxisQuant& q, float* out) {
  const int64_t n = in.NumElements();
  switch (in.dtype) {
    case DType::kFloat16:
      ref::DequantizeFloat16(in.data, n, out);
      break;
    case DType::kUInt8:
      ref::DequantizePerAxis<uint8_t>(in.Data<uint8_t>(), q.outer, q.channels, q.inner,
                                      q.scale.data(), q.zero_point.data(), out);
      break;
    case DType::kInt8:
      ref::DequantizePerAxis<int8_t>(in.Data<int8_t>(), q.outer, q.channels, q.inner,
                                     q.scale.data(), q.zero_point.data(), out);
      break;
    default:
      ref::DequantizePerAxis<int16_t>(in.Data<int16_t>(), q.outer, q.channels, q.inner,
                                      q.scale.data(), q.zero_point.data(), out);
      break;
  }
}

Status DequantizePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  RETURN_IF_ERROR(CheckDType(ctx, ctx.output(0), DType::kFloat32, "output"));
  auto& data = ctx.SetData(std::make_unique<DequantizeData>());
  if (in.dtype != DType::kFloat16) {
    if (!IsQuantType(in.dtype)) return shape::UnsupportedType(ctx, in.dtype, "input");
    RETURN_IF_ERROR(ReadAxisQuant(ctx, in, "input", &data.quant));
  }
  ctx.SetOutputShape(0, in.shape);
  if (in.is_constant) {
    const int64_t n = in.NumElements();
    if (n < 0 || in.bytes < static_cast<size_t>(n) * DTypeSize(in.dtype)) {
      return ctx.Error("constant input '" + in.name() + "' holds too few bytes");
    }
    data.constant_result.resize(static_cast<size_t>(n));
    Dequantize(in, data.quant, data.constant_result.data());
    data.precomputed = true;
    // Dequantized once: consumers see a constant (fp16 weights are not
    // converted and copied on every Invoke).
    ctx.SetConstantOutput(0, data.constant_result.data(),
                          data.constant_result.size() * sizeof(float));
  }
  return Status::Ok();
}

Status DequantizeEval(OpContext& ctx) {
  const auto& data = ctx.data<DequantizeData>();
  TensorRef* out = ctx.output(0);
  if (data.precomputed) {
    if (out->data == reinterpret_cast<const uint8_t*>(data.constant_result.data())) {
      return Status::Ok();  // the output is the precomputed constant
    }
    if (out->bytes > 0) std::memcpy(out->data, data.constant_result.data(), out->bytes);
    return Status::Ok();
  }
  const TensorRef& in = *ctx.input(0);
  const AxisQuant& q = data.quant;
  if (q.channels == 1 && conv::UseOptimizedKernels()) {
    // Per-tensor int8/uint8 (a quantized model's float outputs): vector
    // loops, split across threads; the same float operations.
    namespace opt = kernels::optimized;
    const int64_t n = in.NumElements();
    float* o = out->MutableData<float>();
    if (in.dtype == DType::kInt8) {
      opt::DequantizeQ8<int8_t>(opt::ActiveIsa(), in.Data<int8_t>(), n, q.scale[0],
                                q.zero_point[0], o, CurrentParallel());
      return Status::Ok();
    }
    if (in.dtype == DType::kUInt8) {
      opt::DequantizeQ8<uint8_t>(opt::ActiveIsa(), in.Data<uint8_t>(), n, q.scale[0],
                                 q.zero_point[0], o, CurrentParallel());
      return Status::Ok();
    }
  }
  Dequantize(in, q, out->MutableData<float>());
  return Status::Ok();
}

// --- QUANTIZE --------------------------------------------------------------

enum class QuantizePath {
  kFloatXnnpack,   // float -> int8/uint8, per tensor
  kFloatTflite,    // float -> int16, or per axis
  kRequantXnnpack, // int8 -> int8, uint8 -> uint8
  kRequantTflite,  // everything else
};

struct QuantizeData : OpData {
  QuantizePath path = QuantizePath::kFloatXnnpack;
  AxisQuant out_quant;
  int32_t input_zero_point = 0;
  int32_t multiplier = 0;
  int shift = 0;
};

Status QuantizePrepare(OpContext& ctx) {
  RETURN_IF_ERROR(CheckInputCount(ctx, 1, 1));
  RETURN_IF_ERROR(CheckOutputCount(ctx, 1));
  const TensorRef& in = *ctx.input(0);
  const TensorRef& out = *ctx.output(0);
  if (!IsQuantType(out.dtype)) return shape::UnsupportedType(ctx, out.dtype, "output");
  auto& data = ctx.SetData(std::make_unique<QuantizeData>());
  // The output takes the input's shape first so a per-axis quantization is
  // checked against the shape it will be applied to.
  ctx.SetOutputShape(0, in.shape);
  RETURN_IF_ERROR(ReadAxisQuant(ctx, out, "output", &data.out_quant));
  const AxisQuant& oq = data.out_quant;
  const int64_t lo = out.dtype == DType::kUInt8 ? 0 : out.dtype == DType::kInt8 ? -128 : -32768;
  const int64_t hi = out.dtype == DType::kUInt8 ? 255 : out.dtype == DType::kInt8 ? 127 : 32767;
  for (int32_t zp : oq.zero_point) {
    if (zp < lo || zp > hi) return ctx.Error("output zero point " + std::to_string(zp) + " is out of range");
  }
  if (in.dtype == DType::kFloat32) {
    const bool eight_bit = out.dtype != DType::kInt16;
    data.path = (eight_bit && oq.channels == 1 && shape::JudgeUsesXnnpack(ctx))
                    ? QuantizePath::kFloatXnnpack
                    : QuantizePath::kFloatTflite;
    return Status::Ok();
  }
  if (!IsQuantType(in.dtype)) return shape::UnsupportedType(ctx, in.dtype, "input");
  AxisQuant iq;
  RETURN_IF_ERROR(ReadAxisQuant(ctx, in, "input", &iq));
  if (iq.channels != 1 || oq.channels != 1) return ctx.Error("requantization must be per tensor");
  data.input_zero_point = iq.zero_point[0];
  const float ratio = iq.scale[0] / oq.scale[0];
  // XNNPACK converts within one 8-bit type when the scale ratio is at least
  // 2^-8 (measured; beyond 2^7 every non-zero input saturates either way).
  if (in.dtype == out.dtype && in.dtype != DType::kInt16 && ratio >= 1.0f / 256.0f &&
      shape::JudgeUsesXnnpack(ctx)) {
    data.path = QuantizePath::kRequantXnnpack;
    data.multiplier = ref::XnnpackRequantMultiplier(iq.scale[0], oq.scale[0]);
    return Status::Ok();
  }
  data.path = QuantizePath::kRequantTflite;
  kernels::QuantizeMultiplier(static_cast<double>(iq.scale[0]) / static_cast<double>(oq.scale[0]),
                              &data.multiplier, &data.shift);
  return Status::Ok();
}

template <typename Out>
void QuantizeFloat(const QuantizeData& d, const float* in, Out* out, int64_t n) {
  const AxisQuant& q = d.out_quant;
  if (d.path == QuantizePath::kFloatXnnpack) {
    if constexpr (std::is_same_v<Out, int8_t> || std::is_same_v<Out, uint8_t>) {
      if (conv::UseOptimizedKernels()) {
        kernels::optimized::QuantizeQ8<Out>(kernels::optimized::ActiveIsa(), in, n,
                                            q.scale[0], q.zero_point[0], out,
                                            CurrentParallel());
        return;
      }
    }
    ref::QuantizeFloatXnnpack<Out>(in, n, q.scale[0], q.zero_point[0], out);
    return;
  }
  for (int64_t o = 0; o < q.outer; ++o) {
    for (int64_t c = 0; c < q.channels; ++c) {
      const int64_t base = (o * q.channels + c) * q.inner;
      ref::QuantizeFloatTflite<Out>(in + base, q.inner, q.scale[static_cast<size_t>(c)],
                                    q.zero_point[static_cast<size_t>(c)], out + base);
    }
  }
}

template <typename In, typename Out>
void Requantize(const QuantizeData& d, const In* in, Out* out, int64_t n) {
  if constexpr (std::is_same_v<In, Out>) {
    if (d.path == QuantizePath::kRequantXnnpack) {
      ref::RequantizeXnnpack<In>(in, n, d.input_zero_point, d.multiplier,
                                 d.out_quant.zero_point[0], out);
      return;
    }
  }
  ref::RequantizeTflite<In, Out>(in, n, d.input_zero_point, d.multiplier, d.shift,
                                 d.out_quant.zero_point[0], out);
}

template <typename Out>
void QuantizeTo(const QuantizeData& d, const TensorRef& in, Out* out) {
  const int64_t n = in.NumElements();
  switch (in.dtype) {
    case DType::kFloat32: QuantizeFloat<Out>(d, in.Data<float>(), out, n); break;
    case DType::kUInt8: Requantize<uint8_t, Out>(d, in.Data<uint8_t>(), out, n); break;
    case DType::kInt8: Requantize<int8_t, Out>(d, in.Data<int8_t>(), out, n); break;
    default: Requantize<int16_t, Out>(d, in.Data<int16_t>(), out, n); break;
  }
}

Status QuantizeEval(OpContext& ctx) {
  const auto& d = ctx.data<QuantizeData>();
  const TensorRef& in = *ctx.input(0);
  TensorRef* out = ctx.output(0);
  switch (out->dtype) {
    case DType::kUInt8: QuantizeTo<uint8_t>(d, in, out->MutableData<uint8_t>()); break;
    case DType::kInt8: QuantizeTo<int8_t>(d, in, out->MutableData<int8_t>()); break;
    default: QuantizeTo<int16_t>(d, in, out->MutableData<int16_t>()); break;
  }
  return Status::Ok();
}

}  // namespace

void RegisterQuantizeConvertOps(OpRegistry* r) {
  r->Add(ir::OpKind::kDequantize, OpKernel{&DequantizePrepare, &DequantizeEval});
  r->Add(ir::OpKind::kQuantize, OpKernel{&QuantizePrepare, &QuantizeEval});
}

}  // namespace detlite::runtime
