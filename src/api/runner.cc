#include <algorithm>
#include <cstring>

#include "api/tensor_info.h"
#include "detlite/model.h"
#include "ir/graph.h"
#include "kernels/optimized/cpu.h"
#include "runtime/interpreter.h"

namespace detlite {

struct Runner::Impl {
  std::shared_ptr<const ir::Model> model;  // keeps constants alive
  std::unique_ptr<runtime::Interpreter> interp;
};

Runner::Runner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Runner::Runner(Runner&&) noexcept = default;
Runner& Runner::operator=(Runner&&) noexcept = default;
Runner::~Runner() = default;

StatusOr<Runner> Runner::Create(const Model& model, const RunnerOptions& options) {
  auto impl = std::make_unique<Impl>();
  // The runner holds its own copy of the IR (constants are shared, not
  // copied) so it stays valid if the caller edits or drops the model.
  impl->model = std::make_shared<const ir::Model>(model.ir());
  runtime::InterpreterOptions io;
  io.preserve_all_tensors = options.preserve_all_tensors;
  io.profile = options.profile;
  io.num_threads = options.num_threads;
  // An op that reads its own output is a cycle no runtime can order; say so
  // instead of letting a kernel fail on the unset tensor.
  for (size_t s = 0; s < impl->model->subgraphs.size(); ++s) {
    const auto& ops = impl->model->subgraphs[s].ops;
    for (size_t k = 0; k < ops.size(); ++k) {
      for (int32_t out : ops[k].outputs) {
        if (std::find(ops[k].inputs.begin(), ops[k].inputs.end(), out) == ops[k].inputs.end()) {
          continue;
        }
        return InvalidArgument(model.path() + ": subgraph " + std::to_string(s) + " op " +
                               std::to_string(k) + " reads its own output (tensor " +
                               std::to_string(out) + "): the graph has a cycle");
      }
    }
  }
  auto interp = runtime::Interpreter::Create(*impl->model, io);
  if (!interp.ok()) {
    return model.path().empty() ? interp.status() : interp.status().WithContext(model.path());
  }
  impl->interp = std::move(interp).value();
  return Runner(std::move(impl));
}

int Runner::num_inputs() const { return impl_->interp->num_inputs(); }
int Runner::num_outputs() const { return impl_->interp->num_outputs(); }

TensorInfo Runner::InputInfo(int i) const {
  const auto& sg = impl_->interp->subgraph();
  return api::MakeTensorInfo(sg, sg.inputs[static_cast<size_t>(i)]);
}

TensorInfo Runner::OutputInfo(int i) const {
  const auto& sg = impl_->interp->subgraph();
  TensorInfo info = api::MakeTensorInfo(sg, sg.outputs[static_cast<size_t>(i)]);
  info.shape = impl_->interp->output(i).shape.dims();
  return info;
}

Status Runner::SetInput(int i, const std::vector<uint8_t>& bytes) {
  return impl_->interp->SetInput(i, bytes.data(), bytes.size());
}

Status Runner::Run() { return impl_->interp->Invoke(); }

StatusOr<HostTensor> Runner::Tensor(int index) const {
  if (index < 0 || index >= impl_->interp->num_tensors()) {
    return InvalidArgument("no tensor " + std::to_string(index));
  }
  const runtime::TensorRef& t = impl_->interp->tensor(index);
  if (t.data == nullptr) {
    return FailedPrecondition("tensor " + std::to_string(index) + " '" + t.name() +
                              "' has no memory (unused)");
  }
  HostTensor h;
  h.info = api::MakeTensorInfo(impl_->interp->subgraph(), index);
  h.info.shape = t.shape.dims();
  h.bytes.assign(t.data, t.data + t.bytes);
  return h;
}

HostTensor Runner::Output(int i) const {
  return *Tensor(impl_->interp->subgraph().outputs[static_cast<size_t>(i)]);
}

std::vector<OpTiming> Runner::Profile() const {
  std::vector<OpTiming> out;
  const auto& sg = impl_->interp->subgraph();
  for (const auto& p : impl_->interp->profile()) {
    // An op fused into a conv has no time of its own: the conv's row names
    // it (below), so listing it at 0 ms would only mislead.
    if (impl_->interp->IsFusedAway(p.op_index)) continue;
    const ir::Operator& op = sg.ops[static_cast<size_t>(p.op_index)];
    OpTiming t;
    t.op_index = p.op_index;
    t.op = op.kind == ir::OpKind::kCustom ? op.custom_code : std::string(ir::OpKindName(op.kind));
    // A conv that also ran the ADD (and PAD, activation) fused into it.
    const std::string& absorbed = impl_->interp->AbsorbedOps(p.op_index);
    if (!absorbed.empty()) t.op += " (" + absorbed + ")";
    if (!op.outputs.empty() && op.outputs[0] >= 0) {
      t.output_name = sg.tensors[static_cast<size_t>(op.outputs[0])].name;
    }
    t.total_us = p.total_us;
    t.macs = api::OpMacs(sg, op);
    if (const char* v = impl_->interp->KernelVariant(p.op_index)) t.kernel = v;
    out.push_back(std::move(t));
  }
  return out;
}

size_t Runner::arena_bytes() const { return impl_->interp->arena_bytes(); }

std::string KernelIsa() {
  return kernels::optimized::IsaName(kernels::optimized::ActiveIsa());
}

}  // namespace detlite
