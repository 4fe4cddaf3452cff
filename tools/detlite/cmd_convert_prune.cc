// The prune step of `detlite convert`: --prune SPARSITY and its pattern
// flags, handed to detlite::Prune before quantization. Prints each layer's
// sparsity (and its measured output SQNR) and the total.
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
    cmd.add_flag("--prune-first-conv", opts_.prune_first_conv,
                 "prune the first convolution too (kept dense by default: few weights, all\n"
                 "of the image passes through it)");
    cmd.add_option("--prune-images", opts_.calibration_size,
                   "calibration photos the sensitivity measurement runs on (default 8)")
        ->check(CLI::Range(1, 10000));
  }

  bool enabled() const override { return prune_ != nullptr && prune_->count() > 0; }

  Status Apply(Model& model) override {
    PruneOptions opts = opts_;
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
  CLI::Option* prune_ = nullptr;
  PruneOptions opts_;
  std::shared_ptr<const CalibrationFlags> calibration_;
};

}  // namespace

std::unique_ptr<ConvertStep> MakePruneStep(std::shared_ptr<const CalibrationFlags> calibration) {
  return std::make_unique<PruneStep>(std::move(calibration));
}

}  // namespace detlite::cli
