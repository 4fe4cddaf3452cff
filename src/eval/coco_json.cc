#include "eval/coco_json.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/file_io.h"

namespace detlite::eval {
namespace {

using Json = nlohmann::json;

// Builds "<file>: <entry>: <problem>" errors for one entry of one file.
class EntryErrors {
 public:
  EntryErrors(const std::string& file, std::string entry)
      : file_(file), entry_(std::move(entry)) {}
  Status Error(const std::string& what) const {
    return DataLoss(file_ + ": " + entry_ + ": " + what);
  }

  Status Int(const Json& obj, const char* key, int64_t* out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Error(std::string("missing '") + key + "'");
    if (it->is_number_integer()) {
      *out = it->get<int64_t>();
      if (it->is_number_unsigned() && it->get<uint64_t>() > INT64_MAX) {
        return Error(std::string("'") + key + "' is out of range");
      }
      return Status::Ok();
    }
    if (it->is_number_float()) {
      double v = it->get<double>();
      if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15) {
        *out = static_cast<int64_t>(v);
        return Status::Ok();
      }
    }
    return Error(std::string("'") + key + "' must be an integer");
  }

  Status Number(const Json& obj, const char* key, double* out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Error(std::string("missing '") + key + "'");
    if (!it->is_number() || !std::isfinite(it->get<double>())) {
      return Error(std::string("'") + key + "' must be a finite number");
    }
    *out = it->get<double>();
    return Status::Ok();
  }

  Status Box(const Json& obj, std::array<double, 4>* out) const {
    auto it = obj.find("bbox");
    if (it == obj.end()) return Error("missing 'bbox'");
    if (!it->is_array() || it->size() != 4) {
      return Error("'bbox' must be an array of 4 numbers");
    }
    for (size_t i = 0; i < 4; ++i) {
      const Json& v = (*it)[i];
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        return Error("'bbox' must be an array of 4 finite numbers");
      }
      (*out)[i] = v.get<double>();
    }
    if ((*out)[2] < 0 || (*out)[3] < 0) {
      return Error("'bbox' has a negative width or height");
    }
    return Status::Ok();
  }

 private:
  std::string file_;
  std::string entry_;
};

StatusOr<Json> Parse(std::string_view text, const std::string& name) {
  Json j = Json::parse(text.begin(), text.end(), nullptr,
                       /*allow_exceptions=*/false);
  if (j.is_discarded()) return DataLoss(name + ": not valid JSON");
  return j;
}

StatusOr<const Json*> ArrayMember(const Json& root, const char* key,
                                  const std::string& name) {
  auto it = root.find(key);
  if (it == root.end()) return DataLoss(name + ": missing '" + key + "'");
  if (!it->is_array())
    return DataLoss(name + ": '" + key + "' is not an array");
  return &*it;
}

std::string Entry(const char* list, size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

Status ParseAnnotation(const Json& a, const EntryErrors& e, GroundTruth* g) {
  if (!a.is_object()) return e.Error("not an object");
  RETURN_IF_ERROR(e.Int(a, "id", &g->id));
  RETURN_IF_ERROR(e.Int(a, "image_id", &g->image_id));
  RETURN_IF_ERROR(e.Int(a, "category_id", &g->category_id));
  RETURN_IF_ERROR(e.Box(a, &g->bbox));
  RETURN_IF_ERROR(e.Number(a, "area", &g->area));
  if (g->area < 0) return e.Error("'area' is negative");
  auto crowd = a.find("iscrowd");
  if (crowd != a.end()) {
    if (crowd->is_boolean()) {
      g->iscrowd = crowd->get<bool>();
    } else {
      int64_t v = 0;
      RETURN_IF_ERROR(e.Int(a, "iscrowd", &v));
      if (v != 0 && v != 1) return e.Error("'iscrowd' must be 0 or 1");
      g->iscrowd = v == 1;
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<CocoDataset> ParseCocoGroundTruth(std::string_view text,
                                           const std::string& name) {
  ASSIGN_OR_RETURN(Json root, Parse(text, name));
  if (!root.is_object()) return DataLoss(name + ": top level is not an object");
  CocoDataset ds;
  ASSIGN_OR_RETURN(const Json* images, ArrayMember(root, "images", name));
  for (size_t i = 0; i < images->size(); ++i) {
    EntryErrors e(name, Entry("images", i));
    if (!(*images)[i].is_object()) return e.Error("not an object");
    int64_t id = 0;
    RETURN_IF_ERROR(e.Int((*images)[i], "id", &id));
    ds.image_ids.push_back(id);
  }
  ASSIGN_OR_RETURN(const Json* cats, ArrayMember(root, "categories", name));
  for (size_t i = 0; i < cats->size(); ++i) {
    EntryErrors e(name, Entry("categories", i));
    const Json& c = (*cats)[i];
    if (!c.is_object()) return e.Error("not an object");
    Category cat;
    RETURN_IF_ERROR(e.Int(c, "id", &cat.id));
    auto n = c.find("name");
    if (n != c.end()) {
      if (!n->is_string()) return e.Error("'name' must be a string");
      cat.name = n->get<std::string>();
    }
    ds.categories.push_back(std::move(cat));
  }
  ASSIGN_OR_RETURN(const Json* anns, ArrayMember(root, "annotations", name));
  ds.annotations.resize(anns->size());
  for (size_t i = 0; i < anns->size(); ++i) {
    RETURN_IF_ERROR(ParseAnnotation((*anns)[i],
                                    EntryErrors(name, Entry("annotations", i)),
                                    &ds.annotations[i]));
  }
  return ds;
}

StatusOr<std::vector<Detection>> ParseCocoResults(std::string_view text,
                                                  const std::string& name) {
  ASSIGN_OR_RETURN(Json root, Parse(text, name));
  const Json* list = &root;
  if (root.is_object()) {
    ASSIGN_OR_RETURN(list, ArrayMember(root, "annotations", name));
  } else if (!root.is_array()) {
    return DataLoss(name + ": top level is neither an array nor an object");
  }
  std::vector<Detection> dets(list->size());
  for (size_t i = 0; i < list->size(); ++i) {
    EntryErrors e(name, Entry("results", i));
    const Json& r = (*list)[i];
    Detection& d = dets[i];
    if (!r.is_object()) return e.Error("not an object");
    RETURN_IF_ERROR(e.Int(r, "image_id", &d.image_id));
    RETURN_IF_ERROR(e.Int(r, "category_id", &d.category_id));
    RETURN_IF_ERROR(e.Box(r, &d.bbox));
    RETURN_IF_ERROR(e.Number(r, "score", &d.score));
  }
  return dets;
}

StatusOr<CocoDataset> ReadCocoGroundTruth(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return ParseCocoGroundTruth(text, path);
}

StatusOr<std::vector<Detection>> ReadCocoResults(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return ParseCocoResults(text, path);
}

}  // namespace detlite::eval
