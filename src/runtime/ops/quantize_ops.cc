// The quantize family: DEQUANTIZE, QUANTIZE (quantize_convert.cc) and
// DENSIFY (quantize_densify.cc).
#include "runtime/op_registry.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {

void RegisterQuantizeOps(OpRegistry* r) {
  RegisterQuantizeConvertOps(r);
  RegisterDensifyOp(r);
}

}  // namespace detlite::runtime
