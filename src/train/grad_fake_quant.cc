// Gradients of the QUANTIZE -> DEQUANTIZE pairs that fake quantization
// (fake_quant.h) puts after every activation the int8 exporter quantizes.
// The straight-through estimator: the integer tensor's gradient is taken
// with respect to its dequantized value, DEQUANTIZE passes it unchanged,
// and QUANTIZE passes it where the input lay inside the representable
// range [(qmin - zp) * scale, (qmax - zp) * scale] and stops it where the
// value was clamped.
#include <cstdint>

#include "train/grad_registry.h"

namespace detlite::train {
namespace {

Status QuantizeGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  const runtime::TensorRef& y = *g.out[0];
  if (g.in[0]->dtype != DType::kFloat32) {
    return g.Error("only a QUANTIZE of float data (fake quantization) has a gradient");
  }
  if (y.quant == nullptr || y.quant->scale.size() != 1) {
    return g.Error("fake quantization needs one scale on the output");
  }
  int64_t qmin = 0, qmax = 0;
  switch (y.dtype) {
    case DType::kInt8: qmin = -128, qmax = 127; break;
    case DType::kUInt8: qmin = 0, qmax = 255; break;
    case DType::kInt16: qmin = -32768, qmax = 32767; break;
    default: return g.Error("QUANTIZE to an unsupported type has no gradient");
  }
  const float scale = y.scale();
  const float lo = static_cast<float>(qmin - y.zero_point()) * scale;
  const float hi = static_cast<float>(qmax - y.zero_point()) * scale;
  const float* x = g.x(0);
  const float* dy = g.dy(0);
  const int64_t n = g.in[0]->NumElements();
  for (int64_t i = 0; i < n; ++i) {
    if (x[i] >= lo && x[i] <= hi) dx[i] += dy[i];
  }
  return Status::Ok();
}

Status DequantizeGrad(const OpGrad& g) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  const float* dy = g.dy(0);
  const int64_t n = g.out[0]->NumElements();
  for (int64_t i = 0; i < n; ++i) dx[i] += dy[i];
  return Status::Ok();
}

}  // namespace

void RegisterFakeQuantGrads(GradRegistry* r) {
  r->Add(ir::OpKind::kQuantize, QuantizeGrad);
  r->Add(ir::OpKind::kDequantize, DequantizeGrad);
}

}  // namespace detlite::train
