#include "quant/channel_stats.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

#include "runtime/interpreter.h"

namespace detlite::quant {
namespace {

Status Observe(const std::string& name, const float* v, int64_t n, ChannelStats& s) {
  const int64_t c = static_cast<int64_t>(s.sum.size());
  if (c == 0 || n % c != 0) return Internal("tensor '" + name + "' does not split into channels");
  for (int64_t i = 0; i < n; ++i) {
    const float x = v[i];
    if (!std::isfinite(x)) {
      return InvalidArgument("tensor '" + name + "' holds a non-finite value on the calibration data");
    }
    const size_t k = static_cast<size_t>(i % c);
    s.sum[k] += x;
    s.min[k] = std::min(s.min[k], x);
    s.max[k] = std::max(s.max[k], x);
  }
  s.count += n / c;
  return Status::Ok();
}

}  // namespace

void ChannelStats::Merge(const ChannelStats& o) {
  for (size_t k = 0; k < sum.size() && k < o.sum.size(); ++k) {
    sum[k] += o.sum[k];
    min[k] = std::min(min[k], o.min[k]);
    max[k] = std::max(max[k], o.max[k]);
  }
  count += o.count;
}

StatusOr<std::map<int32_t, ChannelStats>> CollectChannelStats(const ir::Model& model,
                                                              int num_samples,
                                                              const SampleLoader& load,
                                                              const std::vector<int32_t>& tensors,
                                                              int threads) {
  if (num_samples <= 0) return InvalidArgument("no calibration samples");
  const ir::Subgraph& sg = model.subgraphs.at(0);
  std::map<int32_t, ChannelStats> empty;
  for (int32_t t : tensors) {
    const ir::Tensor& tensor = sg.tensors.at(static_cast<size_t>(t));
    if (tensor.dtype != DType::kFloat32 || !tensor.has_rank || tensor.shape.rank() == 0) {
      return Internal("tensor '" + tensor.name + "' has no float channels");
    }
    const size_t c = static_cast<size_t>(tensor.shape.dim(tensor.shape.rank() - 1));
    ChannelStats s;
    s.sum.assign(c, 0.0);
    s.min.assign(c, std::numeric_limits<float>::infinity());
    s.max.assign(c, -std::numeric_limits<float>::infinity());
    empty.emplace(t, std::move(s));
  }
  const int n_threads = std::clamp(threads, 1, std::min(num_samples, 16));
  std::vector<std::map<int32_t, ChannelStats>> parts(static_cast<size_t>(n_threads), empty);
  std::vector<Status> status(static_cast<size_t>(n_threads));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  auto work = [&](size_t k) -> Status {
    runtime::InterpreterOptions io;
    io.preserve_all_tensors = true;
    ASSIGN_OR_RETURN(auto interp, runtime::Interpreter::Create(model, io));
    for (int i = next++; i < num_samples && !failed; i = next++) {
      ASSIGN_OR_RETURN(auto inputs, load(i));
      if (static_cast<int>(inputs.size()) != interp->num_inputs()) {
        return InvalidArgument("calibration sample " + std::to_string(i) + " has " +
                               std::to_string(inputs.size()) + " inputs");
      }
      for (int x = 0; x < interp->num_inputs(); ++x) {
        RETURN_IF_ERROR(interp->SetInput(x, inputs[static_cast<size_t>(x)].data(),
                                         inputs[static_cast<size_t>(x)].size()));
      }
      RETURN_IF_ERROR(interp->Invoke());
      for (auto& [t, s] : parts[k]) {
        const runtime::TensorRef& ref = interp->tensor(t);
        RETURN_IF_ERROR(Observe(sg.tensors[static_cast<size_t>(t)].name, ref.Data<float>(),
                                ref.NumElements(), s));
      }
    }
    return Status::Ok();
  };
  std::vector<std::thread> pool;
  for (int k = 0; k < n_threads; ++k) {
    pool.emplace_back([&, k] {
      status[static_cast<size_t>(k)] = work(static_cast<size_t>(k));
      if (!status[static_cast<size_t>(k)].ok()) failed = true;
    });
  }
  for (auto& th : pool) th.join();
  for (const Status& s : status) RETURN_IF_ERROR(s);
  for (size_t k = 1; k < parts.size(); ++k) {
    for (auto& [t, s] : parts[k]) parts[0].at(t).Merge(s);
  }
  return std::move(parts[0]);
}

}  // namespace detlite::quant
