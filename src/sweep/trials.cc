// Expanding a plan into trials, and the command line that recreates each.
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>

#include "detlite/sweep.h"
#include "sweep/plan_fields.h"

namespace detlite {
namespace {

// Quotes an argument for a POSIX shell only when it needs it.
std::string ShellWord(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_./=:,+@%", c));
  }
  if (plain) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

std::vector<TrialSpec> ExpandTrials(const SweepPlan& plan) {
  std::vector<TrialSpec> trials;
  for (const SweepModel& m : plan.models) {
    for (const std::string& size : plan.input_sizes) {
      for (const SweepQuantization& q : plan.quantization) {
        for (double pruning : plan.pruning) {
          TrialSpec t;
          t.index = static_cast<int>(trials.size());
          t.model = &m;
          t.input_size = size;
          t.quantization = &q;
          t.pruning = pruning;
          nlohmann::json s = {{"model", nlohmann::json::parse(m.canonical)},
                              {"input_size", size},
                              {"quantization", nlohmann::json::parse(q.canonical)},
                              {"pruning", pruning}};
          if (q.calibrated()) {
            s["calibration"] = {{"data", plan.calibration_data},
                                {"size", plan.calibration_size},
                                {"preprocess", NameOf(plan.preset)}};
          }
          t.settings_json = s.dump();
          t.id = sweep::StableHash(t.settings_json).substr(0, 12);
          trials.push_back(std::move(t));
        }
      }
    }
  }
  return trials;
}

std::string TrialCommand(const SweepPlan& plan, const TrialSpec& t, const std::string& output) {
  std::vector<std::string> args = {"detlite", "convert", t.model->path, "-o", output};
  if (t.input_size != "native") args.insert(args.end(), {"--input-size", t.input_size});
  for (const std::string& f : t.model->postprocess_flags) args.push_back(f);
  const SweepQuantization& q = *t.quantization;
  if (q.mode) {
    args.insert(args.end(), {"--quantize", NameOf(*q.mode)});
    if (q.per_tensor) args.push_back("--per-tensor");
  }
  if (q.calibrated()) {
    args.insert(args.end(), {"--calibration-data", plan.calibration_data, "--calibration-size",
                             std::to_string(plan.calibration_size), "--calibration-threads",
                             std::to_string(plan.calibration_threads)});
    if (plan.preset != PreprocessPreset::kAuto) {
      args.insert(args.end(), {"--preset", NameOf(plan.preset)});
    }
    if (q.calibration_method != kDefaultCalibrationMethod) {
      args.insert(args.end(), {"--calibration-method", NameOf(q.calibration_method)});
    }
    if (q.calibration_method == CalibrationMethod::kPercentile) {
      args.insert(args.end(), {"--percentile", nlohmann::json(q.percentile).dump()});
    }
    if (q.equalize != kDefaultEqualization) args.insert(args.end(), {"--equalize", NameOf(q.equalize)});
    if (q.bias_correction != kDefaultBiasCorrection) {
      args.insert(args.end(), {"--bias-correction", NameOf(q.bias_correction)});
    }
    if (q.weight_rounding != WeightRounding::kNearest) {
      args.insert(args.end(), {"--weight-rounding", NameOf(q.weight_rounding),
                               "--adaround-iterations", std::to_string(q.adaround_iterations)});
    }
  }
  std::string line;
  for (const std::string& a : args) line += (line.empty() ? "" : " ") + ShellWord(a);
  return line;
}

}  // namespace detlite
