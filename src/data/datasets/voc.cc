#include "data/datasets/voc.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "data/datasets/dir_list.h"

namespace detlite::datasets {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxXmlBytes = 16 << 20;  // VOC files are ~1 KB
constexpr int64_t kMaxSide = 1 << 20;

// The trimmed text of <parent><key>, or an error naming the element.
Status Text(const pugi::xml_node& parent, const char* key, const std::string& where,
            std::string* out) {
  pugi::xml_node node = parent.child(key);
  if (!node) return DataLoss(where + ": missing <" + key + ">");
  std::string s = node.child_value();
  const size_t b = s.find_first_not_of(" \t\r\n");
  const size_t e = s.find_last_not_of(" \t\r\n");
  *out = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  return Status::Ok();
}

Status Number(const pugi::xml_node& parent, const char* key, const std::string& where,
              double lo, double hi, double* out) {
  std::string s;
  RETURN_IF_ERROR(Text(parent, key, where, &s));
  char* end = nullptr;
  errno = 0;
  const double v = s.empty() ? NAN : std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno != 0 || !std::isfinite(v)) {
    return DataLoss(where + ": <" + key + "> is '" + s.substr(0, 40) + "', not a number");
  }
  if (v < lo || v > hi) return DataLoss(where + ": <" + key + "> is out of range");
  *out = v;
  return Status::Ok();
}

Status ReadObject(const pugi::xml_node& obj, const std::string& where, BoxAnnotation* b) {
  RETURN_IF_ERROR(Text(obj, "name", where, &b->label));
  if (b->label.empty()) return DataLoss(where + ": <name> is empty");
  if (obj.child("difficult")) {
    double d = 0;
    RETURN_IF_ERROR(Number(obj, "difficult", where, 0, 1, &d));
    b->difficult = d != 0;
  }
  pugi::xml_node box = obj.child("bndbox");
  if (!box) return DataLoss(where + ": missing <bndbox>");
  const std::string in_box = where + " <bndbox>";
  double v[4];
  const char* keys[] = {"xmin", "ymin", "xmax", "ymax"};
  for (int i = 0; i < 4; ++i) {
    RETURN_IF_ERROR(Number(box, keys[i], in_box, -1e7, 1e7, &v[i]));
  }
  if (v[2] < v[0] || v[3] < v[1]) return DataLoss(in_box + ": box has a negative size");
  b->xmin = static_cast<float>(v[0]);
  b->ymin = static_cast<float>(v[1]);
  b->xmax = static_cast<float>(v[2]);
  b->ymax = static_cast<float>(v[3]);
  return Status::Ok();
}

}  // namespace

StatusOr<DatasetSample> ParseVocAnnotation(const std::string& xml, const std::string& name) {
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size());
  if (!r) {
    return DataLoss(name + ": not valid XML at byte " + std::to_string(r.offset) + ": " +
                    r.description());
  }
  pugi::xml_node root = doc.child("annotation");
  if (!root) return DataLoss(name + ": no <annotation> element");
  DatasetSample s;
  RETURN_IF_ERROR(Text(root, "filename", name, &s.file_name));
  if (s.file_name.empty()) return DataLoss(name + ": <filename> is empty");
  if (pugi::xml_node size = root.child("size")) {
    double w = 0, h = 0;
    RETURN_IF_ERROR(Number(size, "width", name + ": <size>", 0, kMaxSide, &w));
    RETURN_IF_ERROR(Number(size, "height", name + ": <size>", 0, kMaxSide, &h));
    s.width = static_cast<int>(w);
    s.height = static_cast<int>(h);
  }
  int index = 0;
  for (pugi::xml_node obj : root.children("object")) {
    BoxAnnotation b;
    RETURN_IF_ERROR(ReadObject(obj, name + ": <object> " + std::to_string(index++), &b));
    s.boxes.push_back(std::move(b));
  }
  return s;
}

StatusOr<Dataset> LoadVocDataset(const std::string& dir, const DatasetOptions& options) {
  const fs::path root(dir);
  ASSIGN_OR_RETURN(std::vector<std::string> xmls,
                   ListFiles((root / "Annotations").string(), {".xml"}));
  if (xmls.empty()) return NotFound(dir + ": no Annotations/*.xml");
  fs::path images = options.images_dir;
  if (images.empty()) {
    std::error_code ec;
    images = fs::is_directory(root / "JPEGImages", ec) ? root / "JPEGImages" : root / "images";
  }
  Dataset ds;
  ds.path = dir;
  ds.format = "voc";
  size_t count = xmls.size();
  if (options.max_samples >= 0) count = std::min<size_t>(count, options.max_samples);
  std::map<std::string, int> ids;
  for (size_t i = 0; i < count; ++i) {
    const std::string path = (root / "Annotations" / xmls[i]).string();
    ASSIGN_OR_RETURN(std::string text, ReadFileText(path, kMaxXmlBytes));
    ASSIGN_OR_RETURN(DatasetSample s, ParseVocAnnotation(text, path));
    s.image_id = static_cast<int64_t>(i);
    s.image_path = (images / s.file_name).string();
    for (const BoxAnnotation& b : s.boxes) ids[b.label] = 0;
    ds.samples.push_back(std::move(s));
  }
  int next = 1;
  for (auto& [label, id] : ids) {
    id = next++;
    ds.categories.push_back({id, label});
  }
  for (DatasetSample& s : ds.samples) {
    for (BoxAnnotation& b : s.boxes) b.category_id = ids[b.label];
  }
  return ds;
}

}  // namespace detlite::datasets
