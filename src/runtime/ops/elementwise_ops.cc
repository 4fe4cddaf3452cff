// The elementwise kernel family: arithmetic with broadcasting, activations,
// unary math, softmax, 2-D pooling and mean/sum reductions. Each group lives
// in its own elementwise_*.cc file; this is the one list that registers them.
#include "runtime/op_registry.h"
#include "runtime/ops/elementwise_internal.h"

namespace detlite::runtime {

void RegisterElementwiseOps(OpRegistry* r) {
  RegisterElementwiseBinaryOps(r);
  RegisterElementwiseActivationOps(r);
  RegisterElementwiseUnaryOps(r);
  RegisterElementwiseSoftmaxOps(r);
  RegisterElementwisePoolOps(r);
  RegisterElementwiseReduceOps(r);
  RegisterElementwiseCompareOps(r);
  RegisterElementwiseLogicOps(r);
  RegisterElementwisePowOps(r);
}

}  // namespace detlite::runtime
