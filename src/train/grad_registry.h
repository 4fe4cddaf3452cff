// The gradient functions detlite has, one per op kind, registered from one
// explicit list (grad_registry.cc) like the runtime's kernels.
#ifndef DETLITE_TRAIN_GRAD_REGISTRY_H_
#define DETLITE_TRAIN_GRAD_REGISTRY_H_

#include <map>

#include "ir/op_kind.h"
#include "train/grad_op.h"

namespace detlite::train {

class GradRegistry {
 public:
  void Add(ir::OpKind kind, GradFn fn) { fns_[kind] = fn; }
  // nullptr if the op kind has no gradient.
  GradFn Find(ir::OpKind kind) const;
  const std::map<ir::OpKind, GradFn>& all() const { return fns_; }

 private:
  std::map<ir::OpKind, GradFn> fns_;
};

const GradRegistry& BuiltinGradRegistry();

// One registration function per family file (grad_<family>.cc).
void RegisterConvGrads(GradRegistry* r);        // conv, depthwise, transpose conv
void RegisterMatMulGrads(GradRegistry* r);      // fully connected, batch matmul
void RegisterBinaryGrads(GradRegistry* r);      // add, sub, mul, div
void RegisterActivationGrads(GradRegistry* r);  // relu..., logistic, tanh, hard swish, softmax
void RegisterShapeGrads(GradRegistry* r);       // reshape, concat, pad, slice, gather, d2s
void RegisterPoolGrads(GradRegistry* r);        // max/avg pool, mean
void RegisterResizeGrads(GradRegistry* r);      // resize bilinear / nearest
void RegisterFakeQuantGrads(GradRegistry* r);   // quantize / dequantize pairs (STE)

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_GRAD_REGISTRY_H_
