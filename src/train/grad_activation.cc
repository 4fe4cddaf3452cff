// Gradients of the standalone activations (elementwise, from the saved input
// or output) and of SOFTMAX over the last dimension.
#include <vector>

#include "kernels/reference/broadcast.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

// dx += dy * f'(x, y) elementwise.
template <typename Deriv>
Status Elementwise(const OpGrad& g, Deriv deriv) {
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  const int64_t n = g.out[0]->NumElements();
  const float* x = g.x(0);
  const float* y = g.y();
  const float* dy = g.dy();
  for (int64_t i = 0; i < n; ++i) dx[i] += dy[i] * deriv(x[i], y[i]);
  return Status::Ok();
}

Status ReluGrad(const OpGrad& g) {
  return Elementwise(g, [](float x, float) { return x > 0.0f ? 1.0f : 0.0f; });
}
Status Relu6Grad(const OpGrad& g) {
  return Elementwise(g, [](float x, float) { return x > 0.0f && x < 6.0f ? 1.0f : 0.0f; });
}
Status ReluN1To1Grad(const OpGrad& g) {
  return Elementwise(g, [](float x, float) { return x > -1.0f && x < 1.0f ? 1.0f : 0.0f; });
}
Status LogisticGrad(const OpGrad& g) {
  return Elementwise(g, [](float, float y) { return y * (1.0f - y); });
}
Status TanhGrad(const OpGrad& g) {
  return Elementwise(g, [](float, float y) { return 1.0f - y * y; });
}
// x * relu6(x + 3) / 6.
Status HardSwishGrad(const OpGrad& g) {
  return Elementwise(g, [](float x, float) {
    if (x <= -3.0f) return 0.0f;
    if (x >= 3.0f) return 1.0f;
    return (2.0f * x + 3.0f) / 6.0f;
  });
}
Status LeakyReluGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::LeakyReluOptions o, GradOptions<ir::LeakyReluOptions>(g));
  const float alpha = o.alpha;
  return Elementwise(g, [alpha](float x, float) { return x > 0.0f ? 1.0f : alpha; });
}

// y = softmax(beta * x) along the last axis: dx = beta * y * (dy - <dy, y>).
Status SoftmaxGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::SoftmaxOptions o, GradOptions<ir::SoftmaxOptions>(g));
  float* dx = g.dx(0);
  if (dx == nullptr) return Status::Ok();
  const Shape& s = g.out_shape();
  const int64_t depth = s.rank() > 0 ? s.dim(s.rank() - 1) : 1;
  const int64_t outer = depth > 0 ? g.out[0]->NumElements() / depth : 0;
  const float* y = g.y();
  const float* dy = g.dy();
  for (int64_t r = 0; r < outer; ++r) {
    const int64_t base = r * depth;
    double dot = 0;
    for (int64_t c = 0; c < depth; ++c) dot += double{dy[base + c]} * y[base + c];
    for (int64_t c = 0; c < depth; ++c) {
      dx[base + c] += o.beta * y[base + c] * (dy[base + c] - static_cast<float>(dot));
    }
  }
  return Status::Ok();
}

// y = x >= 0 ? x : alpha * x, alpha broadcast against x (one per channel):
// dx = dy * (x >= 0 ? 1 : alpha), dalpha = sum over the broadcast of
// dy * (x >= 0 ? 0 : x).
Status PreluGrad(const OpGrad& g) {
  using kernels::reference::BroadcastBinary;
  const Shape& out = g.out_shape();
  const int64_t n = g.out[0]->NumElements();
  const float* dy = g.dy();
  std::vector<float> full(static_cast<size_t>(n)), masked(static_cast<size_t>(n));
  // x broadcast to the output (PRELU's output has x's shape unless alpha
  // is the larger one).
  BroadcastBinary(g.in_shape(0), g.x(0), out, dy, out, masked.data(),
                  [](float x, float d) { return x >= 0.0f ? 0.0f : d * x; });
  if (float* da = g.dx(1)) AddReducedBroadcast(out, masked.data(), g.in_shape(1), da);
  if (float* dx = g.dx(0)) {
    BroadcastBinary(g.in_shape(0), g.x(0), g.in_shape(1), g.x(1), out, full.data(),
                    [](float x, float a) { return x >= 0.0f ? 1.0f : a; });
    for (int64_t i = 0; i < n; ++i) full[static_cast<size_t>(i)] *= dy[i];
    AddReducedBroadcast(out, full.data(), g.in_shape(0), dx);
  }
  return Status::Ok();
}

}  // namespace

void RegisterActivationGrads(GradRegistry* r) {
  r->Add(ir::OpKind::kRelu, ReluGrad);
  r->Add(ir::OpKind::kRelu6, Relu6Grad);
  r->Add(ir::OpKind::kReluN1To1, ReluN1To1Grad);
  r->Add(ir::OpKind::kLogistic, LogisticGrad);
  r->Add(ir::OpKind::kTanh, TanhGrad);
  r->Add(ir::OpKind::kHardSwish, HardSwishGrad);
  r->Add(ir::OpKind::kLeakyRelu, LeakyReluGrad);
  r->Add(ir::OpKind::kSoftmax, SoftmaxGrad);
  r->Add(ir::OpKind::kPrelu, PreluGrad);
}

}  // namespace detlite::train
