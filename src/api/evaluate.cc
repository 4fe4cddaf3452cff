// EvaluateModel: run a detector over a labelled dataset and score it.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>

#include "api/eval_summary.h"
#include "api/evaluate_compare.h"
#include "data/draw.h"
#include "detlite/dataset.h"
#include "detlite/evaluate.h"

namespace detlite {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Model class index -> dataset category id (absent = not scored).
struct ClassMapping {
  std::map<int, int64_t> to_category;
  std::string note;
};

// Names for the model's classes, read once: --labels, else the label map
// inside the model. `source` is empty when there is neither.
struct ClassNames {
  std::function<std::string(int)> namer;
  std::string source;
};

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

}  // namespace

StatusOr<EvalResult> EvaluateModel(const Model& model, const std::string& dataset_path,
                                   const EvalOptions& o) {
  auto start = std::chrono::steady_clock::now();
  DatasetOptions dopt;
  dopt.max_samples = o.max_images;
  ASSIGN_OR_RETURN(Dataset ds, LoadDataset(dataset_path, dopt));
  if (!ds.labelled()) {
    return InvalidArgument(dataset_path + ": a folder of images has no boxes to score against; "
                           "give a COCO json, a VOC directory or a TFRecord");
  }
  if (ds.samples.empty()) return InvalidArgument(dataset_path + ": the dataset has no images");
  DetectorOptions dopts;
  dopts.preprocess = o.preprocess;
  dopts.score_threshold = o.score_threshold;
  dopts.multi_label = true;  // raw YOLO outputs: as Ultralytics validates
  ASSIGN_OR_RETURN(Detector detector, Detector::Create(model, dopts));
  ASSIGN_OR_RETURN(ClassNames names, ResolveClassNames(model, o, detector));
  ASSIGN_OR_RETURN(ClassMapping mapping, MapClasses(names, ds, detector));
  // Without a label map, report photos name a class by the dataset category
  // it is scored as.
  std::function<std::string(int)> namer = names.namer;
  if (names.source.empty()) {
    std::map<int, std::string> by_class;
    for (const auto& [cls, cat] : mapping.to_category) {
      for (const Category& c : ds.categories) {
        if (c.id == cat) by_class[cls] = c.name;
      }
    }
    namer = [by_class, fallback = names.namer](int c) {
      auto it = by_class.find(c);
      return it != by_class.end() ? it->second : fallback(c);
    };
  }
  EvalResult result;
  result.model = model.path();
  result.dataset = dataset_path;
  result.notes.push_back(mapping.note);
  result.notes.push_back("outputs: " + detector.description());
  // Some tools reserve a category named "background" (usually id 0); it is
  // not an object class, so boxes labelled with it are not scored.
  int64_t background_id = -1;
  int background_boxes = 0;
  eval::CocoDataset gt;
  for (const Category& c : ds.categories) {
    if (Lower(c.name) == "background") {
      background_id = c.id;
      continue;
    }
    gt.categories.push_back({c.id, c.name});
  }
  for (auto& [cls, cat] : mapping.to_category) {
    if (cat == background_id) cat = -1;
  }
  std::optional<Detector> reference;
  if (o.reference) {
    ASSIGN_OR_RETURN(Detector r, Detector::Create(*o.reference, dopts));
    if (r.num_classes() != detector.num_classes()) {
      return InvalidArgument(o.reference->path() + ": has " + std::to_string(r.num_classes()) +
                             " classes, " + model.path() + " has " +
                             std::to_string(detector.num_classes()) + "; compare the same detector");
    }
    reference = std::move(r);
    result.reference = o.reference->path();
  }
  std::vector<eval::Detection> dets, reference_dets;
  std::vector<api::ImageRun> runs, reference_runs;
  double invoke_ms = 0;
  const int64_t total = static_cast<int64_t>(ds.samples.size());
  for (int64_t i = 0; i < total; ++i) {
    const DatasetSample& s = ds.samples[static_cast<size_t>(i)];
    const int64_t image_id = i + 1;  // unique even when the dataset's ids are not
    auto img = LoadSampleImage(s);
    if (!img.ok()) return img.status();
    auto found = detector.Detect(*img);
    if (!found.ok()) return found.status().WithContext(s.file_name);
    invoke_ms += detector.last_invoke_ms();
    AddGroundTruth(s, image_id, background_id, &gt, &background_boxes);
    std::vector<eval::Detection> scored = ToScored(*found, image_id, *img, mapping);
    dets.insert(dets.end(), scored.begin(), scored.end());
    if (reference) {
      auto ref_found = reference->Detect(*img);
      if (!ref_found.ok()) return ref_found.status().WithContext(s.file_name);
      std::vector<eval::Detection> ref_scored = ToScored(*ref_found, image_id, *img, mapping);
      reference_dets.insert(reference_dets.end(), ref_scored.begin(), ref_scored.end());
      runs.push_back({*found, std::move(scored)});
      reference_runs.push_back({*std::move(ref_found), std::move(ref_scored)});
    }
    if (static_cast<int>(result.samples.size()) < o.report_samples) {
      result.samples.push_back(
          {s.file_name, api::DrawSample(*img, s, *found, o.draw_threshold, namer)});
    }
    if (o.progress) o.progress(i + 1, total);
  }
  if (background_boxes > 0) {
    result.notes.push_back(std::to_string(background_boxes) +
                           " ground-truth box(es) labelled 'background' are not scored");
  }
  auto metrics = eval::EvaluateCoco(gt, dets);
  if (!metrics.ok()) return metrics.status().WithContext(dataset_path);
  result.coco = api::Summarize(gt, dets, *metrics);
  if (reference) {
    auto ref_metrics = eval::EvaluateCoco(gt, reference_dets);
    if (!ref_metrics.ok()) return ref_metrics.status().WithContext(dataset_path);
    result.reference_coco = api::Summarize(gt, reference_dets, *ref_metrics);
    ASSIGN_OR_RETURN(result.worst, api::WorstImages(ds, gt, runs, reference_runs, o.worst_images,
                                                    o.draw_threshold, namer));
  }
  result.mean_invoke_ms = invoke_ms / static_cast<double>(total);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace detlite
