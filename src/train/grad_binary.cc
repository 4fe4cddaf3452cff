// Gradients of ADD, SUB, MUL and DIV with NumPy broadcasting: each operand's
// gradient is computed at the output's shape, then summed over the
// dimensions along which that operand was broadcast.
#include <vector>

#include "kernels/reference/broadcast.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

using kernels::reference::BroadcastBinary;

enum class Kind { kAdd, kSub, kMul, kDiv };

template <Kind kKind>
Status BinaryGrad(const OpGrad& g) {
  ASSIGN_OR_RETURN(ir::ArithmeticOptions o, GradOptions<ir::ArithmeticOptions>(g));
  const Shape& out = g.out_shape();
  const int64_t n = g.out[0]->NumElements();
  std::vector<float> scratch, full(static_cast<size_t>(n));
  ASSIGN_OR_RETURN(const float* dz, MaskFusedActivation(g, o.activation, g.y(), g.dy(), n, &scratch));
  const Shape& as = g.in_shape(0);
  const Shape& bs = g.in_shape(1);
  const float* a = g.x(0);
  const float* b = g.x(1);
  if (float* da = g.dx(0)) {
    if constexpr (kKind == Kind::kAdd || kKind == Kind::kSub) {
      AddReducedBroadcast(out, dz, as, da);
    } else {
      if constexpr (kKind == Kind::kMul) {
        BroadcastBinary(out, dz, bs, b, out, full.data(), [](float d, float v) { return d * v; });
      } else {
        BroadcastBinary(out, dz, bs, b, out, full.data(), [](float d, float v) { return d / v; });
      }
      AddReducedBroadcast(out, full.data(), as, da);
    }
  }
  if (float* db = g.dx(1)) {
    if constexpr (kKind == Kind::kAdd) {
      AddReducedBroadcast(out, dz, bs, db);
      return Status::Ok();
    } else if constexpr (kKind == Kind::kSub) {
      for (int64_t i = 0; i < n; ++i) full[static_cast<size_t>(i)] = -dz[i];
    } else if constexpr (kKind == Kind::kMul) {
      BroadcastBinary(out, dz, as, a, out, full.data(), [](float d, float v) { return d * v; });
    } else {
      // d(a / b)/db = -a / b^2 = -y / b, with y the forward output before
      // any activation; recomputed from a and b so a fused clamp is fine.
      std::vector<float> bfull(static_cast<size_t>(n));
      BroadcastBinary(out, dz, as, a, out, full.data(), [](float d, float v) { return d * v; });
      BroadcastBinary(out, full.data(), bs, b, out, bfull.data(),
                      [](float da, float v) { return -da / (v * v); });
      full.swap(bfull);
    }
    AddReducedBroadcast(out, full.data(), bs, db);
  }
  return Status::Ok();
}

}  // namespace

void RegisterBinaryGrads(GradRegistry* r) {
  r->Add(ir::OpKind::kAdd, BinaryGrad<Kind::kAdd>);
  r->Add(ir::OpKind::kSub, BinaryGrad<Kind::kSub>);
  r->Add(ir::OpKind::kMul, BinaryGrad<Kind::kMul>);
  r->Add(ir::OpKind::kDiv, BinaryGrad<Kind::kDiv>);
}

}  // namespace detlite::train
