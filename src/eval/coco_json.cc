#include "eval/coco_json.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
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

Status ParseResult(const Json& r, const EntryErrors& e, Detection* d) {
  if (!r.is_object()) return e.Error("not an object");
  RETURN_IF_ERROR(e.Int(r, "image_id", &d->image_id));
  RETURN_IF_ERROR(e.Int(r, "category_id", &d->category_id));
  RETURN_IF_ERROR(e.Box(r, &d->bbox));
  return e.Number(r, "score", &d->score);
}

// Streams a results file: only one entry at a time is held as a JSON value,
// so memory grows with the detections kept (kMaxCocoResults at most), not
// with the size of the text.
class ResultsSax : public nlohmann::json_sax<Json> {
 public:
  explicit ResultsSax(std::string name) : name_(std::move(name)) {}

  bool null() override { return Value(Json()); }
  bool boolean(bool v) override { return Value(Json(v)); }
  bool number_integer(number_integer_t v) override { return Value(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Value(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Value(Json(v)); }
  bool string(string_t& v) override { return Value(Json(std::move(v))); }
  bool binary(binary_t&) override { return Fail(DataLoss(name_ + ": not valid JSON")); }

  bool start_object(std::size_t) override { return Open(Json::object()); }
  bool start_array(std::size_t) override { return Open(Json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& k) override {
    if (!building_.empty()) {
      keys_.back() = std::move(k);
    } else if (depth_ == 1 && root_object_) {
      annotations_next_ = k == "annotations";
    }
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    return Fail(DataLoss(name_ + ": not valid JSON (at byte " + std::to_string(position) + ")"));
  }

  StatusOr<std::vector<Detection>> Finish(bool ok) {
    if (!status_.ok()) return status_;
    if (!ok) return DataLoss(name_ + ": not valid JSON");
    if (root_object_ && !found_list_) return DataLoss(name_ + ": missing 'annotations'");
    return std::move(dets_);
  }

 private:
  bool Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
    return false;
  }
  // A finished value: part of the entry being built, a whole entry, or a
  // scalar outside the results list.
  bool Value(Json v) {
    if (!building_.empty()) {
      Json& top = building_.back();
      if (top.is_array()) {
        top.push_back(std::move(v));
      } else {
        top[keys_.back()] = std::move(v);
      }
      return true;
    }
    if (depth_ == entries_at_) return Entry(v);
    if (depth_ == 0) return Fail(DataLoss(name_ + ": top level is neither an array nor an object"));
    if (annotations_next_ && depth_ == 1) {
      return Fail(DataLoss(name_ + ": 'annotations' is not an array"));
    }
    return true;
  }
  bool Open(Json container) {
    if (!building_.empty() || depth_ == entries_at_) {
      building_.push_back(std::move(container));
      keys_.emplace_back();
      return true;
    }
    if (depth_ == 0) {
      root_object_ = container.is_object();
      if (!root_object_) entries_at_ = 1, found_list_ = true;
    } else if (depth_ == 1 && annotations_next_) {
      if (!container.is_array()) return Fail(DataLoss(name_ + ": 'annotations' is not an array"));
      entries_at_ = 2;
      found_list_ = true;
    }
    annotations_next_ = false;
    ++depth_;
    return true;
  }
  bool Close() {
    if (!building_.empty()) {
      Json done = std::move(building_.back());
      building_.pop_back();
      keys_.pop_back();
      return Value(std::move(done));
    }
    --depth_;
    if (depth_ < entries_at_) entries_at_ = -1;
    return true;
  }
  bool Entry(const Json& r) {
    if (dets_.size() >= kMaxCocoResults) {
      return Fail(DataLoss(name_ + ": more than " + std::to_string(kMaxCocoResults) +
                           " detections, over the limit (docs/LIMITS.md)"));
    }
    Detection d;
    Status s = ParseResult(r, EntryErrors(name_, ::detlite::eval::Entry("results", dets_.size())), &d);
    if (!s.ok()) return Fail(std::move(s));
    dets_.push_back(d);
    return true;
  }

  std::string name_;
  Status status_ = Status::Ok();
  std::vector<Detection> dets_;
  std::vector<Json> building_;   // the entry being built, outermost first
  std::vector<std::string> keys_;  // the pending key of each object in building_
  int depth_ = 0;                // containers open outside an entry
  int entries_at_ = -1;          // depth_ at which entries are read
  bool root_object_ = false, annotations_next_ = false, found_list_ = false;
};

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

StatusOr<CocoDataset> ReadCocoGroundTruth(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return ParseCocoGroundTruth(text, path);
}

StatusOr<std::vector<Detection>> ParseCocoResults(std::string_view text,
                                                  const std::string& name) {
  ResultsSax sax(name);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &sax);
  return sax.Finish(ok);
}

StatusOr<std::vector<Detection>> ReadCocoResults(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int e = errno;
    const std::string msg = path + ": cannot open: " + std::strerror(e);
    return e == ENOENT ? NotFound(msg) : IoError(msg);
  }
  ResultsSax sax(path);
  bool ok = false;
  {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
    ok = Json::sax_parse(f, &sax);
    if (std::ferror(f)) return IoError(path + ": read failed");
  }
  return sax.Finish(ok);
}

}  // namespace detlite::eval
