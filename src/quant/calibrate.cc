#include "quant/calibrate.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "quant/box_rows.h"
#include "runtime/interpreter.h"

namespace detlite::quant {
namespace {

struct Worker {
  std::map<int32_t, Observer> observers;
  std::map<int32_t, Observer> at_passing_anchors;  // box tensors (quant/box_rows.h)
  Status status;
};

// Observes the box tensors of `boxes` at the anchors whose scores pass.
void ObserveBoxes(const runtime::Interpreter& interp, const BoxRows& boxes, int sample,
                  Worker& w) {
  const runtime::TensorRef& scores = interp.tensor(boxes.scores);
  if (scores.NumElements() != boxes.anchors * boxes.columns) return;
  const std::vector<bool> pass = PassingAnchors(boxes, scores.Data<float>());
  for (auto& [t, obs] : w.at_passing_anchors) {
    const runtime::TensorRef& ref = interp.tensor(t);
    const std::vector<float> v =
        ValuesAtAnchors(boxes, t, ref.Data<float>(), ref.NumElements(), pass);
    if (!v.empty()) obs.Observe(v.data(), static_cast<int64_t>(v.size()), sample);
  }
}

Status RunWorker(const ir::Model& model, const std::vector<int32_t>& watched,
                 const std::optional<BoxRows>& boxes, const SampleLoader& load,
                 const CalibrationOptions& options, int num_samples,
                 std::atomic<int>& next, std::atomic<bool>& failed, std::mutex& progress_mu,
                 int& done, Worker& w) {
  runtime::InterpreterOptions io;
  io.preserve_all_tensors = true;
  ASSIGN_OR_RETURN(auto interp, runtime::Interpreter::Create(model, io));
  for (int32_t t : watched) {
    w.observers.emplace(t, Observer(options.histograms, options.ema_constant));
    if (boxes && boxes->tensors.count(t)) {
      w.at_passing_anchors.emplace(t, Observer(options.histograms, options.ema_constant));
    }
  }
  for (int i = next++; i < num_samples && !failed; i = next++) {
    ASSIGN_OR_RETURN(auto inputs, load(i));
    if (static_cast<int>(inputs.size()) != interp->num_inputs()) {
      return InvalidArgument("calibration sample " + std::to_string(i) + " has " +
                             std::to_string(inputs.size()) + " inputs, the model " +
                             std::to_string(interp->num_inputs()));
    }
    for (int k = 0; k < interp->num_inputs(); ++k) {
      RETURN_IF_ERROR(interp->SetInput(k, inputs[static_cast<size_t>(k)].data(),
                                       inputs[static_cast<size_t>(k)].size()));
    }
    RETURN_IF_ERROR(interp->Invoke());
    for (int32_t t : watched) {
      const runtime::TensorRef& ref = interp->tensor(t);
      w.observers.at(t).Observe(ref.Data<float>(), ref.NumElements(), i);
    }
    if (boxes) ObserveBoxes(*interp, *boxes, i, w);
    std::lock_guard<std::mutex> lock(progress_mu);
    ++done;
    if (options.progress) options.progress(done, num_samples);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::map<int32_t, Observer>> Calibrate(const ir::Model& model, int num_samples,
                                                const SampleLoader& load,
                                                const CalibrationOptions& options) {
  if (num_samples <= 0) return InvalidArgument("no calibration samples");
  const ir::Subgraph& sg = model.subgraphs.at(0);
  // Values exist only for tensors an op writes or the caller feeds; a
  // tensor nothing writes (left over by a rewrite) has none to observe.
  std::vector<bool> computed(sg.tensors.size(), false);
  for (int32_t x : sg.inputs) {
    if (x >= 0) computed[static_cast<size_t>(x)] = true;
  }
  for (const ir::Operator& op : sg.ops) {
    for (int32_t y : op.outputs) {
      if (y >= 0) computed[static_cast<size_t>(y)] = true;
    }
  }
  std::vector<int32_t> watched;
  for (size_t t = 0; t < sg.tensors.size(); ++t) {
    const ir::Tensor& tensor = sg.tensors[t];
    if (computed[t] && !tensor.is_constant() && tensor.dtype == DType::kFloat32) {
      watched.push_back(static_cast<int32_t>(t));
    }
  }
  std::optional<BoxRows> boxes;
  if (options.box_rows_only) boxes = FindBoxRows(sg);
  const int threads = std::clamp(options.threads, 1, std::min(num_samples, 16));
  std::vector<Worker> workers(static_cast<size_t>(threads));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex progress_mu;
  int done = 0;
  std::vector<std::thread> pool;
  for (int k = 0; k < threads; ++k) {
    pool.emplace_back([&, k] {
      Worker& w = workers[static_cast<size_t>(k)];
      w.status = RunWorker(model, watched, boxes, load, options, num_samples, next, failed,
                           progress_mu, done, w);
      if (!w.status.ok()) failed = true;
    });
  }
  for (auto& th : pool) th.join();
  for (const Worker& w : workers) RETURN_IF_ERROR(w.status);
  std::map<int32_t, Observer> merged = std::move(workers[0].observers);
  for (size_t k = 1; k < workers.size(); ++k) {
    for (auto& [t, obs] : workers[k].observers) merged.at(t).Merge(obs);
  }
  // A box tensor takes what it held at passing anchors, if any passed.
  std::map<int32_t, Observer> boxes_merged = std::move(workers[0].at_passing_anchors);
  for (size_t k = 1; k < workers.size(); ++k) {
    for (auto& [t, obs] : workers[k].at_passing_anchors) boxes_merged.at(t).Merge(obs);
  }
  for (auto& [t, obs] : boxes_merged) {
    if (obs.seen()) merged.at(t) = std::move(obs);
  }
  return merged;
}

}  // namespace detlite::quant
