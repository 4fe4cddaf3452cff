#include "quant/ptq_techniques.h"

#include <cstdio>

#include "quant/absorb_bias.h"
#include "quant/adaround_layers.h"
#include "quant/bias_correct.h"
#include "quant/channel_stats.h"
#include "quant/equalize.h"

namespace detlite::quant {

Status RunEqualization(ir::Model& model, int num_samples, const SampleLoader& load,
                       const FullIntegerConfig& config, QuantizeReport* report) {
  if (config.equalize == Equalization::kNone) return Status::Ok();
  EqualizeOptions eo;
  eo.relu6_to_relu = config.equalize == Equalization::kRelu6ToRelu;
  EqualizeStats es;
  RETURN_IF_ERROR(EqualizeCrossLayer(model, eo, &es));
  std::string line = "equalized " + std::to_string(es.pairs) + " layer pairs (" +
                     std::to_string(es.iterations) + " passes" +
                     (es.iterations == eo.max_iterations ? ", not converged" : "") + ")";
  if (es.relu6_replaced > 0) line += ", made " + std::to_string(es.relu6_replaced) + " ReLU6 ReLU";
  if (es.relu6_skipped > 0) line += ", skipped " + std::to_string(es.relu6_skipped) + " ReLU6 pairs";
  report->actions.push_back(line);
  const std::vector<EqualizePair> absorbable = AbsorbablePairs(model.subgraphs.at(0), es.equalized);
  if (absorbable.empty()) return Status::Ok();
  std::vector<int32_t> tensors;
  for (const EqualizePair& p : absorbable) tensors.push_back(p.between);
  ASSIGN_OR_RETURN(auto stats, CollectChannelStats(model, num_samples, load, tensors, config.threads));
  int channels = 0;
  RETURN_IF_ERROR(AbsorbHighBias(model, absorbable, stats, &channels));
  if (channels > 0) {
    report->actions.push_back("absorbed the high bias of " + std::to_string(channels) +
                              " channels into the next layer");
  }
  return Status::Ok();
}

Status RunAdaRound(ir::Model& model, const std::vector<bool>& quantized, int num_samples,
                   const SampleLoader& load, const FullIntegerConfig& config,
                   QuantizeReport* report) {
  if (config.weight_rounding != WeightRounding::kAdaRound) return Status::Ok();
  AdaRoundOptions options;
  options.iterations = config.adaround_iterations;
  AdaRoundSummary s;
  RETURN_IF_ERROR(AdaRoundLayers(model, quantized, config.per_tensor, num_samples, load,
                                 config.threads, options, &s));
  char line[256];
  std::snprintf(line, sizeof(line),
                "AdaRound: learned the rounding of %d of %d layers (%lld of %lld weights rounded "
                "away from nearest); their output error is %.0f%% of nearest rounding's, in %.1f s",
                s.layers, s.layers_tried, static_cast<long long>(s.flipped),
                static_cast<long long>(s.weights),
                s.layers_tried > 0 ? 100.0 * s.relative_error_after / s.layers_tried : 100.0,
                s.seconds);
  report->actions.push_back(line);
  return Status::Ok();
}

Status RunBiasCorrection(ir::Model& model, const std::vector<bool>& quantized, int num_samples,
                         const SampleLoader& load, const FullIntegerConfig& config,
                         const WeightSnapshot& before_adaround, QuantizeReport* report) {
  if (config.bias_correction == BiasCorrection::kNone) return Status::Ok();
  const ir::Subgraph& sg = model.subgraphs.at(0);
  const std::vector<int> ops = BiasCorrectionOps(sg, quantized);
  if (ops.empty()) return Status::Ok();
  std::vector<int32_t> tensors;
  for (int i : ops) {
    const int32_t x = sg.ops[static_cast<size_t>(i)].inputs[0];
    bool seen = false;
    for (int32_t t : tensors) seen = seen || t == x;
    if (!seen) tensors.push_back(x);
  }
  ASSIGN_OR_RETURN(auto stats, CollectChannelStats(model, num_samples, load, tensors, config.threads));
  int layers = 0;
  RETURN_IF_ERROR(CorrectBiases(model, ops, stats, config.per_tensor,
                                &before_adaround, &layers));
  report->actions.push_back("corrected the biases of " + std::to_string(layers) +
                            " layers for their weights' quantization error");
  return Status::Ok();
}

}  // namespace detlite::quant
