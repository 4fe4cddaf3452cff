#include "data/datasets/coco.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

namespace detlite::datasets {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

// "<file>: <list>[<i>]: <problem>" for one element of one file.
class Element {
 public:
  Element(const std::string& file, const char* list, size_t index)
      : prefix_(file + ": " + list + "[" + std::to_string(index) + "]: ") {}
  Status Error(const std::string& what) const { return DataLoss(prefix_ + what); }

  // Integers may be written as 3 or 3.0 (some tools emit floats).
  Status Int(const Json& obj, const char* key, int64_t lo, int64_t hi, int64_t* out,
             bool required = true) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      return required ? Error(std::string("missing '") + key + "'") : Status::Ok();
    }
    double v = 0;
    if (it->is_number_unsigned()) {
      v = it->get<uint64_t>() > static_cast<uint64_t>(hi) ? std::numeric_limits<double>::max()
                                                           : static_cast<double>(it->get<uint64_t>());
    } else if (it->is_number()) {
      v = it->get<double>();
    } else {
      return Error(std::string("'") + key + "' must be an integer");
    }
    if (!std::isfinite(v) || v != std::floor(v)) {
      return Error(std::string("'") + key + "' must be an integer");
    }
    if (v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
      return Error(std::string("'") + key + "' is out of range");
    }
    *out = it->is_number_integer() && !it->is_number_unsigned() ? it->get<int64_t>()
                                                                 : static_cast<int64_t>(v);
    return Status::Ok();
  }

  Status Str(const Json& obj, const char* key, std::string* out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Error(std::string("missing '") + key + "'");
    if (!it->is_string()) return Error(std::string("'") + key + "' must be a string");
    *out = it->get<std::string>();
    return Status::Ok();
  }

 private:
  std::string prefix_;
};

constexpr int64_t kMaxId = (int64_t{1} << 53);  // exact in a double
constexpr int64_t kMaxSide = 1 << 20;

StatusOr<const Json*> List(const Json& root, const char* key, const std::string& file,
                           bool required) {
  auto it = root.find(key);
  if (it == root.end()) {
    if (required) return DataLoss(file + ": missing '" + key + "'");
    return static_cast<const Json*>(nullptr);
  }
  if (!it->is_array()) return DataLoss(file + ": '" + key + "' is not an array");
  return &*it;
}

std::string ResolveImage(const fs::path& dir, const DatasetOptions& options,
                         const std::string& file_name) {
  if (!options.images_dir.empty()) return (fs::path(options.images_dir) / file_name).string();
  const fs::path candidates[] = {dir / file_name, dir / "images" / file_name};
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return candidates[0].string();
}

Status ReadBox(const Json& a, const Element& e, BoxAnnotation* b) {
  auto it = a.find("bbox");
  if (it == a.end()) return e.Error("missing 'bbox'");
  if (!it->is_array() || it->size() != 4) return e.Error("'bbox' must be an array of 4 numbers");
  double v[4];
  for (size_t i = 0; i < 4; ++i) {
    const Json& x = (*it)[i];
    if (!x.is_number() || !std::isfinite(x.get<double>()) ||
        std::fabs(x.get<double>()) > 1e9) {
      return e.Error("'bbox' must hold 4 finite numbers");
    }
    v[i] = x.get<double>();
  }
  if (v[2] < 0 || v[3] < 0) return e.Error("'bbox' has a negative width or height");
  b->xmin = static_cast<float>(v[0]);
  b->ymin = static_cast<float>(v[1]);
  b->xmax = static_cast<float>(v[0] + v[2]);
  b->ymax = static_cast<float>(v[1] + v[3]);
  auto area = a.find("area");
  if (area != a.end() && !area->is_null()) {
    if (!area->is_number() || !std::isfinite(area->get<double>()) || area->get<double>() < 0) {
      return e.Error("'area' must be a non-negative number");
    }
    b->area = area->get<double>();
  }
  auto crowd = a.find("iscrowd");
  if (crowd != a.end() && crowd->is_boolean()) {
    b->iscrowd = crowd->get<bool>();
  } else {
    int64_t c = 0;
    RETURN_IF_ERROR(e.Int(a, "iscrowd", 0, 1, &c, /*required=*/false));
    b->iscrowd = c == 1;
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Dataset> ParseCocoDataset(std::string_view text, const std::string& json_path,
                                   const DatasetOptions& options) {
  const std::string& file = json_path;
  Json root = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return DataLoss(file + ": not valid JSON");
  if (!root.is_object()) return DataLoss(file + ": top level is not an object");
  ASSIGN_OR_RETURN(const Json* images, List(root, "images", file, true));
  ASSIGN_OR_RETURN(const Json* cats, List(root, "categories", file, true));
  ASSIGN_OR_RETURN(const Json* anns, List(root, "annotations", file, false));

  Dataset ds;
  ds.path = json_path;
  ds.format = "coco";
  std::map<int, std::string> names;
  for (size_t i = 0; i < cats->size(); ++i) {
    Element e(file, "categories", i);
    const Json& c = (*cats)[i];
    if (!c.is_object()) return e.Error("not an object");
    int64_t id = 0;
    std::string name;
    RETURN_IF_ERROR(e.Int(c, "id", INT32_MIN, INT32_MAX, &id));
    RETURN_IF_ERROR(e.Str(c, "name", &name));
    if (!names.emplace(static_cast<int>(id), name).second) {
      return e.Error("category id " + std::to_string(id) + " is listed twice");
    }
  }
  for (const auto& [id, name] : names) ds.categories.push_back({id, name});

  const fs::path dir = fs::path(json_path).parent_path();
  std::unordered_map<int64_t, size_t> by_id;  // image id -> sample index
  size_t count = images->size();
  if (options.max_samples >= 0) count = std::min<size_t>(count, options.max_samples);
  for (size_t i = 0; i < images->size(); ++i) {
    Element e(file, "images", i);
    const Json& im = (*images)[i];
    if (!im.is_object()) return e.Error("not an object");
    int64_t id = 0, w = 0, h = 0;
    RETURN_IF_ERROR(e.Int(im, "id", -kMaxId, kMaxId, &id));
    if (by_id.count(id) != 0) return e.Error("image id " + std::to_string(id) + " is listed twice");
    by_id[id] = i < count ? i : SIZE_MAX;  // later images are skipped
    if (i >= count) continue;
    DatasetSample s;
    s.image_id = id;
    RETURN_IF_ERROR(e.Str(im, "file_name", &s.file_name));
    if (s.file_name.empty() || s.file_name.find('\0') != std::string::npos) {
      return e.Error("'file_name' is empty or holds a NUL byte");
    }
    RETURN_IF_ERROR(e.Int(im, "width", 0, kMaxSide, &w, /*required=*/false));
    RETURN_IF_ERROR(e.Int(im, "height", 0, kMaxSide, &h, /*required=*/false));
    s.width = static_cast<int>(w);
    s.height = static_cast<int>(h);
    s.image_path = ResolveImage(dir, options, s.file_name);
    ds.samples.push_back(std::move(s));
  }

  for (size_t i = 0; anns != nullptr && i < anns->size(); ++i) {
    Element e(file, "annotations", i);
    const Json& a = (*anns)[i];
    if (!a.is_object()) return e.Error("not an object");
    int64_t image_id = 0, category_id = 0;
    RETURN_IF_ERROR(e.Int(a, "image_id", -kMaxId, kMaxId, &image_id));
    RETURN_IF_ERROR(e.Int(a, "category_id", INT32_MIN, INT32_MAX, &category_id));
    BoxAnnotation b;
    RETURN_IF_ERROR(ReadBox(a, e, &b));
    auto img = by_id.find(image_id);
    if (img == by_id.end()) {
      return e.Error("image_id " + std::to_string(image_id) + " is not in 'images'");
    }
    auto cat = names.find(static_cast<int>(category_id));
    if (cat == names.end()) {
      return e.Error("category_id " + std::to_string(category_id) + " is not in 'categories'");
    }
    if (img->second == SIZE_MAX) continue;
    b.category_id = cat->first;
    b.label = cat->second;
    ds.samples[img->second].boxes.push_back(std::move(b));
  }
  return ds;
}

}  // namespace detlite::datasets
