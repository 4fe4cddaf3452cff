// LoadSweepPlan: the whole plan is read and checked before any trial runs.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/file_io.h"
#include "detlite/evaluate.h"
#include "detlite/input_size.h"
#include "detlite/sweep.h"
#include "sweep/plan_fields.h"
#include "sweep/plan_internal.h"

namespace detlite::sweep {
namespace {

// A non-empty JSON array at `key` (absent = `fallback`).
StatusOr<nlohmann::json> List(const PlanFields& f, const char* key, nlohmann::json fallback) {
  if (!f.Has(key)) return fallback;
  const nlohmann::json& v = f.At(key);
  if (!v.is_array() || v.empty()) return f.Error(key, "expected a non-empty JSON array");
  return v;
}

// "native" (each model's own size) or "HxW" (`detlite convert --input-size`),
// kept in the canonical "HxW" spelling so trial ids do not depend on it.
Status ParseSizes(const PlanFields& f, SweepPlan* plan) {
  ASSIGN_OR_RETURN(nlohmann::json sizes, List(f, "input_sizes", {"native"}));
  for (size_t i = 0; i < sizes.size(); ++i) {
    const std::string key = "input_sizes/" + std::to_string(i);
    if (!sizes[i].is_string()) {
      return f.Error(key, sizes[i].dump() + ": expected \"native\" or \"HxW\" (e.g. \"320x320\")");
    }
    std::string size = sizes[i].get<std::string>();
    if (size != "native") {
      auto parsed = ParseInputSize(size);
      if (!parsed.ok()) return f.Error(key, parsed.status().message() + " (or \"native\")");
      size = parsed->ToString();
    }
    if (std::find(plan->input_sizes.begin(), plan->input_sizes.end(), size) !=
        plan->input_sizes.end()) {
      return f.Error(key, "\"" + size + "\" given twice");
    }
    plan->input_sizes.push_back(size);
  }
  return Status::Ok();
}

Status ParsePruning(const PlanFields& f, SweepPlan* plan) {
  ASSIGN_OR_RETURN(nlohmann::json levels, List(f, "pruning", {0}));
  for (size_t i = 0; i < levels.size(); ++i) {
    if (!levels[i].is_number() || levels[i].get<double>() != 0.0 || i > 0) {
      return f.Error("pruning/" + std::to_string(i),
                     levels[i].dump() + ": pruning is reserved: detlite does not prune yet, so "
                                        "the only level a plan may list is 0 (no pruning)");
    }
    plan->pruning.push_back(0.0);
  }
  return Status::Ok();
}

Status ParseEval(const std::string& file, const std::string& dir, const nlohmann::json& root,
                 SweepPlan* plan) {
  if (!root.contains("eval")) return InvalidArgument(file + ": /eval: required");
  PlanFields f(file, "/eval", root.at("eval"));
  RETURN_IF_ERROR(f.CheckKeys({"dataset", "max_images", "labels", "metric"}));
  RETURN_IF_ERROR(f.ExistingPath("dataset", dir, &plan->dataset, &plan->dataset_resolved, true));
  RETURN_IF_ERROR(f.Int("max_images", int64_t{1}, int64_t{1} << 40, &plan->max_images));
  RETURN_IF_ERROR(f.ExistingPath("labels", dir, &plan->labels, &plan->labels_resolved, false));
  RETURN_IF_ERROR(f.String("metric", &plan->metric));
  const auto& names = CocoStatNames();
  if (std::find(names.begin(), names.end(), plan->metric) == names.end()) {
    std::string all;
    for (const char* n : names) all += (all.empty() ? "" : ", ") + std::string(n);
    return f.Error("metric", "'" + plan->metric + "' is not one of " + all);
  }
  return Status::Ok();
}

Status ParseRest(const std::string& file, const std::string& dir, const nlohmann::json& root,
                 SweepPlan* plan) {
  const nlohmann::json empty = nlohmann::json::object();
  PlanFields lat(file, "/latency", root.contains("latency") ? root.at("latency") : empty);
  RETURN_IF_ERROR(lat.CheckKeys({"threads", "runs", "warmup"}));
  RETURN_IF_ERROR(lat.Int("threads", 1, 64, &plan->threads));
  RETURN_IF_ERROR(lat.Int("runs", 1, 100000, &plan->runs));
  RETURN_IF_ERROR(lat.Int("warmup", 0, 100000, &plan->warmup));
  PlanFields cal(file, "/calibration", root.contains("calibration") ? root.at("calibration") : empty);
  RETURN_IF_ERROR(cal.CheckKeys({"data", "size", "threads"}));
  RETURN_IF_ERROR(
      cal.ExistingPath("data", dir, &plan->calibration_data, &plan->calibration_resolved, false));
  RETURN_IF_ERROR(cal.Int("size", 1, 1000000, &plan->calibration_size));
  RETURN_IF_ERROR(cal.Int("threads", 1, 256, &plan->calibration_threads));
  for (size_t i = 0; i < plan->quantization.size(); ++i) {
    if (plan->quantization[i].calibrated() && plan->calibration_data.empty()) {
      return cal.Error("data", "required by /quantization/" + std::to_string(i) + " (" +
                                   plan->quantization[i].label + ")");
    }
  }
  PlanFields top(file, "", root);
  return top.Setting("preprocess", &plan->preset);
}

// "FILE: /a/b: problem" -> "FILE: line N: /a/b: problem".
Status WithLine(const Status& s, const std::string& text, const std::string& file) {
  const std::string& m = s.message();
  const std::string head = file + ": /";
  if (m.rfind(head, 0) != 0) return s;
  const size_t end = m.find(": ", head.size());
  if (end == std::string::npos) return s;
  const int line = LineOfPointer(text, m.substr(head.size() - 1, end - head.size() + 1));
  if (line == 0) return s;
  return Status(s.code(), file + ": line " + std::to_string(line) + ": " + m.substr(file.size() + 2));
}

StatusOr<SweepPlan> ParsePlanText(const std::string& text, const std::string& file);

}  // namespace
}  // namespace detlite::sweep

namespace detlite {

StatusOr<SweepPlan> ParseSweepPlan(const std::string& text, const std::string& file) {
  auto plan = sweep::ParsePlanText(text, file);
  if (!plan.ok()) return sweep::WithLine(plan.status(), text, file);
  return plan;
}

}  // namespace detlite

namespace detlite::sweep {
namespace {

StatusOr<SweepPlan> ParsePlanText(const std::string& text, const std::string& file) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const size_t at = std::min<size_t>(e.byte, text.size());
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
    return InvalidArgument(file + ": line " + std::to_string(line) + ": not valid JSON");
  }
  SweepPlan plan;
  plan.path = file;
  plan.plan_hash = StableHash(root.dump());
  const std::string dir = PlanDirectory(file);
  PlanFields f(file, "", root);
  RETURN_IF_ERROR(f.CheckKeys({"name", "models", "input_sizes", "quantization", "pruning", "eval",
                               "latency", "calibration", "preprocess"}));
  std::string name;
  RETURN_IF_ERROR(f.String("name", &name));
  if (!f.Has("models")) return f.Error("models", "required");
  ASSIGN_OR_RETURN(nlohmann::json models, List(f, "models", {}));
  plan.models.resize(models.size());
  for (size_t i = 0; i < models.size(); ++i) {
    const std::string where = "/models/" + std::to_string(i);
    RETURN_IF_ERROR(ParseModel(file, dir, where, models[i], &plan.models[i]));
    for (size_t k = 0; k < i; ++k) {
      if (plan.models[k].canonical == plan.models[i].canonical) {
        return InvalidArgument(file + ": " + where + ": the same model and settings as /models/" +
                               std::to_string(k));
      }
    }
  }
  RETURN_IF_ERROR(ParseSizes(f, &plan));
  ASSIGN_OR_RETURN(nlohmann::json quant, List(f, "quantization", {"float32"}));
  plan.quantization.resize(quant.size());
  for (size_t i = 0; i < quant.size(); ++i) {
    const std::string where = "/quantization/" + std::to_string(i);
    RETURN_IF_ERROR(ParseQuantization(file, where, quant[i], &plan.quantization[i]));
    for (size_t k = 0; k < i; ++k) {
      if (plan.quantization[k].canonical == plan.quantization[i].canonical) {
        return InvalidArgument(file + ": " + where + ": the same settings as /quantization/" +
                               std::to_string(k));
      }
    }
  }
  RETURN_IF_ERROR(ParsePruning(f, &plan));
  RETURN_IF_ERROR(ParseEval(file, dir, root, &plan));
  RETURN_IF_ERROR(ParseRest(file, dir, root, &plan));
  return plan;
}

}  // namespace
}  // namespace detlite::sweep

namespace detlite {

StatusOr<SweepPlan> LoadSweepPlan(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(path, 16 << 20));
  return ParseSweepPlan(text, path);
}

}  // namespace detlite
