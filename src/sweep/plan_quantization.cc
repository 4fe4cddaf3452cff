// One entry of a plan's "quantization" list: "int8" or {"mode": "int8",
// options...}. Options a mode does not take are refused, so a plan never
// silently measures something other than what it says.
#include <nlohmann/json.hpp>

#include "detlite/sweep.h"
#include "sweep/plan_fields.h"
#include "sweep/plan_internal.h"

namespace detlite::sweep {
namespace {

constexpr char kModes[] = "float32, float16, dynamic, int8, int16x8";

Status ParseMode(const PlanFields& f, const std::string& name, SweepQuantization* q) {
  if (name == "float32") return Status::Ok();
  QuantizeMode m;
  if (!ParseSetting(name, &m)) {
    return f.Error("mode", "'" + name + "' is not one of " + kModes);
  }
  q->mode = m;
  return Status::Ok();
}

// The options each mode takes besides "mode".
bool Takes(const SweepQuantization& q, const std::string& key) {
  if (!q.mode || *q.mode == QuantizeMode::kFloat16) return false;
  if (*q.mode == QuantizeMode::kDynamic) return key == "per_tensor";
  return true;
}

std::string Label(const SweepQuantization& q) {
  if (!q.mode) return "float32";
  std::string label = NameOf(*q.mode);
  if (!q.calibrated()) return q.per_tensor ? label + " (per-tensor)" : label;
  std::string opts = NameOf(q.calibration_method);
  if (q.calibration_method == CalibrationMethod::kPercentile) {
    opts += " " + nlohmann::json(q.percentile).dump();
  }
  if (q.per_tensor) opts += ", per-tensor";
  // Only what differs from the defaults (equalization and bias correction
  // on), as in the trial's convert command.
  if (q.equalize != kDefaultEqualization) opts += std::string(", equalize ") + NameOf(q.equalize);
  if (q.bias_correction != kDefaultBiasCorrection) {
    opts += std::string(", bias correction ") + NameOf(q.bias_correction);
  }
  if (q.weight_rounding != WeightRounding::kNearest) {
    opts += std::string(", ") + NameOf(q.weight_rounding);
  }
  return label + " (" + opts + ")";
}

std::string Canonical(const SweepQuantization& q) {
  nlohmann::json j = {{"mode", q.mode ? NameOf(*q.mode) : "float32"}};
  if (q.mode && *q.mode == QuantizeMode::kDynamic) j["per_tensor"] = q.per_tensor;
  if (q.calibrated()) {
    j["calibration_method"] = NameOf(q.calibration_method);
    if (q.calibration_method == CalibrationMethod::kPercentile) j["percentile"] = q.percentile;
    j["per_tensor"] = q.per_tensor;
    j["equalize"] = NameOf(q.equalize);
    j["bias_correction"] = NameOf(q.bias_correction);
    j["weight_rounding"] = NameOf(q.weight_rounding);
    if (q.weight_rounding == WeightRounding::kAdaRound) {
      j["adaround_iterations"] = q.adaround_iterations;
    }
  }
  return j.dump();
}

}  // namespace

Status ParseQuantization(const std::string& file, const std::string& where,
                         const nlohmann::json& entry, SweepQuantization* q) {
  if (entry.is_string()) {
    return ParseQuantization(file, where, nlohmann::json{{"mode", entry}}, q);
  }
  PlanFields f(file, where, entry);
  RETURN_IF_ERROR(f.CheckKeys({"mode", "calibration_method", "percentile", "per_tensor",
                               "equalize", "bias_correction", "weight_rounding",
                               "adaround_iterations"}));
  std::string mode;
  RETURN_IF_ERROR(f.String("mode", &mode, /*required=*/true));
  RETURN_IF_ERROR(ParseMode(f, mode, q));
  for (const auto& [key, value] : entry.items()) {
    if (key != "mode" && !Takes(*q, key)) {
      return f.Error(key, "mode " + mode + " takes no " + key +
                              (q->mode && *q->mode == QuantizeMode::kDynamic
                                   ? " (dynamic takes per_tensor only)"
                                   : " (only int8 and int16x8 take calibration options)"));
    }
  }
  RETURN_IF_ERROR(f.Setting("calibration_method", &q->calibration_method));
  double percentile = q->percentile;
  RETURN_IF_ERROR(f.Number("percentile", 50.0, 100.0, &percentile));
  if (f.Has("percentile") && q->calibration_method != CalibrationMethod::kPercentile) {
    return f.Error("percentile", "needs \"calibration_method\": \"percentile\"");
  }
  q->percentile = static_cast<float>(percentile);
  RETURN_IF_ERROR(f.Bool("per_tensor", &q->per_tensor));
  RETURN_IF_ERROR(f.Setting("equalize", &q->equalize));
  RETURN_IF_ERROR(f.Setting("bias_correction", &q->bias_correction));
  RETURN_IF_ERROR(f.Setting("weight_rounding", &q->weight_rounding));
  RETURN_IF_ERROR(f.Int("adaround_iterations", 1, 1000000, &q->adaround_iterations));
  if (f.Has("adaround_iterations") && q->weight_rounding != WeightRounding::kAdaRound) {
    return f.Error("adaround_iterations", "needs \"weight_rounding\": \"adaround\"");
  }
  q->label = Label(*q);
  q->canonical = Canonical(*q);
  return Status::Ok();
}

}  // namespace detlite::sweep
