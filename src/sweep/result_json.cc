// DIR/trials/<id>.json: one trial's settings and numbers. Timings live under
// "timing" so that comparing runs (shards against one process) can drop them
// in one place.
#include <nlohmann/json.hpp>

#include "detlite/evaluate.h"
#include "detlite/sweep.h"

namespace detlite {

double TrialResult::Metric() const {
  const auto& names = CocoStatNames();
  for (size_t i = 0; i < names.size() && i < coco.size(); ++i) {
    if (metric == names[i]) return coco[i];
  }
  return -1;
}

std::string TrialResultJson(const TrialResult& r) {
  nlohmann::json j = {{"format", "detlite-sweep-trial/1"},
                      {"trial", r.id},
                      {"index", r.index},
                      {"plan_hash", r.plan_hash},
                      {"status", r.status},
                      {"settings", nlohmann::json::parse(r.settings_json)},
                      {"model_name", r.model_name},
                      {"model_path", r.model_path},
                      {"input_size", r.input_size},
                      {"quantization", r.quantization},
                      {"pruning", r.pruning},
                      {"command", r.command},
                      {"model_file", r.model_file},
                      {"metric", r.metric}};
  if (!r.error.empty()) j["error"] = r.error;
  if (r.status == "ok") {
    j["file_bytes"] = r.file_bytes;
    nlohmann::json coco = nlohmann::json::object();
    for (size_t i = 0; i < r.coco.size() && i < 12; ++i) coco[CocoStatNames()[i]] = r.coco[i];
    j["coco"] = coco;
    j["eval_images"] = r.eval_images;
    nlohmann::json timing = {{"convert_seconds", r.convert_seconds},
                             {"eval_seconds", r.eval_seconds},
                             {"latency_ms", r.latency_ms},
                             {"latency_min_ms", r.latency_min_ms},
                             {"latency_runs", r.latency_runs},
                             {"threads", r.threads},
                             {"host", r.host}};
    if (r.tflite_latency_ms) timing["tflite_latency_ms"] = *r.tflite_latency_ms;
    j["timing"] = timing;
  }
  return j.dump(2) + "\n";
}

StatusOr<TrialResult> ParseTrialResult(const std::string& text, const std::string& path) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (j.value("format", "") != "detlite-sweep-trial/1") {
      return InvalidArgument(path + ": not a detlite sweep trial result (no \"format\": "
                                    "\"detlite-sweep-trial/1\")");
    }
    TrialResult r;
    r.id = j.at("trial").get<std::string>();
    r.index = j.at("index").get<int>();
    r.plan_hash = j.at("plan_hash").get<std::string>();
    r.status = j.at("status").get<std::string>();
    r.settings_json = j.at("settings").dump();
    r.model_name = j.at("model_name").get<std::string>();
    r.model_path = j.at("model_path").get<std::string>();
    r.input_size = j.at("input_size").get<std::string>();
    r.quantization = j.at("quantization").get<std::string>();
    r.pruning = j.at("pruning").get<double>();
    r.command = j.at("command").get<std::string>();
    r.model_file = j.at("model_file").get<std::string>();
    r.metric = j.value("metric", "AP");
    r.error = j.value("error", "");
    if (r.status == "ok") {
      r.file_bytes = j.at("file_bytes").get<int64_t>();
      for (const char* name : CocoStatNames()) r.coco.push_back(j.at("coco").at(name).get<double>());
      r.eval_images = j.at("eval_images").get<int>();
      const nlohmann::json& t = j.at("timing");
      r.convert_seconds = t.at("convert_seconds").get<double>();
      r.eval_seconds = t.at("eval_seconds").get<double>();
      r.latency_ms = t.at("latency_ms").get<double>();
      r.latency_min_ms = t.at("latency_min_ms").get<double>();
      r.latency_runs = t.at("latency_runs").get<int>();
      r.threads = t.at("threads").get<int>();
      r.host = t.value("host", "");
      if (t.contains("tflite_latency_ms")) r.tflite_latency_ms = t.at("tflite_latency_ms").get<double>();
    } else if (r.status != "failed") {
      return InvalidArgument(path + ": status '" + r.status + "' is neither ok nor failed");
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(path + ": not a valid trial result: " + e.what());
  }
}

}  // namespace detlite
