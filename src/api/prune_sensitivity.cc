// Sensitivity of a model's outputs to pruning each layer, on calibration
// photos: the unpruned model's outputs are the reference, and a trial's
// noise is sum (y - y_ref)^2 / sum y_ref^2 over every output of every photo.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "api/prune_internal.h"
#include "api/quantize_calibration.h"
#include "passes/dead_code_elimination.h"
#include "prune/magnitude.h"

namespace detlite::api {
namespace {

// The model cut before custom ops that end it (TFLite_Detection_PostProcess:
// its NMS turns small changes into different boxes), so noise is measured on
// the raw box and score tensors.
StatusOr<ir::Model> RawOutputs(const ir::Model& model) {
  ir::Model out = model;
  const ir::Subgraph& sg = out.subgraphs[0];
  std::vector<int32_t> outputs;
  bool cut = false;
  for (int32_t o : sg.outputs) {
    const ir::Operator* producer = nullptr;
    for (const ir::Operator& op : sg.ops) {
      for (int32_t x : op.outputs) producer = x == o ? &op : producer;
    }
    if (producer == nullptr || producer->kind != ir::OpKind::kCustom) {
      if (std::find(outputs.begin(), outputs.end(), o) == outputs.end()) outputs.push_back(o);
      continue;
    }
    cut = true;
    for (int32_t x : producer->inputs) {
      if (x < 0 || sg.tensors[static_cast<size_t>(x)].is_constant()) continue;
      if (std::find(outputs.begin(), outputs.end(), x) == outputs.end()) outputs.push_back(x);
    }
  }
  if (cut) RETURN_IF_ERROR(passes::CutToOutputs(out, outputs));
  return out;
}

class NoiseMeter {
 public:
  static StatusOr<NoiseMeter> Open(const ir::Model& full_reference, const PruneOptions& options) {
    NoiseMeter m;
    ASSIGN_OR_RETURN(ir::Model reference, RawOutputs(full_reference));
    ASSIGN_OR_RETURN(CalibrationSet set,
                     CalibrationSet::Open(options.calibration_data, options.calibration_size));
    Model ref(std::make_shared<ir::Model>(reference));
    ASSIGN_OR_RETURN(Runner r, Runner::Create(ref));
    if (r.num_inputs() != 1) {
      return InvalidArgument("pruning measures sensitivity on models with one image input; this one has " +
                             std::to_string(r.num_inputs()) + " inputs (omit --calibration-data)");
    }
    const TensorInfo input = r.InputInfo(0);
    for (size_t i = 0; i < set.size(); ++i) {
      ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, set.Load(i, input, options.preprocess, nullptr));
      m.inputs_.push_back(std::move(bytes));
    }
    ASSIGN_OR_RETURN(m.reference_, m.Outputs(r));
    for (const auto& v : m.reference_) {
      for (float y : v) m.signal_ += static_cast<double>(y) * y;
    }
    if (!(m.signal_ > 0)) return InvalidArgument("the model's outputs are all zero on the calibration photos");
    return m;
  }

  int images() const { return static_cast<int>(inputs_.size()); }

  StatusOr<double> Noise(const ir::Model& full_model) const {
    ASSIGN_OR_RETURN(ir::Model model, RawOutputs(full_model));
    ASSIGN_OR_RETURN(Runner r, Runner::Create(Model(std::make_shared<ir::Model>(std::move(model)))));
    ASSIGN_OR_RETURN(auto out, Outputs(r));
    double noise = 0;
    for (size_t i = 0; i < out.size(); ++i) {
      for (size_t j = 0; j < out[i].size() && j < reference_[i].size(); ++j) {
        const double d = static_cast<double>(out[i][j]) - reference_[i][j];
        noise += d * d;
      }
    }
    return std::isfinite(noise) ? noise / signal_ : 1e30;
  }

 private:
  // Every output of every image, flattened: [image][values].
  StatusOr<std::vector<std::vector<float>>> Outputs(Runner& r) const {
    std::vector<std::vector<float>> all;
    for (const auto& bytes : inputs_) {
      RETURN_IF_ERROR(r.SetInput(0, bytes));
      RETURN_IF_ERROR(r.Run());
      std::vector<float> v;
      for (int o = 0; o < r.num_outputs(); ++o) {
        const std::vector<float> f = r.Output(o).ToFloat();
        v.insert(v.end(), f.begin(), f.end());
      }
      all.push_back(std::move(v));
    }
    return all;
  }

  std::vector<std::vector<uint8_t>> inputs_;
  std::vector<std::vector<float>> reference_;
  double signal_ = 0;
};

}  // namespace

ir::Model PruneOne(const ir::Model& model, const prune::Layer& layer, float level,
                   const PruneOptions& options) {
  ir::Model out = model;
  ir::Tensor& w = out.subgraphs[0].tensors[static_cast<size_t>(layer.weights)];
  const std::vector<bool> mask =
      prune::MagnitudeMask(prune::WeightValues(w), w.shape, level, options.block, options.pattern);
  SparseLayout layout = PlainCsrLayout(w.shape.rank());
  if (options.block == PruneBlock::k1x4) layout = BlockCsrLayout(w.shape.rank(), w.shape.rank() - 1, 4);
  if (options.block == PruneBlock::k4x1 && w.shape.dim(0) % 4 == 0) {
    layout = BlockCsrLayout(w.shape.rank(), 0, 4);  // else a shorter last block: plain CSR
  }
  w = prune::ZeroWeights(w, mask, layout);
  return out;
}

StatusOr<PruneTrials> MeasureSensitivity(const ir::Model& model,
                                         const std::vector<prune::Layer>& layers,
                                         const std::vector<float>& levels,
                                         const PruneOptions& options, PruneReport* report) {
  ASSIGN_OR_RETURN(NoiseMeter meter, NoiseMeter::Open(model, options));
  report->calibration_images = meter.images();
  PruneTrials t;
  t.levels = levels;
  const int total = static_cast<int>(layers.size() * levels.size());
  int done = 0;
  for (const prune::Layer& layer : layers) {
    std::vector<double> noise;
    for (float level : levels) {
      ASSIGN_OR_RETURN(double n, meter.Noise(PruneOne(model, layer, level, options)));
      noise.push_back(n);
      ++report->trials;
      if (options.progress) options.progress(++done, total);
    }
    t.noise.push_back(std::move(noise));
  }
  return t;
}

StatusOr<double> OutputNoise(const ir::Model& reference, const ir::Model& pruned,
                             const PruneOptions& options) {
  ASSIGN_OR_RETURN(NoiseMeter meter, NoiseMeter::Open(reference, options));
  return meter.Noise(pruned);
}

StatusOr<std::vector<double>> MeasureNoises(const ir::Model& reference, int count,
                                            const std::function<StatusOr<ir::Model>(int)>& candidate,
                                            const PruneOptions& options, int* images) {
  ASSIGN_OR_RETURN(NoiseMeter meter, NoiseMeter::Open(reference, options));
  *images = meter.images();
  std::vector<double> noise;
  for (int i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(ir::Model m, candidate(i));
    ASSIGN_OR_RETURN(double n, meter.Noise(m));
    noise.push_back(n);
    if (options.progress) options.progress(i + 1, count);
  }
  return noise;
}

StatusOr<std::vector<std::vector<double>>> ChannelMeans(const ir::Model& model,
                                                       const std::vector<int32_t>& tensors,
                                                       const PruneOptions& options) {
  ir::Model cut = model;
  RETURN_IF_ERROR(passes::CutToOutputs(cut, tensors));
  ASSIGN_OR_RETURN(CalibrationSet set, CalibrationSet::Open(options.calibration_data, options.calibration_size));
  ASSIGN_OR_RETURN(Runner r, Runner::Create(Model(std::make_shared<ir::Model>(std::move(cut)))));
  if (r.num_inputs() != 1) return InvalidArgument("channel means need a model with one image input");
  std::vector<std::vector<double>> means(tensors.size());
  const TensorInfo input = r.InputInfo(0);
  for (size_t i = 0; i < set.size(); ++i) {
    ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, set.Load(i, input, options.preprocess, nullptr));
    RETURN_IF_ERROR(r.SetInput(0, bytes));
    RETURN_IF_ERROR(r.Run());
    for (size_t o = 0; o < tensors.size(); ++o) {
      const TensorInfo info = r.OutputInfo(static_cast<int>(o));
      const size_t c = info.shape.empty() ? 1 : static_cast<size_t>(info.shape.back());
      const std::vector<float> v = r.Output(static_cast<int>(o)).ToFloat();
      means[o].resize(c, 0.0);
      const double per = static_cast<double>(v.size() / c) * static_cast<double>(set.size());
      for (size_t k = 0; k < v.size(); ++k) means[o][k % c] += v[k] / per;
    }
  }
  return means;
}

}  // namespace detlite::api
