#include "train/backward.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "ir/op_kind.h"
#include "runtime/thread_pool.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

bool IsFloat(const ir::Subgraph& sg, int32_t t) {
  return t >= 0 && sg.tensors[static_cast<size_t>(t)].dtype == DType::kFloat32;
}

// Tensors a gradient flows through: float32 ones, and the integer output of
// a QUANTIZE of float data (fake quantization, src/train/fake_quant.h: its
// gradient is taken with respect to its dequantized value).
class GradTensors {
 public:
  explicit GradTensors(const ir::Subgraph& sg) : carries_(sg.tensors.size(), false) {
    for (size_t t = 0; t < sg.tensors.size(); ++t) carries_[t] = IsFloat(sg, static_cast<int32_t>(t));
    for (const ir::Operator& op : sg.ops) {
      if (op.kind != ir::OpKind::kQuantize || op.inputs.empty() || op.outputs.empty()) continue;
      const int32_t y = op.outputs[0];
      if (IsFloat(sg, op.inputs[0]) && y >= 0 && !sg.tensors[static_cast<size_t>(y)].is_constant()) {
        carries_[static_cast<size_t>(y)] = true;
      }
    }
  }
  bool operator()(int32_t t) const { return t >= 0 && carries_[static_cast<size_t>(t)]; }

 private:
  std::vector<bool> carries_;
};

std::string OpLabel(const ir::Subgraph& sg, int index) {
  const ir::Operator& op = sg.ops[static_cast<size_t>(index)];
  std::string kind = op.kind == ir::OpKind::kCustom ? op.custom_code
                                                    : std::string(ir::OpKindName(op.kind));
  std::string name = op.outputs.empty() || op.outputs[0] < 0
                         ? std::string()
                         : sg.tensors[static_cast<size_t>(op.outputs[0])].name;
  return "op " + std::to_string(index) + " " + kind + " (" + name + ")";
}

}  // namespace

std::vector<int> OpsFeeding(const ir::Subgraph& sg, const std::vector<int32_t>& tensors) {
  const GradTensors carries(sg);
  std::vector<bool> needed(sg.tensors.size(), false);
  for (int32_t t : tensors) {
    if (carries(t)) needed[static_cast<size_t>(t)] = true;
  }
  std::vector<int> ops;
  for (int i = static_cast<int>(sg.ops.size()) - 1; i >= 0; --i) {
    const ir::Operator& op = sg.ops[static_cast<size_t>(i)];
    bool feeds = false;
    for (int32_t o : op.outputs) feeds = feeds || (o >= 0 && needed[static_cast<size_t>(o)]);
    bool has_float_input = false;
    for (int32_t in : op.inputs) has_float_input = has_float_input || carries(in);
    if (!feeds || !has_float_input) continue;
    ops.push_back(i);
    for (int32_t in : op.inputs) {
      if (carries(in)) needed[static_cast<size_t>(in)] = true;
    }
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

Status CheckDifferentiable(const ir::Subgraph& sg, const std::vector<int32_t>& tensors) {
  const GradRegistry& registry = BuiltinGradRegistry();
  std::vector<std::string> missing;
  for (int i : OpsFeeding(sg, tensors)) {
    const ir::Operator& op = sg.ops[static_cast<size_t>(i)];
    if (op.kind == ir::OpKind::kCustom || registry.Find(op.kind) == nullptr) {
      missing.push_back(OpLabel(sg, i));
    }
  }
  if (missing.empty()) return Status::Ok();
  std::string message = std::to_string(missing.size()) + " op" +
                        (missing.size() == 1 ? " has" : "s have") + " no gradient: ";
  for (size_t i = 0; i < missing.size(); ++i) message += (i ? ", " : "") + missing[i];
  return Unimplemented(message);
}

StatusOr<Gradients> Backward(const ForwardState& forward,
                             const std::map<int32_t, std::vector<float>>& output_grads,
                             const BackwardOptions& options) {
  const ir::Subgraph& sg = forward.subgraph();
  std::vector<int32_t> seeds;
  Gradients grads;
  grads.by_tensor.resize(sg.tensors.size());
  for (const auto& [t, g] : output_grads) {
    if (t < 0 || static_cast<size_t>(t) >= sg.tensors.size() || !IsFloat(sg, t)) {
      return InvalidArgument("backward: seed tensor " + std::to_string(t) +
                             " is not a float32 tensor of the graph");
    }
    if (static_cast<int64_t>(g.size()) != forward.tensor(t).NumElements()) {
      return InvalidArgument("backward: the gradient for '" + forward.tensor(t).name() + "' has " +
                             std::to_string(g.size()) + " values, the tensor " +
                             std::to_string(forward.tensor(t).NumElements()));
    }
    grads.by_tensor[static_cast<size_t>(t)] = g;
    seeds.push_back(t);
  }
  RETURN_IF_ERROR(CheckDifferentiable(sg, seeds));
  const GradTensors carries(sg);
  std::vector<bool> keep(sg.tensors.size(), options.keep_intermediates);
  for (int32_t t : sg.inputs) keep[static_cast<size_t>(t)] = true;
  for (size_t t = 0; t < sg.tensors.size(); ++t) keep[t] = keep[t] || sg.tensors[t].is_constant();
  // Which tensors need a gradient at all: float constants, the inputs when
  // asked for, and whatever an op computes from one of those. An op none of
  // whose inputs needs one is skipped (e.g. a PAD of the image).
  std::vector<bool> wanted(sg.tensors.size(), false);
  for (size_t t = 0; t < sg.tensors.size(); ++t) wanted[t] = sg.tensors[t].is_constant();
  if (options.input_gradients) {
    for (int32_t t : sg.inputs) wanted[static_cast<size_t>(t)] = true;
  }
  for (const ir::Operator& op : sg.ops) {
    bool any = false;
    for (int32_t in : op.inputs) any = any || (carries(in) && wanted[static_cast<size_t>(in)]);
    for (int32_t o : op.outputs) {
      if (o >= 0 && any) wanted[static_cast<size_t>(o)] = true;
    }
  }

  const GradRegistry& registry = BuiltinGradRegistry();
  const std::vector<int> ops = OpsFeeding(sg, seeds);
  std::unique_ptr<runtime::ThreadPool> pool;
  if (options.num_threads > 1) pool = std::make_unique<runtime::ThreadPool>(options.num_threads);
  runtime::ScopedParallel parallel(pool.get());
  std::vector<std::vector<float>> zeros;
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
    const ir::Operator& op = sg.ops[static_cast<size_t>(*it)];
    OpGrad g;
    g.op = &op;
    g.op_index = *it;
    zeros.clear();
    zeros.reserve(op.outputs.size());
    bool any = false;
    for (int32_t o : op.outputs) {
      g.out.push_back(&forward.tensor(o));
      const auto& go = grads.by_tensor[static_cast<size_t>(o)];
      if (!go.empty()) {
        any = true;
        g.dout.push_back(go.data());
      } else {
        zeros.emplace_back(static_cast<size_t>(std::max<int64_t>(forward.tensor(o).NumElements(), 0)), 0.0f);
        g.dout.push_back(zeros.back().data());
      }
    }
    bool wants = false;
    for (int32_t in : op.inputs) wants = wants || (carries(in) && wanted[static_cast<size_t>(in)]);
    if (!any || !wants) continue;
    for (int32_t in : op.inputs) {
      g.in.push_back(in >= 0 ? &forward.tensor(in) : nullptr);
      if (!carries(in) || !wanted[static_cast<size_t>(in)]) {
        g.din.push_back(nullptr);
        continue;
      }
      auto& gi = grads.by_tensor[static_cast<size_t>(in)];
      if (gi.empty()) gi.assign(static_cast<size_t>(forward.tensor(in).NumElements()), 0.0f);
      g.din.push_back(gi.data());
    }
    const auto start = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(registry.Find(op.kind)(g));
    if (options.profile) {
      grads.profile.push_back(
          {*it, std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count()});
    }
    for (int32_t o : op.outputs) {
      if (!keep[static_cast<size_t>(o)]) std::vector<float>().swap(grads.by_tensor[static_cast<size_t>(o)]);
    }
  }
  return grads;
}

}  // namespace detlite::train
