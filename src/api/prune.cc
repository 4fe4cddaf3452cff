// detlite::Prune: validates the options, unpacks sparse weights, picks each
// layer's sparsity (measured sensitivity, or the weights' own energy without
// photos), zeroes the smallest weights and stores them sparse.
#include "detlite/prune.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "api/prune_internal.h"
#include "api/quantize_internal.h"
#include "core/fp16.h"
#include "ir/verifier.h"
#include "prune/allocate.h"
#include "prune/magnitude.h"
#include "quant/fold_float_weights.h"

namespace detlite {
namespace {

std::string Number(float v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", static_cast<double>(v));
  return b;
}

Status CheckOptions(const PruneOptions& o) {
  if (!(o.sparsity >= 0.0f && o.sparsity < 1.0f)) {
    return InvalidArgument("--prune " + Number(o.sparsity) +
                           ": the sparsity must be in [0, 1) (0.75 = three quarters of the weights zero)");
  }
  if (o.pattern == PrunePattern::k2of4 && o.block != PruneBlock::k1x1) {
    return InvalidArgument("--pattern 2:4 and --block " + std::string(NameOf(o.block)) +
                           " exclude each other: 2:4 fixes which weights of each group of 4 are zero");
  }
  if (o.pattern == PrunePattern::k2of4 && o.sparsity > 0.5f) {
    return InvalidArgument("--pattern 2:4 zeroes half of a layer's weights at most; --prune " +
                           Number(o.sparsity) + " needs more (use 0.5 or less)");
  }
  if (o.min_weights < 0) return InvalidArgument("the minimum layer size must be >= 0");
  return Status::Ok();
}

// Without photos: the share of a layer's weight energy each level removes
// stands in for the output noise it causes.
prune::LayerSensitivity EnergySensitivity(const ir::Tensor& w, const std::vector<float>& levels,
                                          const PruneOptions& options) {
  prune::LayerSensitivity s;
  s.elements = w.shape.NumElements();
  s.levels = levels;
  const std::vector<float> v = prune::WeightValues(w);
  double energy = 0;
  for (float x : v) energy += static_cast<double>(x) * x;
  for (float level : levels) {
    const auto mask = prune::MagnitudeMask(v, w.shape, level, options.block, options.pattern);
    double removed = 0;
    for (size_t i = 0; i < v.size(); ++i) removed += mask[i] ? static_cast<double>(v[i]) * v[i] : 0.0;
    s.noise.push_back(energy > 0 ? removed / energy : 0.0);
  }
  return s;
}

// How often each weight of the layer is used per inference: its output's
// pixels (CONV_2D), or rows (FULLY_CONNECTED).
double MacsPerWeight(const ir::Subgraph& sg, const prune::Layer& l) {
  const ir::Operator& op = sg.ops[static_cast<size_t>(l.op_index)];
  const ir::Tensor& w = sg.tensors[static_cast<size_t>(l.weights)];
  if (op.outputs.empty() || op.outputs[0] < 0 || w.shape.rank() < 1 || w.shape.dim(0) <= 0) return 1.0;
  const int64_t out = sg.tensors[static_cast<size_t>(op.outputs[0])].shape.NumElements();
  return std::max(1.0, static_cast<double>(out) / w.shape.dim(0));
}

std::string KeptDense(const ir::Tensor& w, const prune::Layer& l, const PruneOptions& o) {
  if (l.first_conv && !o.prune_first_conv) return "first convolution (--prune-first-conv to prune it)";
  if (w.shape.NumElements() < o.min_weights) {
    return "fewer than " + std::to_string(o.min_weights) + " weights (--prune-min-weights)";
  }
  const Status s = prune::CheckPrunable(w.shape, o.block, o.pattern);
  return s.ok() ? std::string() : s.message();
}

}  // namespace

namespace api {

Status CheckFloatModel(const ir::Model& model) {
  if (model.subgraphs.size() != 1) {
    return Unimplemented("models with " + std::to_string(model.subgraphs.size()) +
                         " subgraphs cannot be pruned yet");
  }
  for (const auto& t : model.subgraphs[0].tensors) {
    if (t.is_constant() && (t.dtype == DType::kInt8 || t.dtype == DType::kUInt8 ||
                            t.dtype == DType::kInt16 || t.dtype == DType::kInt4)) {
      return FailedPrecondition("the model is quantized (constant '" + t.name + "' is " +
                                std::string(DTypeName(t.dtype)) +
                                "); prune its float original, then quantize");
    }
  }
  return Status::Ok();
}

StatusOr<std::shared_ptr<ir::Model>> StartPrune(const Model& model,
                                                std::vector<std::string>* actions) {
  RETURN_IF_ERROR(CheckFloatModel(model.ir()));
  auto work = std::make_shared<ir::Model>(model.ir());
  int unpacked = 0;
  RETURN_IF_ERROR(quant::FoldSparseWeights(*work, &unpacked));
  if (unpacked > 0) actions->push_back("unpacked " + std::to_string(unpacked) + " sparse weight tensors");
  return work;
}

Status CommitPruned(std::shared_ptr<ir::Model> work, const std::string& what, Model& model,
                    std::vector<std::string>* actions) {
  RETURN_IF_ERROR(StoreSparse(*work, actions));
  Status s = ir::Verify(*work);
  if (!s.ok()) return Internal("the " + what + " graph is invalid: " + s.message());
  model = Model(std::move(work), model.path());
  return Status::Ok();
}

}  // namespace api

StatusOr<PruneReport> Prune(Model& model, const PruneOptions& options) {
  auto Context = [&model](Status s) { return model.path().empty() ? s : s.WithContext(model.path()); };
  RETURN_IF_ERROR(CheckOptions(options));
  PruneReport report;
  auto started = api::StartPrune(model, &report.actions);
  if (!started.ok()) return Context(started.status());
  std::shared_ptr<ir::Model> work = *std::move(started);
  Status s;
  const ir::Subgraph& sg = work->subgraphs[0];
  std::vector<prune::Layer> all = prune::FindLayers(sg), layers;
  std::vector<size_t> row;  // report row of each pruned layer
  for (const prune::Layer& l : all) {
    const ir::Tensor& w = sg.tensors[static_cast<size_t>(l.weights)];
    PrunedLayer r;
    r.op = std::string(ir::OpKindName(sg.ops[static_cast<size_t>(l.op_index)].kind));
    r.weights = w.name;
    r.elements = w.shape.NumElements();
    r.kept_dense = KeptDense(w, l, options);
    r.sqnr_db = INFINITY;
    if (r.kept_dense.empty()) {
      layers.push_back(l);
      row.push_back(report.layers.size());
    } else if (r.kept_dense.find("divisible") != std::string::npos) {
      report.warnings.push_back("kept '" + w.name + "' dense: " + r.kept_dense);
    }
    report.layers.push_back(std::move(r));
  }
  if (layers.empty() && options.sparsity > 0) {
    return Context(InvalidArgument("no layer can be pruned (every conv/FC layer is the first conv, "
                                   "smaller than --prune-min-weights or does not fit the block)"));
  }
  const bool two_of_four = options.pattern == PrunePattern::k2of4;
  const std::vector<float> levels = two_of_four ? std::vector<float>{0.5f}
                                                : std::vector<float>{0.5f, 0.75f, 0.9f, 0.95f};
  std::vector<prune::LayerSensitivity> sens;
  if (!options.calibration_data.empty() && options.sparsity > 0) {
    auto trials = api::MeasureSensitivity(*work, layers, levels, options, &report);
    if (!trials.ok()) return Context(trials.status());
    for (size_t i = 0; i < layers.size(); ++i) {
      sens.push_back({sg.tensors[static_cast<size_t>(layers[i].weights)].shape.NumElements(), levels,
                      trials->noise[i]});
    }
  } else {
    for (const auto& l : layers) {
      sens.push_back(EnergySensitivity(sg.tensors[static_cast<size_t>(l.weights)], levels, options));
    }
  }
  // --prune-allocate macs: the unit is the multiply-add, for the ranking
  // and the target alike (the share of the pruned layers' MACs made
  // skippable), so the zeros go where the compute is.
  std::vector<double> macs_per_weight(layers.size(), 1.0);
  if (options.allocate_by_macs) {
    for (size_t i = 0; i < layers.size(); ++i) {
      macs_per_weight[i] = MacsPerWeight(sg, layers[i]);
      sens[i].elements = static_cast<int64_t>(std::llround(static_cast<double>(sens[i].elements) *
                                                           macs_per_weight[i]));
    }
  }
  const std::vector<float> chosen = prune::AllocateSparsity(sens, options.sparsity, two_of_four);
  const ir::Model dense = *work;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (chosen[i] <= 0) continue;
    *work = api::PruneOne(*work, layers[i], chosen[i], options);
    const ir::Tensor& w = work->subgraphs[0].tensors[static_cast<size_t>(layers[i].weights)];
    const std::vector<float> v = prune::WeightValues(w);
    int64_t zeros = 0;
    for (float x : v) zeros += x == 0.0f ? 1 : 0;
    PrunedLayer& r = report.layers[row[i]];
    r.sparsity = static_cast<float>(zeros) / static_cast<float>(v.size());
    if (!sens[i].noise.empty() && report.trials > 0) {
      // The measured level nearest to the chosen one.
      size_t j = 0;
      for (size_t k = 0; k < levels.size(); ++k) {
        if (std::fabs(levels[k] - chosen[i]) < std::fabs(levels[j] - chosen[i])) j = k;
      }
      r.sqnr_db = -10.0 * std::log10(std::max(sens[i].noise[j], 1e-30));
    }
  }
  double macs = 0, zero_macs = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    const PrunedLayer& r = report.layers[row[i]];
    report.pruned_elements += r.elements;
    report.zeros += static_cast<int64_t>(std::llround(r.sparsity * static_cast<double>(r.elements)));
    macs += static_cast<double>(r.elements) * macs_per_weight[i];
    zero_macs += static_cast<double>(r.sparsity) * static_cast<double>(r.elements) * macs_per_weight[i];
  }
  const double reached = options.allocate_by_macs
                             ? (macs > 0 ? zero_macs / macs : 0.0)
                             : (report.pruned_elements > 0 ? static_cast<double>(report.zeros) /
                                                                 static_cast<double>(report.pruned_elements)
                                                           : 1.0);
  if (report.pruned_elements > 0 && reached < 0.99 * options.sparsity) {
    report.warnings.push_back("reached only " + std::to_string(reached) +
                              (options.allocate_by_macs ? " of the MACs" : "") +
                              " sparsity: every pruned layer is at its highest level (" +
                              std::to_string(levels.back()) + ")");
  }
  if (options.allocate_by_macs) {
    report.actions.push_back("zeros skip " + std::to_string(zero_macs / std::max(macs, 1.0)) +
                             " of the pruned layers' MACs (--prune-allocate macs)");
  }
  if (report.trials > 0) {
    auto noise = api::OutputNoise(dense, *work, options);
    if (!noise.ok()) return Context(noise.status());
    report.sqnr_db = -10.0 * std::log10(std::max(*noise, 1e-30));
  }
  report.actions.push_back("pruned " + std::to_string(report.zeros) + " of " +
                           std::to_string(report.pruned_elements) + " weights in " +
                           std::to_string(layers.size()) + " layers (" +
                           std::to_string(all.size() - layers.size()) + " kept dense)");
  s = api::CommitPruned(std::move(work), "pruned", model, &report.actions);
  if (!s.ok()) return Context(s);
  return report;
}

}  // namespace detlite
