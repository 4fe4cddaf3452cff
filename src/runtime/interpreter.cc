#include "runtime/interpreter.h"

#include <chrono>
#include <cstring>
#include <string>

#include "runtime/fusion.h"
#include "runtime/memory_planner.h"
#include "runtime/ops/conv_common.h"
#include "runtime/op_registry.h"
#include "runtime/thread_pool.h"

namespace detlite::runtime {
namespace {

std::string OpLabel(const ir::Operator& op) {
  return op.kind == ir::OpKind::kCustom ? op.custom_code
                                        : std::string(ir::OpKindName(op.kind));
}

}  // namespace

Interpreter::~Interpreter() = default;

StatusOr<std::unique_ptr<Interpreter>> Interpreter::Create(
    const ir::Model& model, const InterpreterOptions& options) {
  if (options.subgraph < 0 ||
      options.subgraph >= static_cast<int>(model.subgraphs.size())) {
    return InvalidArgument("model has " + std::to_string(model.subgraphs.size()) +
                           " subgraphs; cannot run subgraph " +
                           std::to_string(options.subgraph));
  }
  std::unique_ptr<Interpreter> interp(new Interpreter());
  interp->model_ = &model;
  interp->subgraph_ = &model.subgraphs[static_cast<size_t>(options.subgraph)];
  interp->options_ = options;
  // More threads than a few dozen only adds contention on any sane machine;
  // the cap also keeps a bad option from exhausting the process.
  if (options.num_threads < 1 || options.num_threads > 64) {
    return InvalidArgument("num_threads must be in [1, 64], got " +
                           std::to_string(options.num_threads));
  }
  if (options.num_threads > 1) {
    interp->pool_ = std::make_unique<ThreadPool>(options.num_threads);
  }
  RETURN_IF_ERROR(interp->Prepare());
  RETURN_IF_ERROR(interp->PlanMemory());
  return interp;
}

Status Interpreter::Prepare() {
  const ir::Subgraph& sg = *subgraph_;
  const int num_tensors = static_cast<int>(sg.tensors.size());
  tensors_.resize(sg.tensors.size());
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    const ir::Tensor& t = sg.tensors[i];
    TensorRef& ref = tensors_[i];
    ref.ir = &t;
    ref.dtype = t.dtype;
    ref.shape = t.shape;
    ref.quant = &t.quant;
    if (t.data) {
      // Kernels only read constant inputs; the const_cast lets one TensorRef
      // type serve inputs and outputs.
      ref.data = const_cast<uint8_t*>(t.data->data());
      ref.bytes = t.data->size();
      ref.is_constant = true;
    }
  }
  auto check_index = [&](int32_t idx, const char* what) -> Status {
    if (idx < -1 || idx >= num_tensors) {
      return InvalidArgument(std::string(what) + " refers to tensor " +
                             std::to_string(idx) + " of " + std::to_string(num_tensors));
    }
    return Status::Ok();
  };
  for (int32_t idx : sg.inputs) RETURN_IF_ERROR(check_index(idx, "subgraph input"));
  for (int32_t idx : sg.outputs) RETURN_IF_ERROR(check_index(idx, "subgraph output"));

  // Find every kernel first so all unsupported ops are reported together.
  const OpRegistry& registry = BuiltinOpRegistry();
  std::string missing;
  kernels_.resize(sg.ops.size());
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& op = sg.ops[i];
    kernels_[i] = registry.Find(op.kind, op.custom_code);
    if (kernels_[i] == nullptr) {
      missing += (missing.empty() ? "" : ", ") + std::string("op ") +
                 std::to_string(i) + " " + OpLabel(op);
    }
  }
  if (!missing.empty()) {
    return Unimplemented("no detlite kernel for: " + missing);
  }
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& op = sg.ops[i];
    std::vector<TensorRef*> ins, outs;
    for (int32_t idx : op.inputs) {
      RETURN_IF_ERROR(check_index(idx, "operator input"));
      ins.push_back(idx < 0 ? nullptr : &tensors_[static_cast<size_t>(idx)]);
    }
    for (int32_t idx : op.outputs) {
      RETURN_IF_ERROR(check_index(idx, "operator output"));
      if (idx < 0) return InvalidArgument("op " + std::to_string(i) + " has an absent output");
      if (tensors_[static_cast<size_t>(idx)].is_constant) {
        return InvalidArgument("op " + std::to_string(i) + " " + OpLabel(op) +
                               " writes constant tensor " + std::to_string(idx));
      }
      outs.push_back(&tensors_[static_cast<size_t>(idx)]);
    }
    contexts_.push_back(std::make_unique<OpContext>(&op, std::move(ins), std::move(outs),
                                                    static_cast<int>(i)));
    RETURN_IF_ERROR(kernels_[i]->prepare(*contexts_.back()));
    // An op that computed all its outputs in Prepare (SetConstantOutput)
    // has nothing left to do.
    folded_.push_back(contexts_.back()->AllOutputsConstant());
  }
  skipped_.assign(sg.ops.size(), false);
  extra_uses_.assign(sg.ops.size(), {});
  absorbed_.assign(sg.ops.size(), {});
  if (options_.fuse_ops && !options_.preserve_all_tensors &&
      conv::UseOptimizedKernels()) {
    FusionPlan plan = FuseConvResiduals(sg, tensors_, contexts_, folded_);
    skipped_ = std::move(plan.skipped);
    extra_uses_ = std::move(plan.extra_uses);
    absorbed_ = std::move(plan.absorbed);
    fused_ops_ = plan.fused_convs + plan.fused_pads;
  }
  return Status::Ok();
}

Status Interpreter::PlanMemory() {
  const ir::Subgraph& sg = *subgraph_;
  const int steps = static_cast<int>(sg.ops.size());
  std::vector<int> first(tensors_.size(), -1), last(tensors_.size(), -1);
  auto touch = [&](int32_t idx, int step) {
    if (idx < 0) return;
    auto& f = first[static_cast<size_t>(idx)];
    auto& l = last[static_cast<size_t>(idx)];
    if (f < 0 || step < f) f = step;
    if (step > l) l = step;
  };
  for (int32_t idx : sg.inputs) touch(idx, 0);
  for (int s = 0; s < steps; ++s) {
    const size_t su = static_cast<size_t>(s);
    if (skipped_[su]) continue;  // its work happens in an earlier op
    // What the op reads after fusion (a conv that absorbed a PAD reads the
    // PAD's input).
    for (int k = 0; k < contexts_[su]->num_inputs(); ++k) {
      const TensorRef* t = contexts_[su]->input(k);
      if (t != nullptr) touch(static_cast<int32_t>(t - tensors_.data()), s);
    }
    // A fused conv writes the fused activation's output instead of its own
    // (in extra_uses_ with the residual).
    if (contexts_[su]->fused_residual() == nullptr) {
      for (int32_t idx : sg.ops[su].outputs) touch(idx, s);
    }
    for (int32_t idx : extra_uses_[su]) touch(idx, s);
  }
  for (int32_t idx : sg.outputs) touch(idx, steps);

  std::vector<BufferRequest> requests;
  std::vector<size_t> owner;
  for (size_t i = 0; i < tensors_.size(); ++i) {
    TensorRef& t = tensors_[i];
    if (t.is_constant) continue;
    const int64_t n = t.shape.NumElements();
    const size_t elem = DTypeSize(t.dtype);
    if (first[i] < 0 && !t.ir->is_variable) continue;  // never used
    if (n < 0 || elem == 0) {
      return Unimplemented("tensor " + std::to_string(i) + " '" + t.name() + "' " +
                           std::string(DTypeName(t.dtype)) + " " + t.shape.ToString() +
                           " has no fixed size; cannot plan memory");
    }
    t.bytes = static_cast<size_t>(n) * elem;
    BufferRequest r{t.bytes, first[i], last[i]};
    if (options_.preserve_all_tensors || t.ir->is_variable || first[i] < 0) {
      r.first_use = 0;
      r.last_use = steps;
    }
    requests.push_back(r);
    owner.push_back(i);
  }
  const std::vector<size_t> offsets = PlanArena(requests, &arena_size_);
  arena_.reset(new uint8_t[arena_size_ + kArenaAlignment]);
  uint8_t* base = arena_.get();
  base += (kArenaAlignment - reinterpret_cast<uintptr_t>(base) % kArenaAlignment) %
          kArenaAlignment;
  std::memset(base, 0, arena_size_);
  for (size_t k = 0; k < owner.size(); ++k) tensors_[owner[k]].data = base + offsets[k];
  return Status::Ok();
}

TensorRef& Interpreter::input(int i) {
  return tensors_[static_cast<size_t>(subgraph_->inputs[static_cast<size_t>(i)])];
}

const char* Interpreter::KernelVariant(int op_index) const {
  if (op_index < 0 || op_index >= static_cast<int>(contexts_.size())) return nullptr;
  const OpData* d = contexts_[static_cast<size_t>(op_index)]->op_data();
  return d != nullptr ? d->KernelVariant() : nullptr;
}

const std::string& Interpreter::AbsorbedOps(int op_index) const {
  static const std::string kNone;
  if (op_index < 0 || op_index >= static_cast<int>(absorbed_.size())) return kNone;
  return absorbed_[static_cast<size_t>(op_index)];
}

const TensorRef& Interpreter::output(int i) const {
  return tensors_[static_cast<size_t>(subgraph_->outputs[static_cast<size_t>(i)])];
}

Status Interpreter::SetInput(int i, const void* data, size_t size) {
  if (i < 0 || i >= num_inputs()) {
    return InvalidArgument("input index " + std::to_string(i) + " out of range (model has " +
                           std::to_string(num_inputs()) + " inputs)");
  }
  TensorRef& t = input(i);
  if (size != t.bytes) {
    return InvalidArgument("input " + std::to_string(i) + " '" + t.name() + "' " +
                           std::string(DTypeName(t.dtype)) + t.shape.ToString() + " needs " +
                           std::to_string(t.bytes) + " bytes, got " + std::to_string(size));
  }
  std::memcpy(t.data, data, size);
  return Status::Ok();
}

Status Interpreter::Invoke() {
  if (options_.profile && profile_.empty()) {
    profile_.resize(contexts_.size());
    for (size_t i = 0; i < contexts_.size(); ++i) profile_[i].op_index = static_cast<int>(i);
  }
  ScopedParallel parallel(pool_.get());
  for (size_t i = 0; i < contexts_.size(); ++i) {
    if (folded_[i] || skipped_[i]) continue;
    const auto start = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(kernels_[i]->eval(*contexts_[i]));
    if (options_.profile) {
      profile_[i].total_us += std::chrono::duration<double, std::micro>(
                                  std::chrono::steady_clock::now() - start).count();
    }
  }
  return Status::Ok();
}

}  // namespace detlite::runtime
