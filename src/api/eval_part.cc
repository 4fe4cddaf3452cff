// Identity and header of sharded-evaluation part files.
#include "api/eval_part.h"

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <type_traits>
#include <nlohmann/json.hpp>

#include "core/file_io.h"
#include "core/stable_hash.h"

namespace detlite::api {
namespace {

using Json = nlohmann::json;

constexpr int kPartFormat = 1;

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

}  // namespace

std::string DatasetHash(const Dataset& ds) {
  std::string text = ds.format + "\n";
  for (const Category& c : ds.categories) {
    text += "c " + std::to_string(c.id) + " " + c.name + "\n";
  }
  for (const DatasetSample& s : ds.samples) {
    text += "i " + std::to_string(s.image_id) + " " + std::to_string(s.width) + "x" +
            std::to_string(s.height) + " " + s.file_name + "\n";
    for (const BoxAnnotation& b : s.boxes) {
      text += "b " + std::to_string(b.category_id) + " " + Num(b.xmin) + " " + Num(b.ymin) + " " +
              Num(b.xmax) + " " + Num(b.ymax) + " " + Num(b.area) + " " +
              std::to_string(b.iscrowd) + std::to_string(b.difficult) + "\n";
    }
  }
  return StableHash(text);
}

StatusOr<std::string> FileHash(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFileText(path));
  return StableHash(bytes);
}

StatusOr<std::string> OptionsJson(const EvalOptions& o) {
  const PreprocessOptions& p = o.preprocess;
  Json j = {{"preset", static_cast<int>(p.preset)},
            {"mean", p.mean},
            {"std", p.stddev},
            {"bgr", p.bgr},
            {"resize", static_cast<int>(p.resize)},
            {"score_threshold", static_cast<double>(o.score_threshold)},
            {"max_images", o.max_images},
            {"labels_hash", ""}};
  if (!o.labels.empty()) {
    ASSIGN_OR_RETURN(std::string h, FileHash(o.labels));
    j["labels_hash"] = h;
  }
  return j.dump();
}

std::string PartHeaderJson(const EvalPartInfo& info) {
  Json j = {{"detlite_eval_part", kPartFormat},
            {"dataset", info.dataset},
            {"dataset_hash", info.dataset_hash},
            {"dataset_images", info.dataset_images},
            {"model", info.model},
            {"model_hash", info.model_hash},
            {"options", Json::parse(info.options)},
            {"shard", std::to_string(info.shard.index) + "/" + std::to_string(info.shard.count)},
            {"images", info.images},
            {"detections", info.detections},
            {"seconds", info.seconds},
            {"invoke_ms_sum", info.invoke_ms_sum},
            {"notes", info.notes}};
  std::string text = j.dump(1);
  text.pop_back();  // the closing brace: "annotations" follows
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

StatusOr<EvalPartInfo> ReadPartHeader(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return NotFound(path + ": cannot open the part file");
  // The detections are skipped here (never held): ReadCocoResults streams them.
  Json::parser_callback_t skip = [](int depth, Json::parse_event_t event, Json& parsed) {
    return !(event == Json::parse_event_t::key && depth == 1 && parsed == "annotations");
  };
  const Json j = Json::parse(f, skip, /*allow_exceptions=*/false);
  const std::string bad = path + ": not a complete eval part file";
  if (j.is_discarded()) return DataLoss(bad + " (not valid JSON: truncated?)");
  const auto format = j.is_object() ? j.find("detlite_eval_part") : j.end();
  if (!j.is_object() || format == j.end() || !format->is_number_integer() ||
      format->get<int64_t>() != kPartFormat) {
    return DataLoss(bad + " (no 'detlite_eval_part': 1; write parts with eval --shard)");
  }
  EvalPartInfo info;
  info.path = path;
  const auto str = [&](const char* key, std::string* out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return DataLoss(bad + " (no '" + key + "')");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  const auto num = [&](const char* key, auto* out) -> Status {
    auto it = j.find(key);
    using T = std::remove_pointer_t<decltype(out)>;
    const bool fits = std::is_integral_v<T> ? it != j.end() && it->is_number_integer()
                                            : it != j.end() && it->is_number();
    if (!fits) return DataLoss(bad + " (no '" + key + "')");
    *out = it->get<T>();
    return Status::Ok();
  };
  std::string shard;
  RETURN_IF_ERROR(str("dataset", &info.dataset));
  RETURN_IF_ERROR(str("dataset_hash", &info.dataset_hash));
  RETURN_IF_ERROR(str("model", &info.model));
  RETURN_IF_ERROR(str("model_hash", &info.model_hash));
  RETURN_IF_ERROR(str("shard", &shard));
  RETURN_IF_ERROR(num("dataset_images", &info.dataset_images));
  RETURN_IF_ERROR(num("images", &info.images));
  RETURN_IF_ERROR(num("detections", &info.detections));
  RETURN_IF_ERROR(num("seconds", &info.seconds));
  RETURN_IF_ERROR(num("invoke_ms_sum", &info.invoke_ms_sum));
  auto opts = j.find("options");
  if (opts == j.end() || !opts->is_object()) return DataLoss(bad + " (no 'options')");
  const auto max_images = opts->find("max_images");
  if (max_images == opts->end() || !max_images->is_number_integer()) {
    return DataLoss(bad + " (no 'options.max_images')");
  }
  info.options = opts->dump();
  auto s = ParseShard(shard);
  if (!s.ok()) return DataLoss(bad + " (shard '" + shard + "')");
  info.shard = *s;
  auto notes = j.find("notes");
  if (notes != j.end() && notes->is_array()) {
    for (const Json& n : *notes) {
      if (n.is_string()) info.notes.push_back(n.get<std::string>());
    }
  }
  return info;
}

}  // namespace detlite::api
