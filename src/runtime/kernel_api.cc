#include "runtime/kernel_api.h"

namespace detlite::runtime {

const std::string& TensorRef::name() const {
  static const std::string kEmpty;
  return ir ? ir->name : kEmpty;
}

Status OpContext::Error(const std::string& message) const {
  std::string where = "op " + std::to_string(op_index_) + " ";
  if (op_->kind == ir::OpKind::kCustom) {
    where += op_->custom_code;
  } else {
    where += std::string(ir::OpKindName(op_->kind));
  }
  if (!outputs_.empty() && outputs_[0] && !outputs_[0]->name().empty()) {
    where += " ('" + outputs_[0]->name() + "')";
  }
  return InvalidArgument(where + ": " + message);
}

void OpContext::SetConstantOutput(int i, const void* data, size_t bytes) {
  TensorRef* out = outputs_[static_cast<size_t>(i)];
  // Kernels only read constants; see Interpreter::Prepare.
  out->data = const_cast<uint8_t*>(static_cast<const uint8_t*>(data));
  out->bytes = bytes;
  out->is_constant = true;
}

bool OpContext::AllOutputsConstant() const {
  for (const TensorRef* t : outputs_) {
    if (t == nullptr || !t->is_constant) return false;
  }
  return !outputs_.empty();
}

Status CheckInputCount(const OpContext& ctx, int min_count, int max_count) {
  if (ctx.num_inputs() < min_count || ctx.num_inputs() > max_count) {
    return ctx.Error("expects " + std::to_string(min_count) +
                     (max_count != min_count ? ".." + std::to_string(max_count) : "") +
                     " inputs, has " + std::to_string(ctx.num_inputs()));
  }
  for (int i = 0; i < min_count; ++i) {
    if (ctx.input(i) == nullptr) {
      return ctx.Error("required input " + std::to_string(i) + " is missing");
    }
  }
  return Status::Ok();
}

Status CheckOutputCount(const OpContext& ctx, int count) {
  if (ctx.num_outputs() != count) {
    return ctx.Error("expects " + std::to_string(count) + " outputs, has " +
                     std::to_string(ctx.num_outputs()));
  }
  return Status::Ok();
}

Status CheckDType(const OpContext& ctx, const TensorRef* t, DType want, const char* what) {
  if (t->dtype != want) {
    return ctx.Error(std::string(what) + " '" + t->name() + "' is " +
                     std::string(DTypeName(t->dtype)) + ", expected " +
                     std::string(DTypeName(want)));
  }
  return Status::Ok();
}

Status CheckRank(const OpContext& ctx, const TensorRef* t, int rank, const char* what) {
  if (t->shape.rank() != rank) {
    return ctx.Error(std::string(what) + " '" + t->name() + "' has rank " +
                     std::to_string(t->shape.rank()) + " " + t->shape.ToString() +
                     ", expected rank " + std::to_string(rank));
  }
  return Status::Ok();
}

}  // namespace detlite::runtime
