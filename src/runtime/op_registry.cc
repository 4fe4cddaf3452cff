#include "runtime/op_registry.h"

namespace detlite::runtime {

const OpKernel* OpRegistry::Find(ir::OpKind kind, const std::string& custom_code) const {
  if (kind == ir::OpKind::kCustom) {
    auto it = custom_.find(custom_code);
    return it == custom_.end() ? nullptr : &it->second;
  }
  auto it = builtin_.find(kind);
  return it == builtin_.end() ? nullptr : &it->second;
}

const OpRegistry& BuiltinOpRegistry() {
  static const OpRegistry* registry = [] {
    auto* r = new OpRegistry();
    RegisterConvOps(r);
    RegisterElementwiseOps(r);
    RegisterShapeOps(r);
    RegisterQuantizeOps(r);
    RegisterDetectionOps(r);
    return r;
  }();
  return *registry;
}

}  // namespace detlite::runtime
