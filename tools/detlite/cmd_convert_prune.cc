// The prune step of `detlite convert`: --prune-channels RATIO (structured,
// detlite::PruneChannels) then --prune SPARSITY and its pattern flags
// (detlite::Prune), before quantization. Prints each layer's sparsity / each
// channel group's kept channels (and the measured output SQNR) and totals.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "cli_common.h"
#include "convert_steps.h"
#include "detlite/prune.h"

namespace detlite::cli {
namespace {

class PruneStep : public ConvertStep {
 public:
  explicit PruneStep(std::shared_ptr<const CalibrationFlags> calibration)
      : calibration_(std::move(calibration)) {}

  void AddFlags(CLI::App& cmd) override {
    // Range checked by Prune (one error line naming the value); CLI11 only
    // checks it is a number.
    prune_ = cmd.add_option("--prune", opts_.sparsity,
                            "magnitude pruning of CONV_2D/FULLY_CONNECTED weights: the share of\n"
                            "zeros to reach over the pruned layers, in [0, 1) (0.75: three quarters).\n"
                            "Per-layer levels come from measured sensitivity on --calibration-data\n"
                            "(each layer pruned alone, output error on the photos); without photos,\n"
                            "from the weights' energy. Zeros are stored sparse (TFLite's format,\n"
                            "behind DENSIFY) where smaller, and survive --quantize");
    AddSettingOption(&cmd, "--block", &opts_.block,
                     "--prune unit: 1x1 (single weights, default), 1x4 (1 output x 4 input\n"
                     "channels) or 4x1 (4 output x 1 input), blocks ranked by L2 norm");
    AddSettingOption(&cmd, "--pattern", &opts_.pattern,
                     "--prune pattern: none (default) or 2:4 (2 zeros in every 4 consecutive\n"
                     "input-channel weights; a layer is then 0 or 50% sparse)");
    cmd.add_option("--prune-min-weights", opts_.min_weights,
                   "layers with fewer weights stay dense (default " +
                       std::to_string(kDefaultPruneMinWeights) + ")")
        ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
    cmd.add_option("--prune-allocate", allocate_,
                   "--prune unit of the target and the per-layer allocation: weights (default:\n"
                   "the share of weights zero, least output noise per weight zeroed) or macs\n"
                   "(the share of the pruned layers' multiply-adds skippable, least noise per\n"
                   "MAC saved: the zeros go where the compute is, for speed)")
        ->check(CLI::IsMember({"weights", "macs"}));
    cmd.add_flag("--prune-first-conv", opts_.prune_first_conv,
                 "prune the first convolution too (kept dense by default: few weights, all\n"
                 "of the image passes through it)");
    channels_ = cmd.add_option("--prune-channels", channel_opts_.ratio,
                               "channel pruning: remove this share of the prunable CONV_2D output\n"
                               "channels, in [0, 1) (0.3: 30%), with the matching channels of depthwise\n"
                               "convs, residual ADDs, concatenations and every consumer's inputs; the\n"
                               "model gets structurally smaller and faster on any runtime. Channels go\n"
                               "by filter L2 norm; per-group shares from measured sensitivity on\n"
                               "--calibration-data (uniform without). Runs before --prune");
    cmd.add_option("--channel-multiple", channel_opts_.channel_multiple,
                   "--prune-channels keeps a multiple of this many channels per group (default " +
                       std::to_string(kDefaultChannelMultiple) + ")")
        ->check(CLI::Range(1, 256));
    cmd.add_flag("!--allocate-by-channels", channel_opts_.allocate_by_macs,
                 "--prune-channels: take the steps that add the least output noise per\n"
                 "channel removed (default: per MAC saved, which favours speed)");
    cmd.add_flag("!--no-bias-compensation", channel_opts_.compensate_bias,
                 "--prune-channels: do not fold a removed channel's constant part (its mean\n"
                 "on --calibration-data, else act(bias)) into the next convolution's bias");
    AddSettingOption(&cmd, "--reconstruct", &channel_opts_.reconstruct,
                     "--prune-channels with --calibration-data: refit the convolutions that\n"
                     "read pruned channels so their outputs match the unpruned model's on the\n"
                     "photos: ls (least squares, every layer on the unpruned model's inputs;\n"
                     "default), ls-sequential (layer after layer on the pruned and refitted\n"
                     "model's inputs) or none (only the bias compensation)");
    cmd.add_flag("--refit-aware-ranking", channel_opts_.refit_aware_ranking,
                 "--prune-channels with --reconstruct ls*: remove the channels the refit\n"
                 "rebuilds best (greedy, from the consumers' input statistics) instead of\n"
                 "the lowest filter norms, and refit each sensitivity trial too");
    cmd.add_option("--reconstruct-images", channel_opts_.reconstruct_images,
                   "photos of --calibration-data the --reconstruct refit runs on (default " +
                       std::to_string(kDefaultReconstructImages) + ")")
        ->check(CLI::Range(1, 100000));
    cmd.add_option("--prune-images", opts_.calibration_size,
                   "calibration photos the sensitivity measurement of --prune and\n"
                   "--prune-channels runs on (default 8)")
        ->check(CLI::Range(1, 10000));
  }

  bool enabled() const override {
    return (prune_ != nullptr && prune_->count() > 0) || (channels_ != nullptr && channels_->count() > 0);
  }

  Status Apply(Model& model) override {
    if (channels_->count() > 0) RETURN_IF_ERROR(ApplyChannels(model));
    if (prune_->count() == 0) return Status::Ok();
    PruneOptions opts = opts_;
    opts.allocate_by_macs = allocate_ == "macs";
    opts.calibration_data = calibration_->data;
    opts.preprocess = calibration_->preprocess;
    std::unique_ptr<Progress> progress;
    opts.progress = [&progress](int done, int total) {
      if (!progress) progress = std::make_unique<Progress>("measuring sensitivity", total);
      progress->Update(done);
    };
    auto result = Prune(model, opts);
    if (progress) progress->Finish();
    if (!result.ok()) return result.status();
    const PruneReport& r = *result;
    if (r.trials > 0) {
      std::fprintf(stderr, "prune: sensitivity from %d trials on %d photos\n", r.trials,
                   r.calibration_images);
    }
    for (const PrunedLayer& l : r.layers) {
      if (!l.kept_dense.empty()) continue;
      std::fprintf(stderr, "prune: %-16s %-48s %8lld weights %5.1f%% zero", l.op.c_str(),
                   l.weights.c_str(), static_cast<long long>(l.elements), 100.0 * l.sparsity);
      if (std::isfinite(l.sqnr_db)) std::fprintf(stderr, " (alone: output SQNR %.1f dB)", l.sqnr_db);
      std::fprintf(stderr, "\n");
    }
    for (const auto& a : r.actions) std::fprintf(stderr, "prune: %s\n", a.c_str());
    if (r.trials > 0) std::fprintf(stderr, "prune: output SQNR vs the unpruned model %.1f dB\n", r.sqnr_db);
    for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    return Status::Ok();
  }

 private:
  Status ApplyChannels(Model& model) {
    ChannelPruneOptions opts = channel_opts_;
    opts.calibration_data = calibration_->data;
    opts.preprocess = calibration_->preprocess;
    opts.calibration_size = opts_.calibration_size;
    opts.prune_first_conv = opts_.prune_first_conv;
    std::unique_ptr<Progress> progress;
    opts.progress = [&progress](int done, int total) {
      if (!progress) progress = std::make_unique<Progress>("measuring channel sensitivity", total);
      progress->Update(done);
    };
    auto result = PruneChannels(model, opts);
    if (progress) progress->Finish();
    if (!result.ok()) return result.status();
    const ChannelPruneReport& r = *result;
    if (r.trials > 0) {
      std::fprintf(stderr, "prune-channels: sensitivity from %d trials on %d photos\n", r.trials,
                   r.calibration_images);
    }
    int kept_groups = 0;
    for (const ChannelGroupReport& g : r.groups) {
      if (!g.unprunable.empty()) {
        ++kept_groups;
        continue;
      }
      std::fprintf(stderr, "prune-channels: %-56s %2d conv %4d -> %4d channels", g.name.c_str(), g.convs,
                   g.channels, g.kept);
      if (std::isfinite(g.sqnr_db)) std::fprintf(stderr, " (alone: output SQNR %.1f dB)", g.sqnr_db);
      if (!g.trial_sqnr_db.empty()) {
        std::fprintf(stderr, " [trials:");
        for (size_t k = 0; k < g.trial_sqnr_db.size(); ++k) {
          std::fprintf(stderr, " -%d %.1f dB", g.trial_removed[k], g.trial_sqnr_db[k]);
        }
        std::fprintf(stderr, "]");
      }
      std::fprintf(stderr, "\n");
    }
    std::fprintf(stderr, "prune-channels: %d groups kept whole (first conv, heads' outputs, model outputs)\n",
                 kept_groups);
    for (const auto& a : r.actions) std::fprintf(stderr, "prune-channels: %s\n", a.c_str());
    std::fprintf(stderr, "prune-channels: MACs %.1f M -> %.1f M (%.2fx)\n", r.macs_before / 1e6,
                 r.macs_after / 1e6, r.macs_after > 0 ? static_cast<double>(r.macs_before) / r.macs_after : 0.0);
    if (r.trials > 0) {
      std::fprintf(stderr, "prune-channels: output SQNR vs the unpruned model %.1f dB\n", r.sqnr_db);
    }
    for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    return Status::Ok();
  }

  CLI::Option* channels_ = nullptr;
  ChannelPruneOptions channel_opts_;
  CLI::Option* prune_ = nullptr;
  PruneOptions opts_;
  std::string allocate_ = "weights";  // --prune-allocate
  std::shared_ptr<const CalibrationFlags> calibration_;
};

}  // namespace

std::unique_ptr<ConvertStep> MakePruneStep(std::shared_ptr<const CalibrationFlags> calibration) {
  return std::make_unique<PruneStep>(std::move(calibration));
}

}  // namespace detlite::cli
