#include "train/grad_registry.h"

namespace detlite::train {

GradFn GradRegistry::Find(ir::OpKind kind) const {
  auto it = fns_.find(kind);
  return it == fns_.end() ? nullptr : it->second;
}

const GradRegistry& BuiltinGradRegistry() {
  static const GradRegistry* registry = [] {
    auto* r = new GradRegistry;
    RegisterConvGrads(r);
    RegisterMatMulGrads(r);
    RegisterBinaryGrads(r);
    RegisterActivationGrads(r);
    RegisterShapeGrads(r);
    RegisterPoolGrads(r);
    RegisterResizeGrads(r);
    RegisterFakeQuantGrads(r);
    return r;
  }();
  return *registry;
}

}  // namespace detlite::train
