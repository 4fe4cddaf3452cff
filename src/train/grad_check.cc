#include "train/grad_check.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <random>

#include "train/backward.h"
#include "train/forward.h"

namespace detlite::train {
namespace {

// A parameter whose entries are checked: a float input or constant.
struct Param {
  int32_t tensor = -1;
  int input = -1;  // index into the subgraph's inputs, or -1 for a constant
  int64_t count = 0;
  float rms = 0;
};

StatusOr<double> Loss(const ir::Model& model, const std::vector<std::vector<float>>& inputs,
                      const std::vector<int32_t>& outputs,
                      const std::vector<std::vector<float>>& weights) {
  ASSIGN_OR_RETURN(ForwardState fwd, Forward(model, inputs));
  double loss = 0;
  for (size_t o = 0; o < outputs.size(); ++o) {
    const float* v = fwd.values(outputs[o]);
    for (size_t i = 0; i < weights[o].size(); ++i) loss += double{weights[o][i]} * v[i];
  }
  return loss;
}

}  // namespace

void CountWithin(double tolerance, double floor, GradCheckReport* report) {
  report->within = report->negated_within = 0;
  for (const auto& e : report->entries) {
    const double bound = tolerance * std::max(std::abs(e.numeric), floor * report->max_abs_numeric);
    if (std::abs(e.analytic - e.numeric) <= bound) ++report->within;
    if (std::abs(-e.analytic - e.numeric) <= bound) ++report->negated_within;
  }
}

std::string GradCheckReport::Summary(const ir::Subgraph& sg, int worst) const {
  std::vector<const GradCheckEntry*> sorted;
  for (const auto& e : entries) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return std::abs(a->analytic - a->numeric) > std::abs(b->analytic - b->numeric);
  });
  std::string s = std::to_string(entries.size()) + " entries, scale " +
                  std::to_string(max_abs_numeric) + ", max error " + std::to_string(max_error) +
                  ", cosine " + std::to_string(cosine) + " (negated " + std::to_string(negated_error) + ", shifted " +
                  std::to_string(shifted_error) + ")";
  for (int i = 0; i < worst && i < static_cast<int>(sorted.size()); ++i) {
    const auto& e = *sorted[static_cast<size_t>(i)];
    s += "; " + sg.tensors[static_cast<size_t>(e.tensor)].name + "[" + std::to_string(e.index) +
         "] analytic " + std::to_string(e.analytic) + " numeric " + std::to_string(e.numeric);
  }
  return s;
}

StatusOr<GradCheckReport> CheckGradients(const ir::Model& model,
                                         const std::vector<std::vector<float>>& inputs,
                                         const GradCheckOptions& options) {
  if (model.subgraphs.empty()) return InvalidArgument("grad check: the model has no subgraph");
  const ir::Subgraph& sg0 = model.subgraphs[0];
  const std::vector<int32_t> outputs = options.outputs.empty() ? sg0.outputs : options.outputs;
  std::mt19937 rng(options.seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);

  ASSIGN_OR_RETURN(ForwardState fwd, Forward(model, inputs));
  std::vector<std::vector<float>> weights;
  std::map<int32_t, std::vector<float>> seeds;
  for (int32_t o : outputs) {
    if (fwd.values(o) == nullptr) return InvalidArgument("grad check: output is not float32");
    std::vector<float> w(static_cast<size_t>(fwd.tensor(o).NumElements()));
    for (float& v : w) v = normal(rng);
    seeds[o] = w;
    weights.push_back(std::move(w));
  }
  ASSIGN_OR_RETURN(Gradients grads, Backward(fwd, seeds));

  // Parameters: float inputs and constants some checked output depends on.
  std::vector<Param> params;
  std::vector<bool> used(sg0.tensors.size(), false);
  for (int op : OpsFeeding(sg0, outputs)) {
    for (int32_t in : sg0.ops[static_cast<size_t>(op)].inputs) {
      if (in >= 0) used[static_cast<size_t>(in)] = true;
    }
  }
  for (size_t t = 0; t < sg0.tensors.size(); ++t) {
    const ir::Tensor& tensor = sg0.tensors[t];
    if (!used[t] || tensor.dtype != DType::kFloat32 || tensor.sparsity) continue;
    const auto it = std::find(sg0.inputs.begin(), sg0.inputs.end(), static_cast<int32_t>(t));
    const bool is_input = it != sg0.inputs.end();
    if ((is_input && !options.check_inputs) || (tensor.is_constant() && !options.check_constants)) continue;
    if (!is_input && !tensor.is_constant()) continue;
    Param p;
    p.tensor = static_cast<int32_t>(t);
    p.input = is_input ? static_cast<int>(it - sg0.inputs.begin()) : -1;
    const float* v = fwd.values(p.tensor);
    p.count = fwd.tensor(p.tensor).NumElements();
    double sq = 0;
    for (int64_t i = 0; i < p.count; ++i) sq += double{v[i]} * v[i];
    p.rms = p.count > 0 ? static_cast<float>(std::sqrt(sq / static_cast<double>(p.count))) : 0.0f;
    if (p.count > 0) params.push_back(p);
  }
  if (params.empty()) return InvalidArgument("grad check: no float input or constant to check");

  std::vector<std::pair<size_t, int64_t>> picks;
  if (options.samples <= 0) {
    for (size_t p = 0; p < params.size(); ++p) {
      for (int64_t i = 0; i < params[p].count; ++i) picks.emplace_back(p, i);
    }
  } else {
    for (int s = 0; s < options.samples; ++s) {
      const size_t p = std::uniform_int_distribution<size_t>(0, params.size() - 1)(rng);
      picks.emplace_back(p, std::uniform_int_distribution<int64_t>(0, params[p].count - 1)(rng));
    }
  }

  // Perturbations go into a working copy: inputs by value, constants through
  // fresh byte buffers (the originals are shared and immutable).
  ir::Model work = model;
  std::vector<std::vector<float>> in = inputs;
  GradCheckReport report;
  for (const auto& [pi, index] : picks) {
    const Param& p = params[pi];
    const std::vector<float>* g = grads.Find(p.tensor);
    float* value;
    if (p.input >= 0) {
      value = &in[static_cast<size_t>(p.input)][static_cast<size_t>(index)];
    } else {
      ir::Tensor& t = work.subgraphs[0].tensors[static_cast<size_t>(p.tensor)];
      auto bytes = std::make_shared<ir::Bytes>(*t.data);
      value = reinterpret_cast<float*>(bytes->data()) + index;
      t.data = std::move(bytes);
    }
    const float original = *value;
    const float h = std::max(options.step * std::max(std::abs(original), p.rms), options.min_step);
    *value = original + h;
    const float up = *value;
    ASSIGN_OR_RETURN(double plus, Loss(work, in, outputs, weights));
    *value = original - h;
    const float down = *value;
    ASSIGN_OR_RETURN(double minus, Loss(work, in, outputs, weights));
    *value = original;
    GradCheckEntry e;
    e.tensor = p.tensor;
    e.index = index;
    e.analytic = g != nullptr ? (*g)[static_cast<size_t>(index)] : 0.0;
    e.numeric = (plus - minus) / (double{up} - double{down});
    report.entries.push_back(e);
  }
  for (const auto& e : report.entries) report.max_abs_numeric = std::max(report.max_abs_numeric, std::abs(e.numeric));
  const double scale = report.max_abs_numeric > 0 ? report.max_abs_numeric : 1.0;
  double dot = 0, aa = 0, nn = 0;
  for (const auto& e : report.entries) {
    dot += e.analytic * e.numeric;
    aa += e.analytic * e.analytic;
    nn += e.numeric * e.numeric;
  }
  report.cosine = aa > 0 && nn > 0 ? dot / std::sqrt(aa * nn) : 0.0;
  for (size_t i = 0; i < report.entries.size(); ++i) {
    const auto& e = report.entries[i];
    report.max_error = std::max(report.max_error, std::abs(e.analytic - e.numeric) / scale);
    report.negated_error = std::max(report.negated_error, std::abs(-e.analytic - e.numeric) / scale);
    // The analytic value of the neighbouring entry of the same tensor.
    const std::vector<float>* g = grads.Find(e.tensor);
    const auto& p = *std::find_if(params.begin(), params.end(), [&](const Param& q) { return q.tensor == e.tensor; });
    const double neighbour = g != nullptr ? (*g)[static_cast<size_t>((e.index + 1) % p.count)] : 0.0;
    report.shifted_error = std::max(report.shifted_error, std::abs(neighbour - e.numeric) / scale);
  }
  return report;
}

}  // namespace detlite::train
