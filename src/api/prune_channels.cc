// detlite::PruneChannels: builds the channel-dependency groups, measures
// each group's sensitivity, allocates the removed channels and rewrites the
// graph (src/prune/channel_*).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <set>

#include "api/prune_internal.h"
#include "api/quantize_calibration.h"
#include "api/quantize_internal.h"
#include "api/tensor_info.h"
#include "detlite/prune.h"
#include "prune/allocate.h"
#include "prune/channel_groups.h"
#include "prune/channel_reconstruct.h"
#include "prune/channel_reconstruct_select.h"
#include "prune/channel_rewrite.h"
#include "quant/fold_float_weights.h"

namespace detlite {
namespace {

std::string Number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

int64_t Macs(const ir::Model& m) {
  int64_t n = 0;
  for (const ir::Operator& op : m.subgraphs[0].ops) n += api::OpMacs(m.subgraphs[0], op);
  return n;
}

// Channels a group keeps when asked to remove `share` of its `c`: a multiple
// of `m` (at least m), never more than c.
int KeptFor(int c, double share, int m) {
  if (share <= 0) return c;
  const double want = static_cast<double>(c) * (1.0 - share);
  int kept = static_cast<int>(std::lround(want / m)) * m;
  return std::clamp(kept, std::min(m, c), c);
}

// Kept counts, multiples of m, for groups of `c` channels asked to lose
// `share` each: start at the multiple just above what each group should
// keep, then take m more from the group furthest short of its share until
// the total removed is as close to `target` channels as multiples allow.
std::vector<int> RoundKept(const std::vector<int>& c, const std::vector<double>& share, int m, double target) {
  std::vector<int> kept(c.size());
  int removed = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    const double want = static_cast<double>(c[i]) * (1.0 - share[i]);
    kept[i] = share[i] <= 0 ? c[i] : std::clamp(static_cast<int>(std::ceil(want / m - 1e-9)) * m, std::min(m, c[i]), c[i]);
    removed += c[i] - kept[i];
  }
  while (static_cast<double>(removed) + 0.5 * m < target) {
    size_t best = c.size();
    double best_gap = -1e30;
    for (size_t i = 0; i < c.size(); ++i) {
      if (share[i] <= 0 || kept[i] - m < std::min(m, c[i])) continue;
      const double gap = share[i] * c[i] - (c[i] - kept[i]);
      if (gap > best_gap) best_gap = gap, best = i;
    }
    if (best == c.size()) break;
    kept[best] -= m;
    removed += m;
  }
  return kept;
}

class Planner {
 public:
  // `orders`: each group's removal order when given (the refit-aware one of
  // channel_reconstruct_select.h), else by filter norm.
  Planner(const prune::ChannelGraph& g, std::vector<int> groups, std::vector<std::vector<int>> orders = {})
      : g_(g), groups_(std::move(groups)) {
    if (!orders.empty()) {
      order_ = std::move(orders);
      return;
    }
    // Each group's classes, lowest filter norm first (ties: lower class index).
    for (int gi : groups_) {
      std::vector<int> order = g_.groups[static_cast<size_t>(gi)].classes;
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return g_.classes[static_cast<size_t>(a)].norm < g_.classes[static_cast<size_t>(b)].norm;
      });
      order_.push_back(std::move(order));
    }
  }
  int size() const { return static_cast<int>(groups_.size()); }
  int channels(int i) const { return static_cast<int>(order_[static_cast<size_t>(i)].size()); }
  // Marks the `count` weakest channels of prunable group i for removal.
  void Remove(int i, int count, std::vector<bool>* remove) const {
    for (int k = 0; k < count; ++k) (*remove)[static_cast<size_t>(order_[static_cast<size_t>(i)][static_cast<size_t>(k)])] = true;
  }

 private:
  const prune::ChannelGraph& g_;
  std::vector<int> groups_;
  std::vector<std::vector<int>> order_;
};

using Means = std::vector<std::vector<double>>;

StatusOr<ir::Model> Apply(const ir::Model& work, const prune::ChannelGraph& g, const std::vector<bool>& remove,
                          bool compensate, prune::RemoveStats* stats, const Means* means) {
  ir::Model out = work;
  RETURN_IF_ERROR(prune::RemoveChannels(out, g, remove, compensate, stats, means));
  return out;
}

// The photos of the least-squares reconstruction and, gathered once, the
// Grams of every consumer's input on the unpruned model (what the one-shot
// refit of each sensitivity trial and of the result needs).
struct Refit {
  std::unique_ptr<api::CalibrationSet> set;
  quant::SampleLoader load;
  prune::ConsumerGrams grams;
  bool sequential = true;
  double ridge = 0;
};

StatusOr<std::unique_ptr<Refit>> OpenRefit(const ir::Model& work, const prune::ChannelGraph& g,
                                           const ChannelPruneOptions& options) {
  auto r = std::make_unique<Refit>();
  ASSIGN_OR_RETURN(api::CalibrationSet set,
                   api::CalibrationSet::Open(options.calibration_data, options.reconstruct_images));
  r->set = std::make_unique<api::CalibrationSet>(std::move(set));
  const ir::Subgraph& sg = work.subgraphs[0];
  if (sg.inputs.size() != 1) {
    return InvalidArgument("least-squares reconstruction needs a model with one image input; this one has " +
                           std::to_string(sg.inputs.size()) + " (use --reconstruct none)");
  }
  r->load = r->set->Loader(api::MakeTensorInfo(sg, sg.inputs[0]), options.preprocess);
  r->sequential = options.reconstruct == ChannelReconstruct::kLeastSquaresSequential;
  r->ridge = options.reconstruct_ridge;
  if (!r->sequential || options.refit_aware_ranking) {  // the sequential refit makes its own passes
    ASSIGN_OR_RETURN(r->grams, prune::CollectConsumerGrams(work, g, static_cast<int>(r->set->size()), r->load, 2));
  }
  return r;
}

// Refits the consumers of removed channels in `pruned` (made from `work`).
Status Reconstruct(const ir::Model& work, const prune::ChannelGraph& g, const std::vector<bool>& remove,
                   ir::Model& pruned, const Refit& refit, ChannelPruneReport* report) {
  prune::ReconstructStats st;
  if (refit.sequential) {
    prune::ReconstructOptions ro;
    ro.sequential = true;
    ro.ridge = refit.ridge;
    RETURN_IF_ERROR(prune::ReconstructConsumers(work, g, remove, pruned, static_cast<int>(refit.set->size()),
                                                refit.load, ro, &st));
  } else {
    st.samples = static_cast<int>(refit.set->size());
    RETURN_IF_ERROR(prune::ReconstructFromGrams(work, g, remove, pruned, refit.grams, refit.ridge, &st));
  }
  double before = 0, after = 0, signal = 0;
  int unsolved = 0;
  for (const prune::ReconstructedLayer& l : st.layers) {
    before += l.mse_before, after += l.mse_after, signal += l.signal;
    unsolved += l.solved ? 0 : 1;
  }
  report->reconstructed_layers = static_cast<int>(st.layers.size()) - unsolved;
  report->reconstruction_images = st.samples;
  report->reconstruction_passes = st.passes;
  report->reconstruction_error_before = signal > 0 ? before / signal : 0;
  report->reconstruction_error_after = signal > 0 ? after / signal : 0;
  report->actions.push_back(
      std::string("least-squares reconstruction (") + (refit.sequential ? "sequential" : "one-shot") + ") of " +
      std::to_string(report->reconstructed_layers) + " convolutions on " + std::to_string(st.samples) +
      " photos in " + std::to_string(st.passes) + " passes: their output error " +
      Number(report->reconstruction_error_before) + " -> " + Number(report->reconstruction_error_after) +
      " of their output energy");
  if (unsolved > 0) {
    report->warnings.push_back(std::to_string(unsolved) +
                               " convolutions kept their pruned weights (their least-squares system was not solvable)");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<ChannelPruneReport> PruneChannels(Model& model, const ChannelPruneOptions& options) {
  auto Context = [&model](Status s) { return model.path().empty() ? s : s.WithContext(model.path()); };
  if (!(options.ratio >= 0.0f && options.ratio < 1.0f)) {
    return InvalidArgument("--prune-channels " + Number(options.ratio) +
                           ": the ratio must be in [0, 1) (0.3 = remove 30% of the prunable channels)");
  }
  if (options.channel_multiple < 1) return InvalidArgument("the channel multiple must be >= 1");
  if (options.reconstruct_images < 1) return InvalidArgument("the reconstruction needs at least 1 photo");
  if (!(options.reconstruct_ridge >= 0 && std::isfinite(options.reconstruct_ridge))) {
    return InvalidArgument("the reconstruction's ridge must be a finite number >= 0");
  }
  ChannelPruneReport report;
  auto started = api::StartPrune(model, &report.actions);
  if (!started.ok()) return Context(started.status());
  std::shared_ptr<ir::Model> work = *std::move(started);
  Status s;
  const prune::ChannelGraph g = prune::BuildChannelGraph(work->subgraphs[0], !options.prune_first_conv);
  const int m = options.channel_multiple;
  std::vector<int> prunable;
  std::vector<size_t> rows;  // report row of each prunable group
  std::set<std::string> why_not;
  for (size_t gi = 0; gi < g.groups.size(); ++gi) {
    const prune::ChannelGroup& grp = g.groups[gi];
    if (grp.source_ops.empty()) continue;
    ChannelGroupReport r;
    r.name = grp.name;
    r.convs = static_cast<int>(grp.source_ops.size());
    r.channels = r.kept = static_cast<int>(grp.classes.size());
    r.unprunable = grp.unprunable;
    r.sqnr_db = INFINITY;
    if (r.unprunable.empty() && r.channels <= m) {
      r.unprunable = "only " + std::to_string(r.channels) + " channels (kept counts are multiples of " +
                     std::to_string(m) + ")";
    }
    if (r.unprunable.empty()) {
      prunable.push_back(static_cast<int>(gi));
      rows.push_back(report.groups.size());
      report.prunable_channels += r.channels;
    } else {
      why_not.insert(r.unprunable);
    }
    report.groups.push_back(std::move(r));
  }
  if (prunable.empty()) {
    std::string reasons;
    for (const auto& w : why_not) reasons += (reasons.empty() ? "" : "; ") + w;
    return Context(FailedPrecondition("no channel group can be pruned (" +
                                      (reasons.empty() ? std::string("the model has no CONV_2D with constant weights")
                                                       : reasons) + ")"));
  }
  // Channel means at every CONV_2D input, for the bias compensation.
  Means means;
  const Means* means_ptr = nullptr;
  if (!options.calibration_data.empty() && options.compensate_bias) {
    std::vector<int32_t> inputs;
    const ir::Subgraph& sg = work->subgraphs[0];
    for (const ir::Operator& op : sg.ops) {
      if (op.kind == ir::OpKind::kConv2D && g.offset[static_cast<size_t>(op.inputs[0])] >= 0 &&
          std::find(inputs.begin(), inputs.end(), op.inputs[0]) == inputs.end()) {
        inputs.push_back(op.inputs[0]);
      }
    }
    PruneOptions po;
    po.calibration_data = options.calibration_data;
    po.calibration_size = options.calibration_size;
    po.preprocess = options.preprocess;
    auto measured = api::ChannelMeans(*work, inputs, po);
    if (!measured.ok()) return Context(measured.status());
    means.resize(sg.tensors.size());
    for (size_t i = 0; i < inputs.size(); ++i) means[static_cast<size_t>(inputs[i])] = std::move((*measured)[i]);
    means_ptr = &means;
  }
  std::unique_ptr<Refit> refit;
  if (options.reconstruct != ChannelReconstruct::kNone && !options.calibration_data.empty() && options.ratio > 0) {
    auto opened = OpenRefit(*work, g, options);
    if (!opened.ok()) return Context(opened.status());
    refit = *std::move(opened);
  }
  std::vector<std::vector<int>> orders;
  if (refit && options.refit_aware_ranking) {
    for (int gi : prunable) {
      orders.push_back(prune::RefitRemovalOrder(*work, g, g.groups[static_cast<size_t>(gi)].classes, refit->grams,
                                                refit->ridge));
    }
  }
  const Planner plan(g, prunable, std::move(orders));
  std::vector<double> share(static_cast<size_t>(plan.size()), options.ratio);
  std::vector<std::vector<float>> levels(static_cast<size_t>(plan.size()));
  std::vector<std::vector<double>> noise(static_cast<size_t>(plan.size()));
  if (!options.calibration_data.empty() && options.ratio > 0) {
    std::vector<std::pair<int, int>> trials;  // (planner group, channels removed)
    for (int i = 0; i < plan.size(); ++i) {
      const int c = plan.channels(i);
      for (double level : {0.25, 0.5, 0.75}) {
        const int removed = c - KeptFor(c, level, m);
        const float actual = static_cast<float>(removed) / static_cast<float>(c);
        if (removed <= 0 || (!levels[static_cast<size_t>(i)].empty() && actual <= levels[static_cast<size_t>(i)].back())) continue;
        levels[static_cast<size_t>(i)].push_back(actual);
        trials.push_back({i, removed});
      }
    }
    PruneOptions po;
    po.calibration_data = options.calibration_data;
    po.calibration_size = options.calibration_size;
    po.preprocess = options.preprocess;
    po.progress = options.progress;
    prune::RemoveStats unused;
    const int64_t macs = Macs(*work);
    std::vector<double> macs_per_channel(static_cast<size_t>(plan.size()), 0.0);
    auto measured = api::MeasureNoises(*work, static_cast<int>(trials.size()), [&](int t) -> StatusOr<ir::Model> {
      const auto [i, removed] = trials[static_cast<size_t>(t)];
      std::vector<bool> remove(g.classes.size(), false);
      plan.Remove(i, removed, &remove);
      ASSIGN_OR_RETURN(ir::Model m, Apply(*work, g, remove, options.compensate_bias, &unused, means_ptr));
      if (refit && options.refit_aware_ranking) {  // each trial as the result will be: refitted (one-shot, from the Grams)
        prune::ReconstructStats st;
        RETURN_IF_ERROR(prune::ReconstructFromGrams(*work, g, remove, m, refit->grams, refit->ridge, &st));
      }
      double& per = macs_per_channel[static_cast<size_t>(i)];
      if (per == 0) per = static_cast<double>(macs - Macs(m)) / removed;
      return m;
    }, po, &report.calibration_images);
    if (!measured.ok()) return Context(measured.status());
    report.trials = static_cast<int>(trials.size());
    for (size_t t = 0; t < trials.size(); ++t) noise[static_cast<size_t>(trials[t].first)].push_back((*measured)[t]);
    std::vector<prune::LayerSensitivity> sens;
    for (int i = 0; i < plan.size(); ++i) {
      sens.push_back({plan.channels(i), levels[static_cast<size_t>(i)], noise[static_cast<size_t>(i)],
                      options.allocate_by_macs ? std::max(macs_per_channel[static_cast<size_t>(i)], 1.0) : 1.0});
    }
    const std::vector<float> chosen = prune::AllocateSparsity(sens, options.ratio);
    for (int i = 0; i < plan.size(); ++i) share[static_cast<size_t>(i)] = chosen[static_cast<size_t>(i)];
  }
  std::vector<int> sizes;
  for (int i = 0; i < plan.size(); ++i) sizes.push_back(plan.channels(i));
  const std::vector<int> kept_all =
      RoundKept(sizes, share, m, static_cast<double>(options.ratio) * report.prunable_channels);
  std::vector<bool> remove(g.classes.size(), false);
  for (int i = 0; i < plan.size(); ++i) {
    const int c = plan.channels(i);
    const int kept = kept_all[static_cast<size_t>(i)];
    plan.Remove(i, c - kept, &remove);
    ChannelGroupReport& r = report.groups[rows[static_cast<size_t>(i)]];
    r.kept = kept;
    report.removed_channels += c - kept;
    const auto& lv = levels[static_cast<size_t>(i)];
    for (size_t k = 0; k < lv.size(); ++k) {
      r.trial_removed.push_back(static_cast<int>(std::lround(lv[k] * static_cast<float>(c))));
      r.trial_sqnr_db.push_back(-10.0 * std::log10(std::max(noise[static_cast<size_t>(i)][k], 1e-30)));
    }
    for (size_t k = 0; k < lv.size(); ++k) {
      if (std::fabs(lv[k] - static_cast<float>(c - kept) / static_cast<float>(c)) < 1e-6f) {
        r.sqnr_db = -10.0 * std::log10(std::max(noise[static_cast<size_t>(i)][k], 1e-30));
      }
    }
  }
  prune::RemoveStats stats;
  report.macs_before = Macs(*work);
  ASSIGN_OR_RETURN(ir::Model pruned, Apply(*work, g, remove, options.compensate_bias, &stats, means_ptr));
  if (refit && report.removed_channels > 0) {
    s = Reconstruct(*work, g, remove, pruned, *refit, &report);
    if (!s.ok()) return Context(s);
  }
  report.macs_after = Macs(pruned);
  report.sqnr_db = INFINITY;
  if (report.trials > 0) {
    PruneOptions po;
    po.calibration_data = options.calibration_data;
    po.calibration_size = options.calibration_size;
    po.preprocess = options.preprocess;
    auto n = api::OutputNoise(*work, pruned, po);
    if (!n.ok()) return Context(n.status());
    report.sqnr_db = -10.0 * std::log10(std::max(*n, 1e-30));
  }
  report.actions.push_back("removed " + std::to_string(report.removed_channels) + " of " +
                           std::to_string(report.prunable_channels) + " prunable channels in " +
                           std::to_string(plan.size()) + " groups; " + std::to_string(stats.compensated_biases) +
                           " conv biases compensated for removed channels' constant output");
  *work = std::move(pruned);
  s = api::CommitPruned(std::move(work), "channel-pruned", model, &report.actions);
  if (!s.ok()) return Context(s);
  return report;
}

}  // namespace detlite
