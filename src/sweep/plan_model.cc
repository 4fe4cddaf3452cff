// One entry of a plan's "models" list: {"path": ..., "name": ...,
// "postprocess": {...}}; "postprocess" takes the settings of `detlite convert
// --add-postprocess` under their flag names with '_' for '-'.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "detlite/sweep.h"
#include "sweep/plan_fields.h"
#include "sweep/plan_internal.h"

namespace detlite::sweep {
namespace {

std::string FlagOf(const std::string& key) {
  std::string flag = "--" + key;
  for (char& c : flag) c = c == '_' ? '-' : c;
  return flag;
}

Status ParsePostprocess(const std::string& file, const std::string& plan_dir,
                        const std::string& where, const nlohmann::json& j, SweepModel* m) {
  PlanFields f(file, where, j);
  RETURN_IF_ERROR(f.CheckKeys({"anchors", "config", "score_threshold", "iou_threshold",
                               "max_detections", "num_classes", "score_converter",
                               "regular_nms"}));
  PostprocessOptions& o = m->postprocess;
  RETURN_IF_ERROR(f.Setting("anchors", &o.anchors));
  std::string config;
  RETURN_IF_ERROR(f.ExistingPath("config", plan_dir, &config, &o.config, false));
  RETURN_IF_ERROR(f.Setting("score_converter", &o.score_converter));
  double score = 0, iou = 0;
  RETURN_IF_ERROR(f.Number("score_threshold", 0.0, 1.0, &score));
  RETURN_IF_ERROR(f.Number("iou_threshold", 0.0, 1.0, &iou));
  if (f.Has("score_threshold")) o.score_threshold = static_cast<float>(score);
  if (f.Has("iou_threshold")) o.iou_threshold = static_cast<float>(iou);
  int max_det = 100, classes = 1;
  RETURN_IF_ERROR(f.Int("max_detections", 1, 100000, &max_det));
  RETURN_IF_ERROR(f.Int("num_classes", 1, 100000, &classes));
  if (f.Has("max_detections")) o.max_detections = max_det;
  if (f.Has("num_classes")) o.num_classes = classes;
  bool regular = false;
  RETURN_IF_ERROR(f.Bool("regular_nms", &regular));
  if (regular) o.regular_nms = true;
  if (o.anchors == AnchorPreset::kFromModel && o.config.empty()) {
    return InvalidArgument(file + ": " + where +
                           ": give \"anchors\" or \"config\" (where the anchors come from)");
  }
  m->add_postprocess = true;
  m->postprocess_flags = {"--add-postprocess"};
  for (const auto& [key, value] : j.items()) {
    if (key == "regular_nms") {
      if (regular) m->postprocess_flags.push_back("--regular-nms");
      continue;
    }
    m->postprocess_flags.push_back(FlagOf(key));
    m->postprocess_flags.push_back(value.is_string() ? value.get<std::string>() : value.dump());
  }
  return Status::Ok();
}

}  // namespace

Status ParseModel(const std::string& file, const std::string& plan_dir, const std::string& where,
                  const nlohmann::json& entry, SweepModel* m) {
  if (entry.is_string()) {
    return ParseModel(file, plan_dir, where, nlohmann::json{{"path", entry}}, m);
  }
  PlanFields f(file, where, entry);
  RETURN_IF_ERROR(f.CheckKeys({"path", "name", "postprocess"}));
  RETURN_IF_ERROR(f.ExistingPath("path", plan_dir, &m->path, &m->resolved, true));
  m->name = std::filesystem::path(m->path).stem().string();
  RETURN_IF_ERROR(f.String("name", &m->name));
  nlohmann::json canonical = {{"path", m->path}};
  if (f.Has("postprocess")) {
    RETURN_IF_ERROR(
        ParsePostprocess(file, plan_dir, f.Path("postprocess"), f.At("postprocess"), m));
    canonical["postprocess"] = f.At("postprocess");
  }
  m->canonical = canonical.dump();
  return Status::Ok();
}

}  // namespace detlite::sweep
