#include "train/grad_op.h"

#include <string>

#include "ir/op_kind.h"
#include "kernels/reference/broadcast.h"

namespace detlite::train {

Status OpGrad::Error(const std::string& message) const {
  std::string name = out.empty() || out[0] == nullptr ? std::string() : out[0]->name();
  return InvalidArgument("op " + std::to_string(op_index) + " " +
                         std::string(ir::OpKindName(op->kind)) + " (" + name + "): " + message);
}

StatusOr<const float*> MaskFusedActivation(const OpGrad& g, ir::Activation act,
                                           const float* y, const float* dy, int64_t n,
                                           std::vector<float>* scratch) {
  if (act == ir::Activation::kNone) return dy;
  float lo = 0, hi = 0;
  switch (act) {
    case ir::Activation::kRelu: lo = 0; hi = 3.4e38f; break;
    case ir::Activation::kRelu6: lo = 0; hi = 6; break;
    case ir::Activation::kReluN1To1: lo = -1; hi = 1; break;
    case ir::Activation::kTanh: {
      scratch->resize(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) (*scratch)[i] = dy[i] * (1.0f - y[i] * y[i]);
      return scratch->data();
    }
    default:
      return g.Error("fused activation " + std::to_string(static_cast<int>(act)) +
                     " has no gradient");
  }
  scratch->resize(static_cast<size_t>(n));
  // The clamp passes the gradient only where it did not bind; at exactly the
  // bound (a tie) the output is constant on one side, so it is cut there too.
  for (int64_t i = 0; i < n; ++i) (*scratch)[i] = (y[i] > lo && y[i] < hi) ? dy[i] : 0.0f;
  return scratch->data();
}

Status ReadIndexTensor(const OpGrad& g, int input, std::vector<int64_t>* out) {
  const runtime::TensorRef* t =
      static_cast<size_t>(input) < g.in.size() ? g.in[static_cast<size_t>(input)] : nullptr;
  if (t == nullptr || t->data == nullptr) return g.Error("parameter input " + std::to_string(input) + " is missing");
  const int64_t n = t->NumElements();
  out->resize(static_cast<size_t>(n));
  if (t->dtype == DType::kInt32) {
    for (int64_t i = 0; i < n; ++i) (*out)[static_cast<size_t>(i)] = t->Data<int32_t>()[i];
  } else if (t->dtype == DType::kInt64) {
    for (int64_t i = 0; i < n; ++i) (*out)[static_cast<size_t>(i)] = t->Data<int64_t>()[i];
  } else {
    return g.Error("parameter input " + std::to_string(input) + " is not int32 or int64");
  }
  return Status::Ok();
}

void AddReducedBroadcast(const Shape& full, const float* grad, const Shape& small, float* dst) {
  const int64_t total = full.NumElements();
  if (full == small) {
    for (int64_t i = 0; i < total; ++i) dst[i] += grad[i];
    return;
  }
  const std::vector<int64_t> strides = kernels::reference::BroadcastStrides(small, full);
  const int rank = full.rank();
  std::vector<int32_t> index(static_cast<size_t>(rank), 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < total; ++i) {
    dst[offset] += grad[i];
    for (int d = rank - 1; d >= 0; --d) {
      const auto u = static_cast<size_t>(d);
      offset += strides[u];
      if (++index[u] < full.dim(d)) break;
      offset -= strides[u] * full.dim(d);
      index[u] = 0;
    }
  }
}

}  // namespace detlite::train
