// The kernels the interpreter can run, registered from one explicit list
// (src/runtime/op_registry.cc) rather than static initializers, so the set
// and its order are visible in one place.
#ifndef DETLITE_RUNTIME_OP_REGISTRY_H_
#define DETLITE_RUNTIME_OP_REGISTRY_H_

#include <map>
#include <string>
#include <utility>

#include "ir/op_kind.h"
#include "runtime/kernel_api.h"

namespace detlite::runtime {

class OpRegistry {
 public:
  void Add(ir::OpKind kind, OpKernel kernel) { builtin_[kind] = kernel; }
  void AddCustom(const std::string& code, OpKernel kernel) { custom_[code] = kernel; }
  // nullptr if no kernel is registered.
  const OpKernel* Find(ir::OpKind kind, const std::string& custom_code) const;

 private:
  std::map<ir::OpKind, OpKernel> builtin_;
  std::map<std::string, OpKernel> custom_;
};

// Every kernel detlite ships.
const OpRegistry& BuiltinOpRegistry();

// Registration functions, one per family file under src/runtime/ops/.
void RegisterConvOps(OpRegistry* r);         // conv_ops.cc etc.
void RegisterElementwiseOps(OpRegistry* r);  // elementwise_ops.cc etc.
void RegisterShapeOps(OpRegistry* r);        // data movement: reshape, concat, pad...
void RegisterQuantizeOps(OpRegistry* r);     // dequantize, quantize, densify
void RegisterDetectionOps(OpRegistry* r);    // TFLite_Detection_PostProcess

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_OP_REGISTRY_H_
