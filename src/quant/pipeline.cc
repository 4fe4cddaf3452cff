#include "quant/pipeline.h"

#include "quant/activation_params.h"
#include "quant/full_integer.h"
#include "quant/op_selection.h"
#include "quant/ptq_techniques.h"
#include "quant/spec_check.h"

namespace detlite::quant {
namespace {

// Strict integer allows no float op but the detection post-processing
// (which reads int8 and writes float32 boxes and scores by definition).
Status CheckStrictInteger(const ir::Subgraph& sg, const Selection& selection) {
  std::string refused;
  int count = 0;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const ir::Operator& op = sg.ops[i];
    if (selection.quantized[i]) continue;
    if (op.kind == ir::OpKind::kCustom && op.custom_code == "TFLite_Detection_PostProcess") continue;
    const std::string name = op.kind == ir::OpKind::kCustom ? op.custom_code
                                                             : std::string(ir::OpKindName(op.kind));
    const std::string out = op.outputs.empty() || op.outputs[0] < 0
                                ? std::string()
                                : sg.tensors[static_cast<size_t>(op.outputs[0])].name;
    if (++count <= 8) refused += (count > 1 ? ", " : "") + name + " '" + out + "'";
  }
  if (count == 0) return Status::Ok();
  return InvalidArgument("--strict-integer: " + std::to_string(count) +
                         " op(s) would stay float (no int8 kernel for them here): " + refused +
                         (count > 8 ? ", ..." : ""));
}

}  // namespace

Status QuantizeFullInteger(ir::Model& model, int num_samples, const SampleLoader& load,
                           const FullIntegerConfig& config, QuantizeReport* report) {
  if (model.subgraphs.size() != 1) {
    return Unimplemented("models with " + std::to_string(model.subgraphs.size()) +
                         " subgraphs cannot be quantized yet");
  }
  SelectionOptions sel;
  sel.keep_float = config.keep_float;
  sel.method = config.method;
  sel.percentile = config.percentile;
  sel.int16 = config.int16;
  sel.strict_integer = config.strict_integer;
  if (config.strict_integer) {
    // Which ops can be int8 does not depend on the ranges when trapped
    // concatenations share a scale: refuse before calibrating.
    RETURN_IF_ERROR(CheckStrictInteger(model.subgraphs[0], SelectOps(model.subgraphs[0], {}, sel)));
  }
  RETURN_IF_ERROR(RunEqualization(model, num_samples, load, config, report));
  CalibrationOptions copts;
  copts.threads = config.threads;
  copts.histograms = MethodNeedsHistogram(config.method);
  copts.ema_constant = config.ema_constant;
  copts.progress = config.progress;
  std::map<int32_t, Observer> observers;
  if (config.observers != nullptr) {
    observers = *config.observers;
  } else {
    ASSIGN_OR_RETURN(observers, Calibrate(model, num_samples, load, copts));
  }
  report->calibration_images = num_samples;

  const ir::Subgraph& sg = model.subgraphs[0];
  const Selection selection = SelectOps(sg, observers, sel);
  report->warnings.insert(report->warnings.end(), selection.warnings.begin(), selection.warnings.end());
  report->kept_float.insert(report->kept_float.end(), selection.kept_float.begin(),
                            selection.kept_float.end());

  // Bias correction after AdaRound must see the float weights from before
  // it: AdaRound leaves them on their integer grid.
  WeightSnapshot before_adaround;
  if (config.weight_rounding == WeightRounding::kAdaRound &&
      config.bias_correction != BiasCorrection::kNone) {
    before_adaround = SnapshotLayerWeights(model.subgraphs[0], selection.quantized);
  }
  RETURN_IF_ERROR(RunAdaRound(model, selection.quantized, num_samples, load, config, report));
  RETURN_IF_ERROR(RunBiasCorrection(model, selection.quantized, num_samples, load, config,
                                    before_adaround, report));
  ActivationPlanOptions plan;
  plan.method = config.method;
  plan.percentile = config.percentile;
  plan.own_ranges = config.own_ranges;
  if (config.int16) {
    plan.symmetric = true;
    plan.qmin = -32768;
    plan.qmax = 32767;
  }
  ASSIGN_OR_RETURN(auto acts, PlanActivations(sg, selection.quantized, observers, plan));
  for (const auto& [t, c] : acts) {
    TensorRange r;
    r.name = sg.tensors[static_cast<size_t>(t)].name;
    r.observed_min = c.observed.min;
    r.observed_max = c.observed.max;
    r.chosen_min = c.chosen.min;
    r.chosen_max = c.chosen.max;
    r.scale = c.params.scale;
    r.zero_point = c.params.zero_point;
    report->ranges.push_back(r);
  }
  // Score logits with too low a calibrated maximum were widened by
  // PlanActivations; other never-positive tensors are worth a warning.
  std::vector<std::string> widened, never_positive;
  for (const auto& [t, c] : acts) {
    const std::string& name = sg.tensors[static_cast<size_t>(t)].name;
    if (c.widened_score) {
      widened.push_back(name);
    } else if (c.observed.max <= 0 && c.observed.min < 0) {
      never_positive.push_back(name);
    }
  }
  if (!widened.empty()) {
    report->actions.push_back(
        "fitted " + std::to_string(widened.size()) + " score-logit ranges (e.g. '" + widened[0] +
        "') to the scores they give: top at least min(-min, " +
        std::to_string(static_cast<int>(kScoreLogitHeadroom)) +
        ") so high scores are not clipped; sigmoid logits start at -" +
        std::to_string(static_cast<int>(kSigmoidLogitFloor)) + " (score 1e-7)");
  }
  if (!never_positive.empty()) {
    report->warnings.push_back(
        std::to_string(never_positive.size()) + " tensors (e.g. '" + never_positive[0] +
        "') were never positive on the calibration data, so positive values will be clipped "
        "to 0");
  }
  FullIntegerOptions fi;
  fi.per_tensor = config.per_tensor;
  fi.input_type = config.input_type;
  fi.activation_type = config.int16 ? DType::kInt16 : DType::kInt8;
  fi.strict_integer = config.strict_integer;
  if (config.int16 && config.input_type != DType::kFloat32) {
    return InvalidArgument("--io-type int8/uint8 needs --quantize int8 (16x8 models take float32 input)");
  }
  FullIntegerStats stats;
  RETURN_IF_ERROR(RewriteFullInteger(model, selection.quantized, acts, fi, &stats));
  report->ops_quantized = stats.ops_quantized;
  report->ops_left_float = 0;
  for (bool q : selection.quantized) report->ops_left_float += q ? 0 : 1;
  report->actions.push_back("quantized " + std::to_string(stats.ops_quantized) + " ops to " +
                            (config.int16 ? "16x8" : "int8") + "; added " + std::to_string(stats.quantize_ops_added) +
                            " QUANTIZE and " + std::to_string(stats.dequantize_ops_added) +
                            " DEQUANTIZE");
  if (stats.anchor_max_error >= 0) {
    report->actions.push_back(
        "stored the post-processing anchors as uint8 (TFLite's kernel reads them so with uint8 "
        "inputs): largest anchor change " + std::to_string(stats.anchor_max_error) +
        " of the image size");
  }
  const std::vector<std::string> problems = CheckQuantizationSpec(model.subgraphs[0]);
  if (!problems.empty()) {
    return Internal("the quantized graph breaks TFLite's quantization spec: " + problems[0] +
                    (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more)" : ""));
  }
  return Status::Ok();
}

}  // namespace detlite::quant
