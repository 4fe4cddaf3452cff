#include "data/datasets/od_example.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "data/image.h"
#include "detlite/tf/example.pb.h"

namespace detlite::datasets {
namespace {

// Larger sides are refused: no real photo has them and they would overflow
// the int fields downstream.
constexpr int64_t kMaxSide = 1 << 20;

class Features {
 public:
  Features(const tf::Example& example, const std::string& where)
      : map_(example.features().feature()), where_(where) {}

  Status Error(const std::string& what) const {
    return DataLoss(where_ + ": " + what);
  }
  bool Has(const std::string& key) const { return map_.count(key) != 0; }

  // Absent keys give empty lists; a key of the wrong kind is an error.
  Status Bytes(const std::string& key, std::vector<std::string>* out) const {
    out->clear();
    auto it = map_.find(key);
    if (it == map_.end()) return Status::Ok();
    if (it->second.kind_case() == tf::Feature::KIND_NOT_SET) return Status::Ok();
    if (!it->second.has_bytes_list()) return Error("'" + key + "' is not a bytes list");
    out->assign(it->second.bytes_list().value().begin(),
                it->second.bytes_list().value().end());
    return Status::Ok();
  }
  Status Floats(const std::string& key, std::vector<float>* out) const {
    out->clear();
    auto it = map_.find(key);
    if (it == map_.end()) return Status::Ok();
    if (it->second.kind_case() == tf::Feature::KIND_NOT_SET) return Status::Ok();
    if (!it->second.has_float_list()) return Error("'" + key + "' is not a float list");
    out->assign(it->second.float_list().value().begin(),
                it->second.float_list().value().end());
    return Status::Ok();
  }
  Status Ints(const std::string& key, std::vector<int64_t>* out) const {
    out->clear();
    auto it = map_.find(key);
    if (it == map_.end()) return Status::Ok();
    if (it->second.kind_case() == tf::Feature::KIND_NOT_SET) return Status::Ok();
    if (!it->second.has_int64_list()) return Error("'" + key + "' is not an int64 list");
    out->assign(it->second.int64_list().value().begin(),
                it->second.int64_list().value().end());
    return Status::Ok();
  }
  // A single optional string ("" when absent).
  Status String(const std::string& key, std::string* out) const {
    std::vector<std::string> v;
    RETURN_IF_ERROR(Bytes(key, &v));
    if (v.size() > 1) return Error("'" + key + "' has " + std::to_string(v.size()) + " values");
    *out = v.empty() ? "" : v[0];
    return Status::Ok();
  }
  // A single optional positive size (0 when absent).
  Status Side(const std::string& key, int* out) const {
    std::vector<int64_t> v;
    RETURN_IF_ERROR(Ints(key, &v));
    if (v.size() > 1) return Error("'" + key + "' has " + std::to_string(v.size()) + " values");
    if (v.empty()) { *out = 0; return Status::Ok(); }
    if (v[0] <= 0 || v[0] > kMaxSide) {
      return Error("'" + key + "' is " + std::to_string(v[0]) + ", not a valid image size");
    }
    *out = static_cast<int>(v[0]);
    return Status::Ok();
  }

 private:
  const google::protobuf::Map<std::string, tf::Feature>& map_;
  const std::string& where_;
};

// An optional per-object list must have one entry per box.
Status CheckCount(const Features& f, const char* key, size_t got, size_t boxes) {
  if (got == 0 || got == boxes) return Status::Ok();
  return f.Error(std::string("'") + key + "' has " + std::to_string(got) +
                 " values for " + std::to_string(boxes) + " boxes");
}

Status ReadBoxes(const Features& f, DatasetSample* s) {
  std::vector<float> x0, y0, x1, y1, area;
  RETURN_IF_ERROR(f.Floats("image/object/bbox/xmin", &x0));
  RETURN_IF_ERROR(f.Floats("image/object/bbox/ymin", &y0));
  RETURN_IF_ERROR(f.Floats("image/object/bbox/xmax", &x1));
  RETURN_IF_ERROR(f.Floats("image/object/bbox/ymax", &y1));
  RETURN_IF_ERROR(f.Floats("image/object/area", &area));
  std::vector<int64_t> labels, difficult, crowd;
  RETURN_IF_ERROR(f.Ints("image/object/class/label", &labels));
  RETURN_IF_ERROR(f.Ints("image/object/difficult", &difficult));
  RETURN_IF_ERROR(f.Ints("image/object/is_crowd", &crowd));
  std::vector<std::string> texts;
  RETURN_IF_ERROR(f.Bytes("image/object/class/text", &texts));

  const size_t n = x0.size();
  if (y0.size() != n || x1.size() != n || y1.size() != n) {
    return f.Error("bbox lists disagree in length (xmin " + std::to_string(x0.size()) +
                   ", ymin " + std::to_string(y0.size()) + ", xmax " +
                   std::to_string(x1.size()) + ", ymax " + std::to_string(y1.size()) + ")");
  }
  if (labels.size() != n) {
    return f.Error("'image/object/class/label' has " + std::to_string(labels.size()) +
                   " values for " + std::to_string(n) + " boxes");
  }
  RETURN_IF_ERROR(CheckCount(f, "image/object/class/text", texts.size(), n));
  RETURN_IF_ERROR(CheckCount(f, "image/object/difficult", difficult.size(), n));
  RETURN_IF_ERROR(CheckCount(f, "image/object/is_crowd", crowd.size(), n));
  RETURN_IF_ERROR(CheckCount(f, "image/object/area", area.size(), n));

  const float w = static_cast<float>(s->width), h = static_cast<float>(s->height);
  s->boxes.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string obj = "object " + std::to_string(i) + ": ";
    if (!std::isfinite(x0[i]) || !std::isfinite(y0[i]) || !std::isfinite(x1[i]) ||
        !std::isfinite(y1[i])) {
      return f.Error(obj + "bbox is not finite");
    }
    if (x1[i] < x0[i] || y1[i] < y0[i]) return f.Error(obj + "bbox has a negative size");
    if (labels[i] < INT32_MIN || labels[i] > INT32_MAX) {
      return f.Error(obj + "class label " + std::to_string(labels[i]) + " is out of range");
    }
    BoxAnnotation& b = s->boxes[i];
    b.category_id = static_cast<int>(labels[i]);
    if (!texts.empty()) b.label = texts[i];
    b.xmin = x0[i] * w;
    b.ymin = y0[i] * h;
    b.xmax = x1[i] * w;
    b.ymax = y1[i] * h;
    if (!difficult.empty()) b.difficult = difficult[i] != 0;
    if (!crowd.empty()) b.iscrowd = crowd[i] != 0;
    if (!area.empty()) {
      if (!std::isfinite(area[i]) || area[i] < 0) return f.Error(obj + "area is invalid");
      b.area = area[i];
    }
  }
  return Status::Ok();
}

}  // namespace

Status ParseOdExample(const std::string& record, const std::string& where,
                      DatasetSample* sample, std::string* source_id) {
  tf::Example example;
  if (!example.ParseFromString(record)) {
    return DataLoss(where + ": not a valid tf.Example protobuf");
  }
  Features f(example, where);
  std::vector<std::string> encoded;
  RETURN_IF_ERROR(f.Bytes("image/encoded", &encoded));
  if (encoded.size() != 1 || encoded[0].empty()) {
    return f.Error("'image/encoded' must hold one image (has " +
                   std::to_string(encoded.size()) + " values)");
  }
  sample->encoded_image.assign(encoded[0].begin(), encoded[0].end());
  RETURN_IF_ERROR(f.String("image/filename", &sample->file_name));
  RETURN_IF_ERROR(f.String("image/source_id", source_id));
  RETURN_IF_ERROR(f.Side("image/width", &sample->width));
  RETURN_IF_ERROR(f.Side("image/height", &sample->height));
  if (sample->width == 0 || sample->height == 0) {
    // Boxes are normalized, so the true size is needed to scale them.
    auto image = DecodeImage(sample->encoded_image.data(), sample->encoded_image.size(),
                             where + ": image/encoded");
    // DataLoss whatever the decoder said: the record, not the caller, is bad.
    if (!image.ok()) return DataLoss(image.status().message());
    sample->width = image->width;
    sample->height = image->height;
  }
  return ReadBoxes(f, sample);
}

}  // namespace detlite::datasets
