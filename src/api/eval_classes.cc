// What EvaluateModel and sharded evaluation share: matching a model's classes
// to a dataset's categories, and the ground truth and detections as scored.
#include "api/eval_classes.h"

#include <cctype>

namespace detlite::api {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

StatusOr<ClassNames> ResolveClassNames(const Model& model, const EvalOptions& o,
                                       const Detector& detector) {
  const int num_classes = detector.num_classes();
  ClassNames n;
  if (!o.labels.empty()) {
    ASSIGN_OR_RETURN(LabelMap labels, LoadLabelMap(o.labels));
    n.namer = ClassNamer(labels, num_classes);
    n.source = o.labels;
    return n;
  }
  std::string file;
  LabelMap embedded = EmbeddedLabels(model, &file);
  if (!embedded.names.empty()) n.source = file + " inside the model";
  if (embedded.names.empty()) {
    embedded.names = detector.default_class_names();
    embedded.format = LabelFormat::kIdName;  // class index = id
    if (!embedded.names.empty()) {
      n.source = "COCO's 80 class names (assumed for an 80-class YOLO model)";
    }
  }
  n.namer = ClassNamer(embedded, num_classes);
  return n;
}

StatusOr<ClassMapping> MapClasses(const ClassNames& names, const Dataset& ds,
                                  const Detector& detector) {
  const int num_classes = detector.num_classes();
  ClassMapping m;
  if (names.source.empty()) {
    for (int c = 0; c < num_classes; ++c) m.to_category[c] = detector.category_id(c);
    m.note = "no --labels: model class c is scored as dataset category id c+1";
    return m;
  }
  const std::string& source = names.source;
  const auto& namer = names.namer;
  std::map<std::string, int64_t> by_name;
  for (const Category& c : ds.categories) by_name[Lower(c.name)] = c.id;
  std::vector<std::string> unmatched;
  int matched_categories = 0;
  std::map<int64_t, bool> seen;
  for (int c = 0; c < num_classes; ++c) {
    auto it = by_name.find(Lower(namer(c)));
    if (it == by_name.end() || Lower(namer(c)) == "background") continue;
    m.to_category[c] = it->second;
    if (!seen[it->second]) ++matched_categories;
    seen[it->second] = true;
  }
  for (const Category& c : ds.categories) {
    if (!seen[c.id] && Lower(c.name) != "background") unmatched.push_back(c.name);
  }
  if (m.to_category.empty()) {
    return InvalidArgument(source + ": none of the model's class names matches a category of " +
                           ds.path + "; check the label map");
  }
  size_t object_categories = 0;
  for (const Category& c : ds.categories) object_categories += Lower(c.name) != "background";
  m.note = "classes matched by name (" + source + "): " + std::to_string(matched_categories) +
           " of the dataset's " +
           std::to_string(object_categories) + " object categories";
  if (!unmatched.empty()) {
    m.note += "; not predicted by the model:";
    for (const auto& n : unmatched) m.note += " '" + n + "'";
  }
  return m;
}

DetectorOptions EvalDetectorOptions(const EvalOptions& o) {
  DetectorOptions d;
  d.preprocess = o.preprocess;
  d.score_threshold = o.score_threshold;
  d.multi_label = true;  // raw YOLO outputs: as Ultralytics validates
  return d;
}

StatusOr<LabelledEvaluation> OpenLabelledEvaluation(const Model& model,
                                                    const std::string& dataset_path,
                                                    const EvalOptions& o) {
  DatasetOptions dopt;
  dopt.max_samples = o.max_images;
  ASSIGN_OR_RETURN(Dataset ds, LoadDataset(dataset_path, dopt));
  if (!ds.labelled()) {
    return InvalidArgument(dataset_path + ": a folder of images has no boxes to score against; "
                           "give a COCO json, a VOC directory or a TFRecord");
  }
  if (ds.samples.empty()) return InvalidArgument(dataset_path + ": the dataset has no images");
  ASSIGN_OR_RETURN(Detector detector, Detector::Create(model, EvalDetectorOptions(o)));
  ASSIGN_OR_RETURN(ClassNames names, ResolveClassNames(model, o, detector));
  ASSIGN_OR_RETURN(ClassMapping mapping, MapClasses(names, ds, detector));
  return LabelledEvaluation{std::move(ds), std::move(detector), std::move(names),
                            std::move(mapping)};
}

int64_t ScoredCategories(const Dataset& ds, eval::CocoDataset* gt) {
  int64_t background_id = -1;
  for (const Category& c : ds.categories) {
    if (Lower(c.name) == "background") {
      background_id = c.id;
      continue;
    }
    gt->categories.push_back({c.id, c.name});
  }
  return background_id;
}

void AddGroundTruth(const DatasetSample& s, int64_t image_id, int64_t skip_id,
                    eval::CocoDataset* gt, int* skipped) {
  gt->image_ids.push_back(image_id);
  for (const BoxAnnotation& b : s.boxes) {
    if (b.category_id == skip_id) {
      ++*skipped;
      continue;
    }
    eval::GroundTruth g;
    g.id = static_cast<int64_t>(gt->annotations.size()) + 1;
    g.image_id = image_id;
    g.category_id = b.category_id;
    g.bbox = {b.xmin, b.ymin, b.xmax - b.xmin, b.ymax - b.ymin};
    g.area = b.area >= 0 ? b.area : g.bbox[2] * g.bbox[3];
    // VOC 'difficult' objects are neither required nor penalized, which is
    // what COCO's crowd flag does.
    g.iscrowd = b.iscrowd || b.difficult;
    gt->annotations.push_back(g);
  }
}

// The detections of one photo as scored: dataset category ids, pixels.
std::vector<eval::Detection> ToScored(const std::vector<Detection>& found, int64_t image_id,
                                      const RgbImage& img, const ClassMapping& mapping) {
  std::vector<eval::Detection> scored;
  for (const Detection& d : found) {
    auto cat = mapping.to_category.find(d.class_index);
    if (cat == mapping.to_category.end() || cat->second < 0) continue;
    eval::Detection e;
    e.image_id = image_id;
    e.category_id = cat->second;
    e.bbox = {d.xmin * img.width, d.ymin * img.height, (d.xmax - d.xmin) * img.width,
              (d.ymax - d.ymin) * img.height};
    e.score = d.score;
    scored.push_back(e);
  }
  return scored;
}

}  // namespace detlite::api
